// Packs every publishable package with `pnpm pack` (which rewrites workspace: ranges and
// runs each package's prepack build) into one folder, and prints a JSON map
// { "@phone-guard/core": "/abs/path/phone-guard-core-0.1.0.tgz", ... }.
//
// Packages are packed in dependency order (core before the packages that import it), so
// that each prepack build finds the declarations of its workspace dependencies: this works
// on a fresh, unbuilt clone.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The publishable packages under packages/, dependencies first. */
export function publishablePackages() {
  const packages = new Map();
  for (const dir of readdirSync(join(root, 'packages')).sort()) {
    const pkgDir = join(root, 'packages', dir);
    let manifest;
    try {
      manifest = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
    } catch {
      continue; // not a package folder
    }
    if (manifest.private) continue;
    packages.set(manifest.name, { dir: pkgDir, manifest });
  }
  const ordered = [];
  const state = new Map(); // name -> 'visiting' | 'done'
  const visit = (name, path) => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      throw new Error(`workspace dependency cycle: ${[...path, name].join(' -> ')}`);
    }
    state.set(name, 'visiting');
    const { manifest } = packages.get(name);
    const deps = {
      ...manifest.dependencies,
      ...manifest.peerDependencies,
      ...manifest.optionalDependencies,
    };
    for (const dep of Object.keys(deps).sort()) {
      if (packages.has(dep)) visit(dep, [...path, name]);
    }
    state.set(name, 'done');
    ordered.push(packages.get(name));
  };
  for (const name of [...packages.keys()].sort()) visit(name, []);
  return ordered;
}

export function packAll(outDir) {
  mkdirSync(outDir, { recursive: true });
  const result = {};
  for (const { dir, manifest } of publishablePackages()) {
    execFileSync('pnpm', ['pack', '--pack-destination', outDir], {
      cwd: dir,
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
