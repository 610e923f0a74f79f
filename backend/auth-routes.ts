/**
 * HTTP side of auth: `GET/POST /login` (form, optional popup mode), `GET /auth/authorize` (cookie → access token),
 * `POST /logout`. Same origin only: a page of any other origin — an approved CRM included — gets a 403 and no CORS
 * grant, so no token ever leaves the CCP origin through these routes. `/auth/authorize` answers an access token and
 * its expiry, never a refresh token: the HttpOnly session cookie is the only refresh credential.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { clearedSessionCookie, SESSION_COOKIE, sessionCookie, type AuthService, type CookieOptions } from './auth';
import { loginFormPage, popupDonePage } from './auth-pages';
import { methodNotAllowed, notSameOrigin, unauthorized, type CtiError } from './errors';
import type { HostPolicy } from './host-policy';
import { parseCookies, readBody, redirect, sendError, sendHtml, sendJson } from './http';
import type { LoginLimiter } from './login-limiter';
import type { ApprovedOrigins } from './origins';

/** A login form is a few hundred bytes; this leaves room and keeps the form cheap to read. */
const MAX_FORM_BYTES = 16 * 1024;
const DEFAULT_AFTER_LOGIN = '/ccp';

export interface AuthRouteDeps {
  auth: AuthService;
  origins: ApprovedOrigins;
  hosts: HostPolicy;
  limiter: LoginLimiter;
  /** Whether the session cookie is `Secure` (an https PUBLIC_ORIGIN). */
  secureCookie: boolean;
  checkCredentials(username: string, password: string): boolean;
}

function cookieOptions(deps: AuthRouteDeps): CookieOptions {
  return { secure: deps.secureCookie, maxAgeSeconds: deps.auth.sessionTtlMs / 1000 };
}

/** Only a path on this server: never `//other.host`, `/\other.host` or an absolute URL. */
export function safeRedirectPath(raw: string | null): string {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//') || raw.includes('\\')) return DEFAULT_AFTER_LOGIN;
  try {
    const resolved = new URL(raw, 'http://same.invalid');
    if (resolved.origin !== 'http://same.invalid') return DEFAULT_AFTER_LOGIN;
    return resolved.pathname + resolved.search + resolved.hash;
  } catch {
    return DEFAULT_AFTER_LOGIN;
  }
}

function formAction(url: URL): string {
  const params = new URLSearchParams();
  const target = url.searchParams.get('redirect');
  if (target) params.set('redirect', safeRedirectPath(target));
  if (url.searchParams.get('popup') === '1') params.set('popup', '1');
  const query = params.toString();
  return query ? `/login?${query}` : '/login';
}

function showForm(res: ServerResponse, url: URL, deps: AuthRouteDeps, status: number, error?: string, username?: string): void {
  sendHtml(res, status, loginFormPage({ action: formAction(url), error, username }),
    { 'Content-Security-Policy': deps.origins.contentSecurityPolicy() });
}

async function submitLogin(req: IncomingMessage, res: ServerResponse, url: URL, deps: AuthRouteDeps): Promise<void> {
  if (!deps.hosts.isSameOrigin(req)) {
    showForm(res, url, deps, 403, 'Sign in from this site\'s own login page.');
    return;
  }
  let form: URLSearchParams;
  try {
    form = new URLSearchParams(await readBody(req, MAX_FORM_BYTES));
  } catch (err) {
    showForm(res, url, deps, 400, (err as CtiError).message);
    return;
  }
  const username = (form.get('username') ?? '').trim();
  const password = form.get('password') ?? '';
  const address = req.socket.remoteAddress ?? '';
  const verdict = deps.limiter.check(username, address);
  if (!verdict.ok) {
    const seconds = Math.ceil(verdict.retryAfterMs / 1000);
    sendHtml(res, 429, loginFormPage({ action: formAction(url), username,
      error: `Too many failed sign-ins. Try again in ${Math.ceil(seconds / 60)} min.` }),
    { 'Content-Security-Policy': deps.origins.contentSecurityPolicy(), 'Retry-After': String(seconds) });
    return;
  }
  if (!username || !deps.checkCredentials(username, password)) {
    deps.limiter.failed(username, address);
    showForm(res, url, deps, 401, 'Wrong username or password.', username);
    return;
  }
  deps.limiter.succeeded(username);
  const sessionId = deps.auth.openSession(username);
  const cookie = sessionCookie(sessionId, cookieOptions(deps));
  if (url.searchParams.get('popup') === '1') {
    sendHtml(res, 200, popupDonePage(deps.auth.grant(username, sessionId)), { 'Set-Cookie': cookie });
    return;
  }
  redirect(res, safeRedirectPath(url.searchParams.get('redirect')), { 'Set-Cookie': cookie });
}

/** The refusal every auth route gives a page of another origin. */
function refuseForeign(req: IncomingMessage, res: ServerResponse): void {
  sendError(res, notSameOrigin(`${req.headers.origin ?? 'another site'} may not use ${req.url?.split('?')[0]}: `
    + 'the auth routes answer the CCP origin only'), { Vary: 'Origin' });
}

function authorize(req: IncomingMessage, res: ServerResponse, deps: AuthRouteDeps): void {
  const sessionId = parseCookies(req)[SESSION_COOKIE];
  const username = deps.auth.sessionUser(sessionId);
  if (!username || sessionId === undefined) {
    sendError(res, unauthorized('no session: sign in at /login'));
    return;
  }
  const { accessToken, expiration } = deps.auth.grant(username, sessionId);
  sendJson(res, 200, { accessToken, expiration }, { Vary: 'Origin' });
}

function logout(req: IncomingMessage, res: ServerResponse, deps: AuthRouteDeps): void {
  const sessionId = parseCookies(req)[SESSION_COOKIE];
  if (sessionId !== undefined) deps.auth.endSession(sessionId);
  res.writeHead(204, { 'Set-Cookie': clearedSessionCookie(cookieOptions(deps)), 'Content-Length': 0 });
  res.end();
}

const AUTHORIZE_PATHS = new Set(['/auth/authorize', '/connect/auth/authorize']);
const LOGOUT_PATHS = new Set(['/logout', '/connect/logout']);

/** Handles the auth routes; false when `url` is not one of them. */
export async function handleAuthRoute(req: IncomingMessage, res: ServerResponse, url: URL, deps: AuthRouteDeps):
  Promise<boolean> {
  const path = url.pathname;
  const isRead = req.method === 'GET' || req.method === 'HEAD';
  if (path === '/login' && isRead) {
    showForm(res, url, deps, 200);
  } else if (path === '/login' && req.method === 'POST') {
    await submitLogin(req, res, url, deps);
  } else if (AUTHORIZE_PATHS.has(path) || LOGOUT_PATHS.has(path)) {
    const logoutRoute = LOGOUT_PATHS.has(path);
    if (!deps.hosts.isSameOrigin(req)) refuseForeign(req, res);
    else if (logoutRoute && req.method === 'POST') logout(req, res, deps);
    else if (!logoutRoute && req.method === 'GET') authorize(req, res, deps);
    else sendError(res, methodNotAllowed(`${req.method} is not allowed on ${path}; use ${logoutRoute ? 'POST' : 'GET'}`),
      { Allow: logoutRoute ? 'POST' : 'GET' });
  } else {
    return false;
  }
  return true;
}
