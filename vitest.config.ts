import { defineConfig } from 'vitest/config';

// Tests run against each package's src/ through the "@phone-guard/source" export
// condition, so a stale dist/ can never be tested by mistake. Both `resolve` and
// `ssr.resolve` need it: vitest resolves node-side imports through the SSR pipeline.
// Vitest also hands these conditions to Node (`--conditions`) for externalized packages,
// so list nothing else here: an "import" or "module" condition would make Node's
// `require()` pick ESM files (e.g. is-promise's index.mjs inside Express's router).
const conditions = ['@phone-guard/source', 'node'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts', 'examples/*/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    setupFiles: ['test/setup/fast-check.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    reporters: ['default', ['json', { outputFile: '.vitest-report.json' }]],
  },
});
