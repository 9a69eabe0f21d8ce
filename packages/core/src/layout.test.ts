import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The folders of core in the order a check flows through them. A source file may import
// from its own folder or from a folder of a lower rank, never upwards or sideways, so the
// data path stays readable and core can have no import cycle.
const RANK: Readonly<Record<string, number>> = {
  model: 0,
  options: 1,
  normalize: 1,
  resilience: 2,
  observe: 3,
  policy: 3,
  telesign: 3,
  cache: 3,
  signals: 3,
  guard: 4,
  http: 5,
  '.': 6,
};

const SRC = dirname(fileURLToPath(import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

function folderOf(file: string): string {
  const rel = relative(SRC, file);
  return rel.includes('/') ? (rel.split('/')[0] as string) : '.';
}

function relativeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)];
  return specs.map((m) => resolve(dirname(file), (m[1] as string).replace(/\.js$/, '.ts')));
}

const files = sourceFiles(SRC);

describe('core layout', () => {
  it('puts every source file in a known folder', () => {
    const unknown = files.map(folderOf).filter((folder) => RANK[folder] === undefined);
    expect(unknown).toEqual([]);
  });

  it('imports only from the same folder or from folders earlier on the data path', () => {
    const violations: string[] = [];
    for (const file of files) {
      const from = folderOf(file);
      for (const target of relativeImports(file)) {
        const to = folderOf(target);
        if (to !== from && (RANK[to] ?? 99) >= (RANK[from] ?? -1)) {
          violations.push(`${relative(SRC, file)} → ${relative(SRC, target)}`);
        }
      }
    }
    expect(violations).toEqual([]);
  });

  it('has no import cycle', () => {
    const graph = new Map(files.map((file) => [file, relativeImports(file)]));
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (file: string, path: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push(
          [...path.slice(path.indexOf(file)), file].map((f) => relative(SRC, f)).join(' → '),
        );
        return;
      }
      state.set(file, 'open');
      for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of files) visit(file, []);
    expect(cycles).toEqual([]);
  });
});
