import { afterEach, describe, expect, it, vi } from 'vitest';
import { HitClock, InputMemo } from './hot-path.js';

describe('InputMemo', () => {
  it('memoizes per default country and returns the shared result', () => {
    const memo = new InputMemo({ defaultCountry: 'US' }, 100);
    const us = memo.normalize('(415) 555-2671', undefined);
    expect(us.ok && us.phone.e164).toBe('+14155552671');
    expect(memo.normalize('(415) 555-2671', 'US')).toBe(us); // the guard's own country
    const gb = memo.normalize('07400 123456', 'GB');
    expect(gb.ok && gb.phone.e164).toBe('+447400123456');
    expect(memo.normalize('07400 123456', 'GB')).toBe(gb);
    expect(memo.normalize('07400 123456', undefined).ok).toBe(false);
    expect(memo.size).toBe(3);
  });

  it('stays bounded in total, whatever countries requests name', () => {
    const memo = new InputMemo({}, 50);
    const countries = ['GB', 'DE', 'FR', 'US', 'IN', 'BR', 'AU'] as const;
    for (let i = 0; i < 1000; i++) {
      memo.normalize(`0${7_400_000_000 + i}`, countries[i % countries.length]);
      expect(memo.size).toBeLessThanOrEqual(50);
    }
    const again = memo.normalize('07400 123456', 'GB');
    expect(again.ok && again.phone.e164).toBe('+447400123456');
  });

  it('does not memoize non-strings or over-long strings', () => {
    const memo = new InputMemo({}, 10);
    memo.normalize(42, undefined);
    memo.normalize('1'.repeat(100), 'GB');
    expect(memo.size).toBe(0);
    memo.normalize('+14155552671', undefined);
    memo.clear();
    expect(memo.size).toBe(0);
  });
});

describe('HitClock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('calls an injected clock every time', () => {
    let t = 0;
    const clock = new HitClock(() => ++t);
    expect([clock.now(), clock.now()]).toEqual([1, 2]);
    clock.stop();
  });

  it('reads the native clock at most once per millisecond, and lets the process exit', () => {
    const clock = new HitClock(Date.now);
    const first = clock.now();
    expect(Math.abs(first - Date.now())).toBeLessThan(1000);
    expect(clock.now()).toBe(first);
    clock.stop();
    expect(clock.now()).toBeGreaterThanOrEqual(first);
    clock.stop();
  });
});
