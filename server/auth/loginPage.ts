/**
 * The sign-in page: a plain HTML form posted to `/login`, with no script, so it works before (and
 * without) any of the dashboard's code. Its one style block carries the request's CSP nonce.
 */
export function loginPage(options: { next: string; refused: boolean; nonce: string }): string {
  const message = options.refused ? '<p class="refused" role="alert">Wrong password.</p>' : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in · Faultline</title>
<style nonce="${options.nonce}">
  body { font-family: system-ui, sans-serif; background: #0f1115; color: #e6e6e6; display: grid; place-items: center; min-height: 100vh; margin: 0; }
  form { background: #181b22; padding: 2rem; border-radius: 8px; display: grid; gap: 0.75rem; min-width: 18rem; }
  h1 { margin: 0 0 0.5rem; font-size: 1.25rem; }
  input, button { font: inherit; padding: 0.5rem; border-radius: 4px; border: 1px solid #333; }
  button { background: #3b82f6; color: white; border: none; cursor: pointer; }
  .refused { color: #f87171; margin: 0; }
</style>
</head>
<body>
<form method="post" action="/login">
  <h1>Faultline</h1>
  ${message}
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required autofocus>
  <input type="hidden" name="next" value="${escapeHtml(options.next)}">
  <button type="submit">Sign in</button>
</form>
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
