/**
 * Which `Host` names this server answers to, and what its own origin is. A page on a name the attacker controls
 * (DNS rebinding: `attacker.example` resolving to 127.0.0.1) sends `Host: attacker.example:<port>` and a matching
 * `Origin`; answering it would make the attacker's page same-origin with the CCP. So only the configured names are
 * served: the bind address at the bound port (for a loopback bind: 127.0.0.1, localhost and [::1]; for a wildcard
 * bind: those plus the machine's interface addresses) and the host of `PUBLIC_ORIGIN`. The scheme of the server's
 * own origin comes from configuration, never from the request.
 */
import type { IncomingMessage } from 'node:http';
import os from 'node:os';

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/** True for a bind address only this machine can reach. */
export function isLoopbackBind(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '[::]';
}

/** How an address is written in a Host header. */
function hostName(address: string): string {
  return address.includes(':') && !address.startsWith('[') ? `[${address}]` : address.toLowerCase();
}

export class HostPolicy {
  /** `host[:port]` as browsers send it → the server's own origin for requests addressed that way. */
  private readonly origins = new Map<string, string>();
  /** The configured public origin, also counted as the server's own whatever Host a proxy forwards. */
  readonly publicOrigin: string | undefined;

  /**
   * @example
   *   const hosts = new HostPolicy({ bind: '127.0.0.1', port: 8080 });
   *   hosts.ownOrigin(req); // 'http://localhost:8080' for Host: localhost:8080, undefined for Host: evil.example
   */
  constructor(o: { bind: string; port: number; publicOrigin?: string }) {
    const names: string[] = [];
    if (isLoopbackBind(o.bind)) names.push(...LOOPBACK_NAMES, hostName(o.bind));
    else if (isWildcard(o.bind)) {
      names.push(...LOOPBACK_NAMES);
      for (const list of Object.values(os.networkInterfaces())) {
        for (const nic of list ?? []) if (!nic.internal) names.push(hostName(nic.address.split('%')[0]!));
      }
    } else names.push(hostName(o.bind));
    for (const name of names) {
      this.origins.set(`${name}:${o.port}`, `http://${name}:${o.port}`);
      // Browsers leave the default port out of Host.
      if (o.port === 80) this.origins.set(name, `http://${name}`);
    }
    this.publicOrigin = o.publicOrigin;
    if (o.publicOrigin) this.origins.set(new URL(o.publicOrigin).host.toLowerCase(), o.publicOrigin);
  }

  /** The server's own origin for this request, or undefined when its Host is not one this server is for. */
  ownOrigin(req: IncomingMessage): string | undefined {
    const host = req.headers.host;
    if (host === undefined) return undefined;
    return this.origins.get(host.toLowerCase());
  }

  /** True when `origin` is this server's own for `req`: the origin its Host names, or the public origin. */
  isOwnOrigin(req: IncomingMessage, origin: string): boolean {
    return origin === this.ownOrigin(req) || (this.publicOrigin !== undefined && origin === this.publicOrigin);
  }

  /**
   * True when a browser sent this request from the server's own origin, or no browser page sent it at all (no
   * `Origin`, no `Sec-Fetch-Site`: a script, a test, a top-level navigation by the user). A page of any other
   * origin — an approved CRM included — is refused; `Sec-Fetch-Site` also catches no-cors requests that carry no
   * `Origin`.
   */
  isSameOrigin(req: IncomingMessage): boolean {
    const origin = req.headers.origin;
    if (origin !== undefined && !this.isOwnOrigin(req, origin)) return false;
    const site = req.headers['sec-fetch-site'];
    return site === undefined || site === 'same-origin' || site === 'none';
  }
}
