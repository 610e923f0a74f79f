/**
 * Approved origins (the guide's "whitelist"): the only pages allowed to frame the CCP (CSP `frame-ancestors`) and to
 * call `/api` cross-origin (CORS, without credentials: a CRM page brings its own bearer token, never the CCP's
 * cookie). The auth routes and the control API are same-origin only (HostPolicy.isSameOrigin). Every other
 * cross-origin browser request is refused.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BEARER_HEADER, IDEMPOTENCY_HEADER, TARGET_HEADER } from '../shared/cti';
import type { HostPolicy } from './host-policy';

/** Browsers may cache a preflight this long; short so a changed list takes effect quickly. */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

export class ApprovedOrigins {
  private readonly set: ReadonlySet<string>;

  constructor(readonly origins: readonly string[], private readonly hosts: () => HostPolicy) {
    this.set = new Set(origins);
  }

  isApproved(origin: string): boolean {
    return this.set.has(origin);
  }

  /** The CSP that lets only this origin and the approved ones embed a page. */
  contentSecurityPolicy(): string {
    return ['frame-ancestors', "'self'", ...this.origins].join(' ');
  }

  /**
   * True when a browser request may be served: no `Origin` (not a cross-origin browser call), the server's own
   * origin, or an approved one.
   */
  allows(req: IncomingMessage): boolean {
    const origin = req.headers.origin;
    return origin === undefined || this.hosts().isOwnOrigin(req, origin) || this.isApproved(origin);
  }

  /** CORS response headers for an approved cross-origin caller (no credentials); none for anyone else. */
  corsHeaders(req: IncomingMessage): Record<string, string> {
    const origin = req.headers.origin;
    if (origin === undefined || !this.isApproved(origin)) return {};
    return {
      'Access-Control-Allow-Origin': origin,
      'Access-Control-Expose-Headers': 'x-amzn-ErrorType, x-amzn-RequestId',
      Vary: 'Origin',
    };
  }

  /** Answers an OPTIONS preflight: 204 with the allowances for an approved origin, a bare 403 otherwise. */
  answerPreflight(req: IncomingMessage, res: ServerResponse): void {
    const cors = this.corsHeaders(req);
    if (Object.keys(cors).length === 0) {
      res.writeHead(403, { 'Content-Length': 0, Vary: 'Origin' });
      res.end();
      return;
    }
    res.writeHead(204, {
      ...cors,
      'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
      'Access-Control-Allow-Headers': ['Content-Type', TARGET_HEADER, BEARER_HEADER, IDEMPOTENCY_HEADER,
        'X-Amz-User-Agent', 'X-Amz-Date'].join(', '),
      'Access-Control-Max-Age': String(PREFLIGHT_MAX_AGE_SECONDS),
      'Content-Length': 0,
    });
    res.end();
  }
}
