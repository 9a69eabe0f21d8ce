/** A minimal signup page: a person can try the guard from a browser. */
export const SIGNUP_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>phone-guard demo: signup</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 36rem; margin: 3rem auto; padding: 0 1rem; color: #1d1d1f; }
  label { display: block; margin-top: 1rem; font-weight: 600; }
  input { width: 100%; padding: .5rem; font: inherit; box-sizing: border-box; }
  button { margin-top: 1.25rem; padding: .6rem 1.2rem; font: inherit; cursor: pointer; }
  pre { background: #f4f4f6; padding: 1rem; overflow-x: auto; white-space: pre-wrap; }
  .allow { color: #0a7d32; } .flag { color: #a15c00; } .block { color: #b3261e; }
  table { border-collapse: collapse; margin-top: 1rem; } td { padding: .2rem .8rem .2rem 0; }
  code { font-size: .9em; }
</style>
</head>
<body>
<h1>Sign up</h1>
<p>This form is protected by phone-guard. Try the sandbox's test numbers:</p>
<table>
  <tr><td><code>+1 415 555 0100</code></td><td>active: signs up</td></tr>
  <tr><td><code>+1 415 555 0101</code></td><td>handset unreachable: signs up, flagged for review</td></tr>
  <tr><td><code>+1 415 555 0106</code></td><td>VoIP: signs up, flagged for review</td></tr>
  <tr><td><code>+1 415 555 0104</code></td><td>disconnected: refused</td></tr>
  <tr><td><code>415 555</code></td><td>not a phone number: refused</td></tr>
</table>
<form id="signup">
  <label for="email">Email</label>
  <input id="email" name="email" type="email" value="ada@example.com" required>
  <label for="phone">Phone</label>
  <input id="phone" name="phone" type="tel" value="+1 415 555 0104" required>
  <button type="submit">Create account</button>
</form>
<h2 id="verdict" aria-live="polite"></h2>
<pre id="result"></pre>
<script>
  const form = document.getElementById('signup');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = JSON.stringify(Object.fromEntries(new FormData(form)));
    const res = await fetch('/signup', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const json = await res.json();
    const verdict = document.getElementById('verdict');
    const kind = res.ok ? (json.needsReview ? 'flag' : 'allow') : 'block';
    verdict.className = kind;
    verdict.textContent = res.status + ' ' + (res.ok ? (json.needsReview ? 'Created, flagged for review' : 'Created') : json.title);
    document.getElementById('result').textContent = JSON.stringify(json, null, 2);
  });
</script>
</body>
</html>
`;
