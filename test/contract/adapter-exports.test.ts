/**
 * The Express and Koa packages re-export the same names from `@phone-guard/core`, so an
 * app needs one phone-guard import whichever framework it uses. The two lists are written
 * out in each package's index.ts (one shared list would need a second public entry point
 * of core); this test keeps them in step, at run time and in the source.
 */
import { readFileSync } from 'node:fs';
import * as express from '@phone-guard/express';
import * as koa from '@phone-guard/koa';
import { describe, expect, it } from 'vitest';

/** The `export … from '@phone-guard/core'` statements of a package's index.ts. */
function coreReExports(pkg: string): string[] {
  const source = readFileSync(
    new URL(`../../packages/${pkg}/src/index.ts`, import.meta.url),
    'utf8',
  );
  return [...source.matchAll(/export (?:type )?\{[^}]*\} from '@phone-guard\/core';/g)].map((m) =>
    m[0].replace(/\s+/g, ' '),
  );
}

describe('adapter re-exports', () => {
  it('Express and Koa re-export the same names from core, in the same statements', () => {
    const fromExpress = coreReExports('express');
    expect(fromExpress.length).toBeGreaterThan(0);
    expect(coreReExports('koa')).toEqual(fromExpress);
  });

  it('and the same values at run time (besides their own middleware types)', () => {
    const names = (m: object) => Object.keys(m).sort();
    expect(names(koa)).toEqual(names(express));
    expect(names(express)).toContain('createPhoneGuard');
  });
});
