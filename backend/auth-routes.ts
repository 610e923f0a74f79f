/**
 * HTTP side of auth: `GET/POST /login` (form, optional popup mode), `GET /auth/authorize` (cookie → access token),
 * `GET/POST /logout`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { clearedSessionCookie, SESSION_COOKIE, sessionCookie, type AuthService } from './auth';
import { loginFormPage, popupDonePage } from './auth-pages';
import { accessDenied, unauthorized, type CtiError } from './errors';
import { parseCookies, readBody, redirect, sendError, sendHtml, sendJson } from './http';
import type { ApprovedOrigins } from './origins';

/** A login form is a few hundred bytes; this leaves room and keeps the form cheap to read. */
const MAX_FORM_BYTES = 16 * 1024;
const DEFAULT_AFTER_LOGIN = '/ccp';

export interface AuthRouteDeps {
  auth: AuthService;
  origins: ApprovedOrigins;
  checkCredentials(username: string, password: string): boolean;
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
  if (!deps.origins.allows(req)) {
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
  if (!username || !deps.checkCredentials(username, password)) {
    showForm(res, url, deps, 401, 'Wrong username or password.', username);
    return;
  }
  const sessionId = deps.auth.openSession(username);
  const cookie = sessionCookie(sessionId);
  if (url.searchParams.get('popup') === '1') {
    sendHtml(res, 200, popupDonePage(deps.auth.grant(username, sessionId)), { 'Set-Cookie': cookie });
    return;
  }
  redirect(res, safeRedirectPath(url.searchParams.get('redirect')), { 'Set-Cookie': cookie });
}

function authorize(req: IncomingMessage, res: ServerResponse, deps: AuthRouteDeps): void {
  const cors = deps.origins.corsHeaders(req);
  if (!deps.origins.allows(req)) {
    sendError(res, accessDenied(`origin ${req.headers.origin} is not approved`), cors);
    return;
  }
  const sessionId = parseCookies(req)[SESSION_COOKIE];
  const username = deps.auth.sessionUser(sessionId);
  if (!username || sessionId === undefined) {
    sendError(res, unauthorized('no session: sign in at /login'), cors);
    return;
  }
  const grant = deps.auth.grant(username, sessionId);
  sendJson(res, 200, grant, cors);
}

function logout(req: IncomingMessage, res: ServerResponse, deps: AuthRouteDeps): void {
  const sessionId = parseCookies(req)[SESSION_COOKIE];
  if (sessionId !== undefined) deps.auth.endSession(sessionId);
  if (req.method === 'GET') {
    redirect(res, '/login', { 'Set-Cookie': clearedSessionCookie() });
    return;
  }
  res.writeHead(204, { 'Set-Cookie': clearedSessionCookie(), 'Content-Length': 0 });
  res.end();
}

const AUTHORIZE_PATHS = new Set(['/auth/authorize', '/connect/auth/authorize']);
const LOGOUT_PATHS = new Set(['/logout', '/connect/logout']);

/** Handles the auth routes; false when `url` is not one of them. */
export async function handleAuthRoute(req: IncomingMessage, res: ServerResponse, url: URL, deps: AuthRouteDeps):
  Promise<boolean> {
  const path = url.pathname;
  if (path === '/login' && (req.method === 'GET' || req.method === 'HEAD')) {
    showForm(res, url, deps, 200);
  } else if (path === '/login' && req.method === 'POST') {
    await submitLogin(req, res, url, deps);
  } else if (AUTHORIZE_PATHS.has(path) && req.method === 'OPTIONS') {
    deps.origins.answerPreflight(req, res);
  } else if (AUTHORIZE_PATHS.has(path) && req.method === 'GET') {
    authorize(req, res, deps);
  } else if (LOGOUT_PATHS.has(path) && (req.method === 'GET' || req.method === 'POST')) {
    logout(req, res, deps);
  } else {
    return false;
  }
  return true;
}
