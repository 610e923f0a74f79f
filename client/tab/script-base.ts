/**
 * Where this library's script was loaded from, or null (an ES module, or an inline copy): the SharedWorker and the
 * on-demand chunks are beside it, also when a CRM page loads `connect-streams.js` from the CCP origin. Read as the
 * script first runs: `document.currentScript` is null afterwards.
 */
export const scriptBase: string | null = typeof document !== 'undefined' && document.currentScript instanceof HTMLScriptElement
  && document.currentScript.src ? new URL('.', document.currentScript.src).href : null;
