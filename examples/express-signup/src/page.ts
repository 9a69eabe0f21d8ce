/**
 * The demo's signup page: one self-contained HTML document (no external assets). Without
 * JavaScript the form is a plain urlencoded POST and the browser shows the JSON answer;
 * with it, answers are shown in place and errors next to the field they concern.
 */
import { DEFAULT_PICKER_COUNTRY, PICKER_COUNTRIES } from './countries.js';

const countryOptions = [
  '<option value="">International (+…)</option>',
  ...PICKER_COUNTRIES.map(
    (c) =>
      `<option value="${c.code}"${c.code === DEFAULT_PICKER_COUNTRY ? ' selected' : ''}>${c.name} (+${c.callingCode})</option>`,
  ),
].join('\n        ');

/**
 * The page's script. Plain ES2020, no template literals (this is one). It reads the
 * problem+json answer: `errorCode` for a 422, `detail` for a 403, `Retry-After` for a 503.
 */
export const PAGE_SCRIPT = `
const form = document.getElementById('signup');
const status = document.getElementById('status');
const answer = document.getElementById('answer');

// Preselect the country of the browser's locale (en-GB → GB) when the picker has it.
for (const tag of navigator.languages || [navigator.language]) {
  let region;
  try { region = new Intl.Locale(tag).region; } catch (e) { continue; }
  if (region && Array.from(form.country.options).some((o) => o.value === region)) {
    form.country.value = region;
    break;
  }
}

const PHONE_ERRORS = {
  PHONE_MISSING: 'Enter your phone number.',
  PHONE_NOT_STRING: 'Enter your phone number.',
  PHONE_TOO_LONG: 'That is too long for a phone number: check the number.',
  PHONE_INVALID: 'That is not a valid phone number: check the digits and the country.',
  PHONE_COUNTRY_REQUIRED: 'Choose your country, or write the number with its country code (+44 7400 123100).',
  PHONE_COUNTRY_NOT_ALLOWED: 'Numbers from this country cannot be used here.',
};

function retryText(value) {
  let seconds = /^\\s*\\d+\\s*$/.test(value || '') ? Number(value) : NaN;
  if (Number.isNaN(seconds) && value) seconds = Math.ceil((Date.parse(value) - Date.now()) / 1000);
  if (!(seconds > 0)) return 'Please try again later.';
  if (seconds < 90) return 'Please try again in ' + seconds + (seconds === 1 ? ' second.' : ' seconds.');
  return 'Please try again in ' + Math.ceil(seconds / 60) + ' minutes.';
}

function showError(field, text, code, also) {
  const error = document.getElementById(field + '-error');
  error.textContent = text + ' ';
  if (code) {
    const tag = document.createElement('span');
    tag.className = 'code';
    tag.textContent = '(' + code + ')';
    error.append(tag);
  }
  const fields = [form[field]].concat(also ? [form[also]] : []);
  for (const f of fields) f.setAttribute('aria-invalid', 'true');
  fields[fields.length - 1].focus();
}

function clearErrors() {
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  for (const el of form.querySelectorAll('.error')) el.textContent = '';
  status.textContent = '';
  status.className = '';
}

function show(res, body) {
  const problem = body || {};
  if (res.ok) {
    status.className = problem.needsReview ? 'flag' : 'allow';
    status.textContent = problem.needsReview
      ? 'Account created; the number is flagged for review (' + problem.reasons.join(', ') + ').'
      : 'Account created for ' + problem.phone + '.';
  } else if (res.status === 422 && problem.code === 'EMAIL_INVALID') {
    showError('email', 'Enter an email address, such as ada@example.com.');
  } else if (res.status === 422) {
    const code = problem.errorCode || problem.code;
    const text = PHONE_ERRORS[code] || problem.detail || 'Check the number.';
    showError('phone', text, code, code === 'PHONE_COUNTRY_REQUIRED' ? 'country' : '');
  } else if (res.status === 403) {
    const why = problem.detail || 'This number cannot be used here.';
    showError('phone', why + ' Please use another number.', problem.code);
  } else if (res.status === 503) {
    const retry = retryText(res.headers.get('retry-after'));
    showError('phone', 'The number could not be checked right now. ' + retry, problem.code);
  } else {
    showError('phone', 'Something went wrong (HTTP ' + res.status + '). Please try again.');
  }
}

form.addEventListener('input', (event) => {
  const field = event.target.name === 'country' ? 'phone' : event.target.name;
  const error = document.getElementById(field + '-error');
  if (error && error.textContent) clearErrors();
});

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearErrors();
  const button = form.querySelector('button');
  button.disabled = true;
  try {
    const res = await fetch(form.action, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(Object.fromEntries(new FormData(form))),
    });
    const body = await res.json().catch(() => null);
    answer.textContent = 'HTTP ' + res.status + '\\n' + JSON.stringify(body, null, 2);
    show(res, body);
  } catch (e) {
    showError('phone', 'The server could not be reached. Check your connection and try again.');
  } finally {
    button.disabled = false;
  }
});
`;

