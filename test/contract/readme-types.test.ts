/**
 * Type-checks every TypeScript block of the Express, Koa, sandbox and CLI READMEs as a
 * strict user project would (the repository's compiler options plus
 * `exactOptionalPropertyTypes`), against the packages' sources. readme-snippets.test.ts
 * runs the marked Express and Koa blocks but only transpiles them, which lets a wrong
 * type, a renamed option or a possibly-undefined decision through.
 *
 * Each block becomes a file of one in-memory TypeScript program, placed beside this test
 * so that imports resolve like the workspace's own (`@phone-guard/*` to src/ through the
 * `@phone-guard/source` condition). A marked block (`<!-- snippet: name -->`) is a whole
 * module and must type-check on its own; a block whose first line names a file
 * (`// app.ts`) is that file, so the recipes' `import … from './app.js'` finds it. An
 * unmarked block is a fragment: the names it uses without declaring them (`app`, `guard`,
 * `findAccount` …) come from its README's context module (CONTEXTS). A block preceded by
 * `<!-- not checked: … -->` (a value's shape) and JavaScript blocks are not checked here
 * (the JavaScript ones are run by the snippet tests).
 */
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { type ReadmeBlock, readmeBlocks } from './readme-blocks.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const HERE = dirname(fileURLToPath(import.meta.url));

/** What the fragments of a README may use without declaring it: one module per README. */
interface Context {
  readonly code: string;
  /** The exported names that are types only (imported with `type`). */
  readonly types: readonly string[];
}

const ACCOUNT = `
export interface Account {
  phone: string;
  /** When the account last proved the number; null if it never did. */
  phoneVerifiedAt: Date | null;
}
export declare function findAccount(email: unknown): Promise<Account | undefined>;
export declare function sendResetCode(e164: string): Promise<void>;
`;

const CONTEXTS: Readonly<Record<string, Context>> = {
  'packages/express/README.md': {
    code: `import express from 'express';
import { createPhoneGuard, phoneGuard, type PhoneGuard } from '@phone-guard/express';
${ACCOUNT}
export { createPhoneGuard, express, phoneGuard };
export declare const app: express.Express;
export declare const guard: PhoneGuard;
export declare function accountOf(req: express.Request): Promise<Account | undefined>;
export declare const signupHandler: express.RequestHandler;
export declare const resetHandler: express.RequestHandler;
export declare const lookupHandler: express.RequestHandler;
`,
    types: ['Account'],
  },
  'packages/koa/README.md': {
    code: `import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import type Koa from 'koa';
import type { Context } from 'koa';
import { createPhoneGuard, phoneGuard, type PhoneGuard } from '@phone-guard/koa';
${ACCOUNT}
export { bodyParser, createPhoneGuard, phoneGuard, type Context };
export declare const app: Koa;
export declare const router: Router;
export declare const guard: PhoneGuard;
export declare function accountOf(ctx: Context): Promise<Account | undefined>;
export declare const signupHandler: Koa.Middleware;
export declare const resetHandler: Koa.Middleware;
export declare const lookupHandler: Koa.Middleware;
`,
    types: ['Account', 'Context'],
  },
  'packages/sandbox/README.md': {
    code: `import { type Sandbox, SANDBOX_API_KEY, SANDBOX_CUSTOMER_ID, startSandbox } from '@phone-guard/sandbox';
export { SANDBOX_API_KEY, SANDBOX_CUSTOMER_ID, startSandbox };
export declare const sandbox: Sandbox;
`,
    types: [],
  },
  'packages/cli/README.md': { code: 'export {};\n', types: [] },
};

/** READMEs whose marked snippets readme-snippets.test.ts runs (their names as files). */
const RUN_SNIPPETS: ReadonlySet<string> = new Set([
  'packages/express/README.md',
  'packages/koa/README.md',
]);

/** The names a block declares at its top level (imports included). */
function declaredNames(code: string): Set<string> {
  const source = ts.createSourceFile('block.ts', code, ts.ScriptTarget.ES2022);
  const names = new Set<string>();
  const bind = (name: ts.BindingName) => {
    if (ts.isIdentifier(name)) names.add(name.text);
    else
      for (const element of name.elements) if (!ts.isOmittedExpression(element)) bind(element.name);
  };
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      if (clause?.name) names.add(clause.name.text);
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) names.add(bindings.name.text);
      if (bindings && ts.isNamedImports(bindings)) {
        for (const element of bindings.elements) names.add(element.name.text);
      }
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) bind(declaration.name);
    } else if (
      (ts.isFunctionDeclaration(statement) ||
        ts.isClassDeclaration(statement) ||
        ts.isInterfaceDeclaration(statement) ||
        ts.isTypeAliasDeclaration(statement) ||
        ts.isEnumDeclaration(statement)) &&
      statement.name
    ) {
      names.add(statement.name.text);
    }
  }
  return names;
}

/** The names a context module exports (it declares nothing it does not export). */
function exportedNames(context: Context): string[] {
  const source = ts.createSourceFile('context.ts', context.code, ts.ScriptTarget.ES2022);
  const names: string[] = [];
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement)) continue;
    if (ts.isExportDeclaration(statement)) {
      const clause = statement.exportClause;
      if (clause && ts.isNamedExports(clause))
        names.push(...clause.elements.map((e) => e.name.text));
    } else {
      names.push(...declaredNames(statement.getText(source)));
    }
  }
  return names;
}

/** A block as a file of the program: its path, and its text after one added first line. */
interface BlockFile {
  readonly path: string;
  readonly text: string;
  readonly block: ReadmeBlock;
}

