/**
 * The two memos that keep a cache hit cheap: normalized inputs per default country, and a
 * coarse clock. Neither allocates on a hit.
 */
import type { CountryCode } from 'libphonenumber-js/max';
import type { NormalizeOptions, NormalizeResult } from '../model/phone.js';
import { MAX_PHONE_INPUT_LENGTH, normalizePhone } from '../normalize/normalize.js';

/**
 * Repeated raw inputs skip `normalizePhone` entirely. One plain map per default country
 * (the guard's own, and each per-call country met), all emptied together when `max`
 * inputs are held in total: cheaper than an LRU on the hot path, and bounded whatever
 * countries requests name.
 */
export class InputMemo {
  /** Memo of the guard's own default country: the common case, one map lookup away. */
  private guardDefault = new Map<string, NormalizeResult>();
  private readonly byCountry = new Map<CountryCode, Map<string, NormalizeResult>>();
  private readonly optionsByCountry = new Map<CountryCode, NormalizeOptions>();
  private held = 0;

  constructor(
    /** The guard's normalize options (its `defaultCountry` and `allowedCountries`). */
    private readonly options: NormalizeOptions,
    private readonly max: number,
  ) {}

  /**
   * `input` normalized with `country` as the default country (`undefined`: the guard's
   * own). `country` must be a valid country code (see `countryCodeOf`).
   */
  normalize(input: unknown, country: CountryCode | undefined): NormalizeResult {
    const perCall = country !== undefined && country !== this.options.defaultCountry;
    if (typeof input !== 'string') return normalizePhone(input, this.optionsFor(country, perCall));
    const memo = perCall ? this.memoFor(country) : this.guardDefault;
    let result = memo.get(input);
    if (result === undefined) {
      result = normalizePhone(input, this.optionsFor(country, perCall));
      if (input.length <= MAX_PHONE_INPUT_LENGTH) {
        if (this.held >= this.max) this.clear();
        // `clear()` may have replaced the map this input belongs in.
        (perCall ? this.memoFor(country) : this.guardDefault).set(input, result);
        this.held++;
      }
    }
    return result;
  }

  /** Inputs memoized, all countries together. */
  get size(): number {
    return this.held;
  }

  /** Forgets every memoized input. */
  clear(): void {
    this.guardDefault = new Map();
    this.byCountry.clear();
    this.held = 0;
  }

  private memoFor(country: CountryCode): Map<string, NormalizeResult> {
    let memo = this.byCountry.get(country);
    if (memo === undefined) {
      memo = new Map();
      this.byCountry.set(country, memo);
    }
    return memo;
  }

  private optionsFor(country: CountryCode | undefined, perCall: boolean): NormalizeOptions {
    if (!perCall || country === undefined) return this.options;
    let options = this.optionsByCountry.get(country);
    if (options === undefined) {
      options = Object.freeze({ ...this.options, defaultCountry: country });
      this.optionsByCountry.set(country, options);
    }
    return options;
  }
}

/**
 * The hit path's clock. With the native `Date.now`, the time is read at most once per
 * millisecond (a read costs 50–100 ns on some VMs; TTLs are minutes long). An injected or
 * faked clock (test fake timers) is called every time.
 */
export class HitClock {
  /** The current time in milliseconds (coarse with the native clock). */
  readonly now: () => number;
  private coarse = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(clock: () => number) {
    const native =
      clock === Date.now && /\[native code\]/.test(Function.prototype.toString.call(Date.now));
    this.now = native ? this.coarseNow : clock;
  }

  /** Stops the reset timer (the clock keeps working, uncached). */
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.coarse = 0;
  }

  private readonly coarseNow = (): number => {
    if (this.coarse !== 0) return this.coarse;
    this.coarse = Date.now();
    this.timer = setTimeout(this.reset, 1);
    this.timer.unref();
    return this.coarse;
  };

  private readonly reset = (): void => {
    this.coarse = 0;
    this.timer = undefined;
  };
}
