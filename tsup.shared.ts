import { defineConfig, type Options } from 'tsup';

/**
 * The one build every package shares: ESM + CJS + declarations (.d.ts and .d.cts),
 * Node 20 target, dependencies left external. `entry` names the package's entry files.
 */
export function packageBuild(entry: Record<string, string>, extra: Partial<Options> = {}) {
  return defineConfig({
    entry,
    format: ['esm', 'cjs'],
    target: 'node20',
    platform: 'node',
    dts: { compilerOptions: { ignoreDeprecations: '6.0', customConditions: [] } },
    sourcemap: true,
    clean: true,
    splitting: false,
    treeshake: true,
    shims: false,
    ...extra,
  });
}
