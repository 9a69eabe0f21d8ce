/**
 * The value checks of the adapter options that need more than the shared vocabulary
 * (options/checks.ts): HTTP methods, the route label, the rollout share, the logger, a
 * shared guard and a per-route policy.
 */
import { type CheckMode, MAX_ROUTE_LABEL } from '../guard/check-options.js';
import type { PhoneGuard } from '../guard/create-guard.js';
import { PhoneGuardOptionError } from '../model/errors.js';
import type { Logger } from '../model/types.js';
import { describe, textOption } from '../options/checks.js';
import type { PolicyOption } from '../policy/policy.js';

/** Methods that never change state (RFC 9110): not checked unless `methods` names them. */
export const SAFE_METHODS: readonly string[] = Object.freeze(['GET', 'HEAD', 'OPTIONS', 'TRACE']);
const METHOD_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,32}$/;

/** The `route` option: a label of at most {@link MAX_ROUTE_LABEL} characters. */
export function routeOption(value: unknown): string | undefined {
  const route = textOption(value, 'route');
  if (route !== undefined && route.length > MAX_ROUTE_LABEL) {
    throw new PhoneGuardOptionError(
      'route',
      `must be a route pattern of at most ${MAX_ROUTE_LABEL} characters, got ${route.length}`,
    );
  }
  return route;
}

/** The `enforce` option: a share from 0 to 1, with `mode: 'shadow'` only. */
export function enforceOption(value: unknown, mode: CheckMode): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw new PhoneGuardOptionError(
      'enforce',
      `must be a share from 0 to 1 (0.25: a quarter of the numbers), got ${describe(value)}`,
    );
  }
  if (mode !== 'shadow') {
    throw new PhoneGuardOptionError(
      'enforce',
      `applies to mode 'shadow' only (mode '${mode}' ${mode === 'block' ? 'enforces every number' : 'never blocks'})`,
    );
  }
  return value;
}

/** Throws when both of two options that exclude each other are given. */
export function exclusive(name: string, value: unknown, other: string, otherValue: unknown): void {
  if (value !== undefined && otherValue !== undefined) {
    throw new PhoneGuardOptionError(name, `cannot be combined with ${other}; give one of them`);
  }
}

/** The `methods` option as a test on an upper-case method name. */
export function methodFilter(methods: unknown): (method: string) => boolean {
  if (methods === undefined) return (method) => !SAFE_METHODS.includes(method);
  if (!Array.isArray(methods) || methods.length === 0) {
    throw new PhoneGuardOptionError(
      'methods',
      `must be a non-empty array of HTTP methods such as ['POST'], got ${describe(methods)}`,
    );
  }
  const checked = new Set<string>();
  methods.forEach((method: unknown, index) => {
    if (typeof method !== 'string' || !METHOD_TOKEN.test(method)) {
      throw new PhoneGuardOptionError(
        `methods[${index}]`,
        `must be an HTTP method name such as 'POST', got ${describe(method)}`,
      );
    }
    checked.add(method.toUpperCase());
  });
  return (method) => checked.has(method.toUpperCase());
}

/**
 * A rules object is copied as validated, so that a later change to the caller's object
 * can neither slip past validation nor change the route's policy; the copy is one
 * identity, which the guard resolves once.
 */
export function frozenPolicy(policy: unknown): PolicyOption {
  return (
    typeof policy === 'object' && policy !== null ? Object.freeze(structuredClone(policy)) : policy
  ) as PolicyOption;
}

/** Whether `value` looks like a guard made by `createPhoneGuard()`. */
export function isGuard(value: unknown): value is PhoneGuard {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { check?: unknown }).check === 'function'
  );
}

const SILENT: Logger = { warn() {}, error() {} };

/** The `logger` option: `console` by default, silence for `false`, else a checked logger. */
export function resolveLogger(logger: unknown): Logger {
  if (logger === undefined) return console;
  if (logger === false) return SILENT;
  if (
    typeof logger !== 'object' ||
    logger === null ||
    typeof (logger as Logger).warn !== 'function' ||
    typeof (logger as Logger).error !== 'function'
  ) {
    throw new PhoneGuardOptionError(
      'logger',
      `must have warn() and error() methods (console and pino loggers fit), or be false; got ${describe(logger)}`,
    );
  }
  return logger as Logger;
}