function blockFiles(readme: string, dir: string): BlockFile[] {
  const context = CONTEXTS[readme];
  if (context === undefined) throw new Error(`no context for ${readme}`);
  const provided = exportedNames(context);
  const files: BlockFile[] = [];
  for (const block of readmeBlocks(readme)) {
    if (block.lang !== 'ts' || block.unchecked) continue;
    const named = /^\/\/ ([\w.-]+\.ts)\n/.exec(block.code)?.[1];
    const file = named ?? (block.name ? `${block.name}.ts` : `block-${block.line}.ts`);
    // One line before the block: the context's names the block does not declare itself
    // (fragments only), or an empty export that keeps the block a module.
    const declared = declaredNames(block.code);
    const wanted = block.name ? [] : provided.filter((n) => !declared.has(n));
    const first = wanted.length
      ? `import { ${wanted.map((n) => (context.types.includes(n) ? `type ${n}` : n)).join(', ')} } from './readme-context.js';`
      : 'export {};';
    files.push({ path: join(dir, file), text: `${first}\n${block.code}`, block });
  }
  return files;
}

/** The repository's compiler options, with what a strict user project adds. */
function compilerOptions(): ts.CompilerOptions {
  const configPath = join(ROOT, 'tsconfig.base.json');
  const { config, error } = ts.readConfigFile(configPath, ts.sys.readFile);
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  const { options, errors } = ts.convertCompilerOptionsFromJson(
    config.compilerOptions,
    ROOT,
    configPath,
  );
  if (errors.length) throw new Error(errors.map((e) => e.messageText).join('\n'));
  return {
    ...options,
    exactOptionalPropertyTypes: true,
    noEmit: true,
    declaration: false,
    sourceMap: false,
  };
}

/**
 * Type-checks in-memory files (absolute paths, beside real ones) in one program; returns
 * each file's diagnostics.
 */
function typeCheck(files: ReadonlyMap<string, string>): Map<string, readonly ts.Diagnostic[]> {
  const options = compilerOptions();
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile, directoryExists } = host;
  const isVirtualDir = (d: string) => [...files.keys()].some((f) => f.startsWith(`${d}/`));
  host.fileExists = (f) => files.has(f) || fileExists.call(host, f);
  host.readFile = (f) => files.get(f) ?? readFile.call(host, f);
  host.directoryExists = (d) => isVirtualDir(d) || (directoryExists?.call(host, d) ?? false);
  host.getSourceFile = (f, language, ...rest) => {
    const text = files.get(f);
    if (text !== undefined) return ts.createSourceFile(f, text, language);
    return getSourceFile.call(host, f, language, ...rest);
  };
  const program = ts.createProgram([...files.keys()], options, host);
  const diagnostics = new Map<string, readonly ts.Diagnostic[]>();
  for (const path of files.keys()) {
    const source = program.getSourceFile(path);
    if (source === undefined) throw new Error(`${path} is not in the program`);
    diagnostics.set(path, [
      ...program.getSyntacticDiagnostics(source),
      ...program.getSemanticDiagnostics(source),
    ]);
  }
  return diagnostics;
}

const describeDiagnostic = (d: ts.Diagnostic, where: string) =>
  `${where}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;

/** A Koa fragment that must not type-check: proves that the check can fail. */
const BROKEN = "app.use(phoneGuard({ guard, mode: 'deny' }));\n";

describe('README TypeScript blocks type-check (strict, exactOptionalPropertyTypes)', () => {
  const readmes = Object.keys(CONTEXTS);
  const files = new Map<string, string>();
  const blocks = new Map<string, { readme: string; file: BlockFile }>();
  for (const readme of readmes) {
    const dir = join(HERE, '.readme-types', readme.split('/')[1] as string);
    files.set(join(dir, 'readme-context.ts'), CONTEXTS[readme]?.code ?? '');
    for (const file of blockFiles(readme, dir)) {
      if (files.has(file.path)) throw new Error(`${readme}: two blocks are ${file.path}`);
      files.set(file.path, file.text);
      blocks.set(file.path, { readme, file });
    }
  }
  const brokenPath = join(HERE, '.readme-types', 'koa', 'broken.ts');
  files.set(brokenPath, `import { app, guard, phoneGuard } from './readme-context.js';\n${BROKEN}`);
  let checked: Map<string, readonly ts.Diagnostic[]> | undefined;
  const diagnostics = () => {
    checked ??= typeCheck(files);
    return checked;
  };

  it.each(readmes)('%s has blocks to check', (readme) => {
    const mine = [...blocks.values()].filter((b) => b.readme === readme).map((b) => b.file);
    expect(mine.length).toBeGreaterThan(0);
    if (!RUN_SNIPPETS.has(readme)) return;
    expect(mine.length).toBeGreaterThan(4);
    expect(mine.filter((f) => f.block.name !== undefined).map((f) => basename(f.path))).toEqual(
      expect.arrayContaining(['app.ts', 'app.test.ts', 'shadow.ts', 'shutdown.ts']),
    );
  });

  it('every block type-checks', () => {
    const errors: string[] = [];
    for (const [path, list] of diagnostics()) {
      if (path === brokenPath) continue;
      const at = blocks.get(path);
      for (const d of list) {
        // Line 0 of the file is the added first line; line 1 is the block's first line.
        const line =
          d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line : 0;
        errors.push(
          describeDiagnostic(
            d,
            at ? `${at.readme}:${at.file.block.line + line - 1}` : relative(ROOT, path),
          ),
        );
      }
    }
    expect(errors).toEqual([]);
  }, 120_000);

  it('reports a block that does not type-check (an impossible mode)', () => {
    const errors = (diagnostics().get(brokenPath) ?? []).map((d) =>
      describeDiagnostic(d, 'broken'),
    );
    expect(errors.join('\n')).toMatch(/"deny"/);
  }, 120_000);
});
