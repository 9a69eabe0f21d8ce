import { describe, expect, it } from 'vitest';
import { parseRfc822Date } from './rfc822-date.js';

describe('parseRfc822Date', () => {
  it('parses IMF-fixdate, toUTCString() output and RFC 822 variants', () => {
    const ms = Date.UTC(2016, 11, 14, 18, 20, 12);
    expect(parseRfc822Date('Wed, 14 Dec 2016 18:20:12 GMT')).toBe(ms);
    expect(parseRfc822Date(new Date(ms).toUTCString())).toBe(ms);
    expect(parseRfc822Date('14 Dec 2016 18:20:12 +0000')).toBe(ms);
    expect(parseRfc822Date('Wed, 14 Dec 2016 19:20:12 +0100')).toBe(ms);
    expect(parseRfc822Date('Wed, 14 Dec 2016 10:20:12 PST')).toBe(ms);
    expect(parseRfc822Date('Wed, 14 Dec 16 18:20 UT')).toBe(ms - 12_000);
  });

  it('rejects anything else', () => {
    for (const bad of [
      '',
      '2016-12-14T18:20:12Z',
      'Wed Dec 14 18:20:12 2016',
      'Wed, 14 Dec 2016 18:20:12',
      'Wed, 31 Feb 2016 18:20:12 GMT',
      'Wed, 14 Dec 2016 25:20:12 GMT',
      'Wed, 14 Foo 2016 18:20:12 GMT',
      'yesterday',
    ]) {
      expect({ bad, parsed: parseRfc822Date(bad) }).toEqual({ bad, parsed: null });
    }
  });
});
