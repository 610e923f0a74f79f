// What both demo CRM pages share (index.html, genuine.html); load it after /config.js, where the CRM server writes
// window.CRM_CONFIG = {ccpUrl}: where the CCP lives (another origin).
'use strict';
window.crmPage = {
  /**
   * The CCP to embed: the `ccpUrl` query parameter when `query` is given and it is an http(s) URL (only those may be
   * framed), else the CRM server's.
   */
  ccpUrl(query) {
    const fromQuery = query && query.get('ccpUrl');
    return fromQuery && /^https?:\/\//.test(fromQuery) ? fromQuery : window.CRM_CONFIG.ccpUrl;
  },

  /** Puts `text` at the top of the events list; the list keeps the newest 200 lines. */
  logLine(text) {
    const li = document.createElement('li');
    li.textContent = text;
    const list = document.getElementById('events');
    list.prepend(li);
    while (list.children.length > 200) list.lastElementChild.remove();
  },
};
