const escape = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  )

/**
 * The login page, with the form of Keycloak's own login theme: `#kc-form-login` posting
 * `username` and `password`, the inputs `#username` and `#password`, the button `#kc-login`, and
 * errors in `#input-error`. A browser flow written against it signs in to a real Keycloak too.
 */
export function loginPage(realm: string, action: string, error: string | undefined): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in to ${escape(realm)}</title></head>
<body id="keycloak-bg">
<h1 id="kc-page-title">Sign in to your account</h1>
<div id="kc-header-wrapper">${escape(realm)}</div>
${error === undefined ? '' : `<span id="input-error" aria-live="polite">${escape(error)}</span>`}
<form id="kc-form-login" action="${escape(action)}" method="post">
<label for="username">Username or email</label>
<input id="username" name="username" type="text" autocomplete="username" autofocus>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password">
<input id="kc-login" name="login" type="submit" value="Sign In">
</form>
</body></html>
`
}
