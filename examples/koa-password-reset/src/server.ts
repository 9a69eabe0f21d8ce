/** Runs the password-reset example on the sandbox: `pnpm --filter @phone-guard/example-koa-password-reset start`. */
import { createPhoneGuard } from '@phone-guard/core';
import {
  ADDON_TEST_NUMBERS,
  SANDBOX_API_KEY,
  SANDBOX_CUSTOMER_ID,
  startSandbox,
  TEST_NUMBERS,
} from '@phone-guard/sandbox';
import { type Account, createPasswordResetApp } from './app.js';

const real = Boolean(process.env.TELESIGN_CUSTOMER_ID && process.env.TELESIGN_API_KEY);
const sandbox = real ? undefined : await startSandbox();
const guard = createPhoneGuard({
  policy: 'passwordReset',
  ...(sandbox
    ? {
        telesign: {
          baseUrl: sandbox.url,
          customerId: SANDBOX_CUSTOMER_ID,
          apiKey: SANDBOX_API_KEY,
        },
      }
    : {}),
});
// Prove the credentials before serving: a wrong key stops here instead of failing every
// reset open (one look-up, billed by Telesign; the sandbox answers it for free).
try {
  await guard.verify();
} catch (error) {
  const code = (error as { code?: unknown }).code;
  process.stderr.write(
    `password-reset example: the provider refused the start-up check (${String(code)}): ${
      error instanceof Error ? error.message : String(error)
    }\n`,
  );
  await guard.close();
  await sandbox?.close();
  process.exit(1);
}
// Each account knows when its user last proved the number (a code received, or sign-up).
const verified30DaysAgo = new Date(Date.now() - 30 * 86_400_000);
const accounts = new Map<string, Account>(
  [
    TEST_NUMBERS.active,
    TEST_NUMBERS.disconnected,
    TEST_NUMBERS.roaming,
    ADDON_TEST_NUMBERS.reassigned,
    ADDON_TEST_NUMBERS.simSwapRisk4,
  ].map((phone) => [phone, { email: 'user@example.com', phoneVerifiedAt: verified30DaysAgo }]),
);
// Decoy dates for numbers without an account must be the same on every instance and after
// a restart: set DECOY_SECRET (32 random bytes, base64) in production.
const decoySecret = process.env.DECOY_SECRET
  ? Buffer.from(process.env.DECOY_SECRET, 'base64')
  : undefined;
if (decoySecret !== undefined && decoySecret.byteLength < 16) {
  process.stderr.write(
    'password-reset example: DECOY_SECRET must be base64 of at least 16 random bytes (e.g. `openssl rand -base64 32`)\n',
  );
  process.exit(1);
}
if (decoySecret === undefined) {
  process.stderr.write(
    'password-reset example: DECOY_SECRET is not set; decoy dates change when the process restarts (fine for a demo, not for production)\n',
  );
}
const { app } = createPasswordResetApp({
  guard,
  accounts,
  ...(decoySecret === undefined ? {} : { decoySecret }),
});
const port = Number(process.env.PORT ?? 3001);
const server = app.listen(port, '127.0.0.1', () => {
  const url = `http://127.0.0.1:${port}`;
  const curl = (phone: string) =>
    `curl -s -X POST ${url}/password-reset -H 'content-type: application/json' -d '{"phone":"${phone}"}'`;
  process.stdout.write(
    [
      `password-reset example on ${url}${sandbox ? ` (sandbox at ${sandbox.url})` : ''}`,
      `  # 202, code by SMS: ${curl(TEST_NUMBERS.active)}`,
      `  # 202, code by email (roaming): ${curl(TEST_NUMBERS.roaming)}`,
      `  # 403, number no longer in service: ${curl(TEST_NUMBERS.disconnected)}`,
      `  # 403, reassigned since verified: ${curl(ADDON_TEST_NUMBERS.reassigned)}`,
      `  # 403, SIM swapped today: ${curl(ADDON_TEST_NUMBERS.simSwapRisk4)}`,
      '',
    ].join('\n'),
  );
});
// Shutdown order: stop taking requests and let those in flight finish (their checks still
// need the guard), then close the guard, then what it talks to.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close(() => {
      void guard.close().then(() => sandbox?.close());
    });
  });
}
