/**
 * Strict parsing of RFC 822 / RFC 1123 / RFC 7231 (IMF-fixdate) dates, as Telesign
 * requires for `Date` and `x-ts-date`: `Wed, 14 Dec 2016 18:20:12 GMT`, also with a
 * numeric zone (`+0100`), a US zone name, a two-digit year or no seconds.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const ZONES: Readonly<Record<string, number>> = {
  GMT: 0,
  UT: 0,
  UTC: 0,
  Z: 0,
  EST: -300,
  EDT: -240,
  CST: -360,
  CDT: -300,
  MST: -420,
  MDT: -360,
  PST: -480,
  PDT: -420,
};

const PATTERN =
  /^(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?(\d{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}|\d{2}) (\d{2}):(\d{2})(?::(\d{2}))? (GMT|UTC|UT|Z|[ECMP][SD]T|[+-]\d{4})$/;

/**
 * Milliseconds since the epoch of an RFC 822 date, or `null` when `value` is not one.
 *
 * @example parseRfc822Date('Wed, 14 Dec 2016 18:20:12 GMT') // 1481739612000
 */
export function parseRfc822Date(value: string): number | null {
  const m = PATTERN.exec(value.trim());
  if (!m) return null;
  const [, dayS, monS, yearS, hS, minS, sS, zone] = m as unknown as string[];
  let year = Number(yearS);
  if (yearS!.length === 2) year += year < 50 ? 2000 : 1900;
  const month = MONTHS.indexOf(monS!);
  const day = Number(dayS);
  const hour = Number(hS);
  const minute = Number(minS);
  const second = sS === undefined ? 0 : Number(sS);
  if (day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return null;
  let offsetMin: number;
  if (zone!.startsWith('+') || zone!.startsWith('-')) {
    const sign = zone!.startsWith('-') ? -1 : 1;
    const hh = Number(zone!.slice(1, 3));
    const mm = Number(zone!.slice(3, 5));
    if (mm > 59) return null;
    offsetMin = sign * (hh * 60 + mm);
  } else {
    offsetMin = ZONES[zone!] ?? 0;
  }
  const utc = Date.UTC(year, month, day, hour, minute, second);
  // Reject impossible calendar dates such as 31 Feb (Date.UTC would roll them over).
  if (new Date(utc).getUTCDate() !== day) return null;
  return utc - offsetMin * 60_000;
}