/** A signup page on which a person can try the guard from a browser. */
export const SIGNUP_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>phone-guard demo: signup</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 38rem; margin: 2.5rem auto; padding: 0 1rem; color: #1d1d1f; }
  label { display: block; margin-top: 1rem; font-weight: 600; }
  input, select { padding: .5rem; font: inherit; box-sizing: border-box; border: 1px solid #8a8a8e; border-radius: 4px; }
  input, select { width: 100%; }
  .phone { display: flex; flex-wrap: wrap; gap: 0 .5rem; }
  .phone .country { flex: 1 1 12rem; } .phone .number { flex: 2 1 14rem; }
  [aria-invalid="true"] { border: 2px solid #b3261e; }
  .hint { margin: .25rem 0 0; color: #5f5f64; font-size: .9em; }
  .error { margin: .25rem 0 0; color: #b3261e; font-weight: 600; }
  button { margin-top: 1.25rem; padding: .6rem 1.2rem; font: inherit; cursor: pointer; }
  #status { margin: 1rem 0 0; font-weight: 600; } .allow { color: #0a7d32; } .flag { color: #a15c00; }
  pre { background: #f4f4f6; padding: 1rem; overflow-x: auto; white-space: pre-wrap; }
  pre:empty { display: none; }
  h2 { font-size: 1.1rem; margin-top: 2rem; }
  .numbers { overflow-x: auto; }
  table { border-collapse: collapse; font-size: .95em; } th, td { padding: .15rem .8rem .15rem 0; text-align: left; vertical-align: top; }
  code { font-size: .9em; white-space: nowrap; }
  .error .code { font-weight: normal; font-size: .85em; color: #5f5f64; }
</style>
</head>
<body>
<h1>Sign up</h1>
<p class="lede">This form is protected by phone-guard: a number that is no longer in service cannot sign up.</p>
<form id="signup" method="post" action="/signup">
  <label for="email">Email</label>
  <input id="email" name="email" type="email" value="ada@example.com" autocomplete="email" required aria-describedby="email-error">
  <p id="email-error" class="error" role="alert"></p>
  <div class="phone">
    <div class="country">
      <label for="country">Country</label>
      <select id="country" name="country" aria-describedby="phone-error">
        ${countryOptions}
      </select>
    </div>
    <div class="number">
      <label for="phone">Phone number</label>
      <input id="phone" name="phone" type="tel" value="+1 415 555 0104" autocomplete="tel" required aria-describedby="phone-error phone-hint">
    </div>
  </div>
  <p id="phone-error" class="error" role="alert"></p>
  <p id="phone-hint" class="hint">Your national number (07400 123100), or any number with its country code (+44 7400 123100).</p>
  <button type="submit">Create account</button>
  <p id="status" role="status"></p>
</form>
<pre id="answer" aria-label="The server's answer"></pre>
<h2>Test numbers (the sandbox)</h2>
<div class="numbers">
<table>
  <tr><th>Country</th><th>Number</th><th>What happens</th></tr>
  <tr><td>any</td><td><code>+1 415 555 0100</code></td><td>active: signs up</td></tr>
  <tr><td>any</td><td><code>+1 415 555 0101</code></td><td>handset unreachable: signs up, flagged for review</td></tr>
  <tr><td>any</td><td><code>+1 415 555 0104</code></td><td>disconnected: refused</td></tr>
  <tr><td>United Kingdom</td><td><code>07400 123100</code></td><td>active: signs up</td></tr>
  <tr><td>United Kingdom</td><td><code>07400 123104</code></td><td>disconnected: refused</td></tr>
  <tr><td>International</td><td><code>07400 123100</code></td><td>no country code: asks for the country</td></tr>
  <tr><td>any</td><td><code>415 555</code></td><td>not a phone number: asks to check it</td></tr>
</table>
</div>
<p class="hint">Germany, France, India, Brazil and Australia have test numbers too (see the sandbox's README).</p>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
