/**
 * The HTML of the login flow: the form, and the tiny page a login popup ends on, which hands the token to the CCP
 * frame that opened it (`postMessage` to its own origin only) and closes itself.
 */
import { escapeHtml } from './http';

/** Message type the CCP frame listens for from its login popup. */
export const LOGIN_MESSAGE_TYPE = 'connect-sync:login';

export interface LoginFormOptions {
  /** The form's action (keeps `redirect` and `popup`). */
  action: string;
  username?: string;
  error?: string;
}

export function loginFormPage(opts: LoginFormOptions): string {
  const error = opts.error
    ? `<p class="error" role="alert" id="login-error">${escapeHtml(opts.error)}</p>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Sign in · Contact Control Panel</title>
  <style>
    body { font: 15px/1.4 system-ui, sans-serif; display: grid; place-items: center; min-height: 90vh; margin: 0; }
    form { display: grid; gap: .6rem; min-width: 16rem; padding: 1.5rem; border: 1px solid #ccd; border-radius: 8px; }
    label { display: grid; gap: .2rem; font-weight: 600; }
    input { font: inherit; padding: .4rem; }
    button { font: inherit; padding: .5rem; cursor: pointer; }
    .error { color: #a00; margin: 0; }
  </style>
</head>
<body>
  <main>
    <form method="post" action="${escapeHtml(opts.action)}" aria-labelledby="login-title"${opts.error ? ' aria-describedby="login-error"' : ''}>
      <h1 id="login-title">Sign in</h1>
      ${error}
      <label for="username">Username
        <input id="username" name="username" autocomplete="username" required value="${escapeHtml(opts.username ?? '')}">
      </label>
      <label for="password">Password
        <input id="password" name="password" type="password" autocomplete="current-password" required>
      </label>
      <button type="submit">Sign in</button>
    </form>
  </main>
</body>
</html>
`;
}

/** JSON that is safe inside a `<script>` element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

/** The popup's last page: posts the grant to `window.opener` at this page's own origin, never '*'. */
export function popupDonePage(grant: { accessToken: string; expiration: number }): string {
  const message = { type: LOGIN_MESSAGE_TYPE, accessToken: grant.accessToken, expiration: grant.expiration };
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Signed in</title></head>
<body>
  <p>Signed in. This window closes by itself; you can close it if it does not.</p>
  <script>
    (function () {
      var message = ${scriptJson(message)};
      if (window.opener && !window.opener.closed) window.opener.postMessage(message, window.location.origin);
      window.close();
    })();
  </script>
</body>
</html>
`;
}
