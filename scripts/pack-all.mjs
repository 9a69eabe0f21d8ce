// Packs every publishable package with `pnpm pack` (which rewrites workspace: ranges and
// runs each package's prepack build) into one folder, and prints a JSON map
// { "@phone-guard/core": "/abs/path/phone-guard-core-0.1.0.tgz", ... }.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export function packAll(outDir) {
  mkdirSync(outDir, { recursive: true });
  const result = {};
  for (const dir of readdirSync(join(root, 'packages'))) {
    const pkgDir = join(root, 'packages', dir);
    const manifest = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
    if (manifest.private) continue;
    execFileSync('pnpm', ['pack', '--pack-destination', outDir], {
      cwd: pkgDir,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const file = `${manifest.name.replace('@', '').replace('/', '-')}-${manifest.version}.tgz`;
    result[manifest.name] = join(outDir, file);
  }
  return result;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outDir = resolve(process.argv[2] ?? join(root, '.tmp', 'packs'));
  console.log(JSON.stringify(packAll(outDir), null, 2));
}
