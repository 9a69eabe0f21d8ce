/**
 * The fenced code blocks of a README, for the tests that keep the docs true
 * (readme-snippets.test.ts runs the marked ones, readme-types.test.ts type-checks them).
 *
 * A block is "marked" by `<!-- snippet: name -->` on the line before its fence: the
 * snippet tests run it. A block preceded by `<!-- not checked: why -->` is not code (a
 * shape, an outline) and is left alone. Every other ```ts block is a fragment, type-checked
 * against the names the README assumes (an `app`, a `guard` …).
 */
import { readFileSync } from 'node:fs';

/** One fenced ```ts or ```js block. */
export interface ReadmeBlock {
  /** The marker's name, for a marked block. */
  readonly name: string | undefined;
  readonly lang: 'ts' | 'js';
  readonly code: string;
  /** 1-based README line of the block's first code line. */
  readonly line: number;
  /** Preceded by `<!-- not checked: … -->`. */
  readonly unchecked: boolean;
}

const MARKER = /^<!-- snippet: ([\w-]+) -->$/;
const UNCHECKED = /^<!-- not checked: .+ -->$/;

/** Every ```ts and ```js block of the README at `path` (relative to the repository root). */
export function readmeBlocks(path: string): ReadmeBlock[] {
  const text = readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
  const lines = text.split(/\r?\n/);
  const blocks: ReadmeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = /^```(ts|js)$/.exec(lines[i] as string);
    if (!fence) continue;
    const end = lines.indexOf('```', i + 1);
    if (end < 0) throw new Error(`${path}:${i + 1}: the code block is not closed`);
    const before = (lines[i - 1] ?? '').trim();
    blocks.push({
      name: MARKER.exec(before)?.[1],
      lang: fence[1] as 'ts' | 'js',
      code: `${lines.slice(i + 1, end).join('\n')}\n`,
      line: i + 2,
      unchecked: UNCHECKED.test(before),
    });
    i = end;
  }
  return blocks;
}

/** The marked code blocks of a README, by name. */
export function snippets(path: string): Map<string, string> {
  const named = new Map<string, string>();
  for (const block of readmeBlocks(path)) {
    if (block.name !== undefined) named.set(block.name, block.code);
  }
  return named;
}
