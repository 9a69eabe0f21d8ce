/**
 * Cost of normalizePhone: the first call for a raw string (a libphonenumber parse with
 * "max" metadata) and a repeated call for the same string (served from the parse cache),
 * beside a bare libphonenumber parse in the same run.
 *
 * Run: pnpm tsx bench/normalize.ts   (prints one JSON line)
 */

import { normalizePhone } from '@phone-guard/core';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

const FIRST = 20_000;
const REPEAT = 2_000_000;

// Distinct, valid US numbers so that every first call misses the cache.
const inputs = Array.from(
  { length: FIRST },
  (_, i) =>
    `+1 (415) 55${String(i).padStart(5, '0').slice(0, 1)}-${String(i).padStart(5, '0').slice(1)}`,
);

function nsPerOp(count: number, fn: (i: number) => unknown): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) fn(i);
  return Number(process.hrtime.bigint() - start) / count;
}

// Warm up the JIT on strings that are not measured afterwards.
for (let i = 0; i < 5_000; i++)
  normalizePhone(`+44 20 7946 ${String(i % 10_000).padStart(4, '0')}`);

const bare = nsPerOp(FIRST, (i) => parsePhoneNumberFromString(inputs[i] as string)?.isValid());
const first = nsPerOp(FIRST, (i) => normalizePhone(inputs[i]));
const hot = inputs.slice(0, 1_000);
const repeated = nsPerOp(REPEAT, (i) => normalizePhone(hot[i % 1_000]));

console.log(
  JSON.stringify({
    bench: 'normalize',
    firstCallUs: +(first / 1000).toFixed(2),
    repeatedCallNs: +repeated.toFixed(0),
    bareLibphonenumberParseUs: +(bare / 1000).toFixed(2),
    speedupRepeatedVsFirst: +(first / repeated).toFixed(0),
  }),
);
