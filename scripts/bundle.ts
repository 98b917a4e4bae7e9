// `npm run build`, last stage: the compiled program (dist/src, tsc's output) bundled by esbuild
// into dist/bin/cli.js, the `collabsec` command. Start-up was mostly module loading: `plan`
// resolved, read and compiled ~140 files (94 of them zod's), the wizard several hundred more
// (ink, react, execa, @peculiar/x509, yaml, many of them CommonJS that Node scans for their
// exports). Here the program and its packages become one file per command plus shared chunks,
// split at every dynamic import, so `plan` still never loads ink, react or ssh2
// (test/plan/lazy-imports.test.ts reads dist/bin/meta.json to prove it).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { shapesHash } from '../src/catalogue/compiled.js';
import { packageRoot } from '../src/catalogue/root.js';
import { loadBundle, saveCodeCache, WRAPPER_HEAD, WRAPPER_TAIL } from '../src/code-cache.js';
import type { Command } from '../src/commands/types.js';
import { targetShapes } from '../src/inventory/shapes.js';
import { graphemeFastPathPlugin, inkChalkPlugin, inkNoTopLevelAwaitPlugin, inkOutputPlugin, yogaWasmPlugin } from './bundle-plugins.js';
import { warmPlan, warmWizard } from './warm-up.js';

/**
 * Left to node_modules: ssh2 and pg carry optional native parts and load only for --live and a
 * database journal; react-devtools-core is ink's, imported only with DEV=true and not installed.
 */
const EXTERNAL = ['ssh2', 'pg', 'pg-connection-string', 'react-devtools-core'];

/**
 * Left to node_modules by the wizard alone: each is needed long after the first frame, if at all
 * (the certificate parser at the first certificate checkpoint, the password prompt for a secret),
 * and both have a CommonJS build to require then. Bundled they were a third of dist/bin/wizard.cjs
 * (1 MB of 2.9, 0.6 of it @inquirer/prompts' editor prompt's iconv-lite), which every start read
 * and hashed (src/code-cache.ts) before drawing anything (issue 25).
 */
const WIZARD_LATER = ['@inquirer/prompts', '@peculiar/x509'];

const root = packageRoot();

// The precompiled catalogue (dist/catalogue.json) is keyed by the hash of the built schema and
// loader modules (src/catalogue/compiled.ts); inside the bundle they are no longer files, so the
// hash of the very files bundled here is written into it.
const codeHash = createHash('sha256');
for (const m of ['schema', 'load']) codeHash.update(readFileSync(join(root, 'dist', 'src', 'catalogue', `${m}.js`)));
// Likewise the precompiled role table (dist/roles.json, src/verify/cert/roles-compiled.ts).
const rolesCodeHash = createHash('sha256').update(readFileSync(join(root, 'dist', 'src', 'verify', 'cert', 'roles.js'))).digest('hex');
// And the hash of the target shapes bundled, which the stored catalogue was validated against
// (src/plan/load-plan.ts, defaultCatalogue): the same module, hashed as the catalogue hashes it.
const targetShapesHash = shapesHash(targetShapes);

const outdir = join(root, 'dist', 'bin');
rmSync(outdir, { recursive: true, force: true });

/** `plan`, and the wizard (`run`, `resume`), as one CommonJS file each, loaded with its V8 code cache (src/code-cache.ts, src/cli.ts). */
const PLAN_BUNDLE = 'plan.cjs';
const WIZARD_BUNDLE = 'wizard.cjs';

const defines = {
  COLLABSEC_CATALOGUE_CODE_HASH: JSON.stringify(codeHash.digest('hex')),
  COLLABSEC_ROLES_CODE_HASH: JSON.stringify(rolesCodeHash),
  COLLABSEC_TARGET_SHAPES_HASH: JSON.stringify(targetShapesHash),
  // React and its reconciler pick their production build on NODE_ENV; unset, the TUI ran their
  // development build (1.1 MB of reconciler with its checks, only for warnings a TUI cannot show)
  // before its first frame. The bundle is what users run: it takes the production build.
  'process.env.NODE_ENV': '"production"',
};

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  external: EXTERNAL.flatMap((d) => [d, `${d}/*`]),
  metafile: true,
  // Node reads, pre-parses and compiles every file a command loads before it runs a line: without
  // whitespace and with shorter syntax there is less of it. Identifiers keep their names (no
  // minifyIdentifiers), so stack traces and error names stay readable; license comments stay
  // (esbuild's default legalComments for bundles, 'eof').
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
} as const;

// The CommonJS files (the launcher, plan, the wizard): their modules read import.meta.url (the
// package root, the precompiled catalogue, createRequire); in CommonJS that is the file's own URL.
// "use strict" first: our modules are ES modules, strict wherever the tests run them, and a
// directive counts only before any other statement. esbuild's own "use strict" came after the
// banner's `var`, where it is an expression and nothing more, so the bundles ran sloppy: a write
// to a frozen object, say, was ignored there where the tests see it throw
// (test/scripts/bundle-strict.test.ts).
const cjs = {
  format: 'cjs',
  define: { ...defines, 'import.meta.url': '__collabsecImportMetaUrl' },
  banner: { js: `"use strict";var __collabsecImportMetaUrl = require('node:url').pathToFileURL(__filename).href;` },
} as const;

// `plan` and the wizard, the files loadBundle runs (src/code-cache.ts): written inside Node's
// CommonJS wrapper, so the string read from the file is the source V8 compiles, with no copy made
// to wrap it at run time (issue 25). Only loadBundle can run them: node itself would wrap them
// again and only evaluate the function.
const wrapped = {
  ...cjs,
  banner: { js: `${WRAPPER_HEAD}${cjs.banner.js}` },
  footer: { js: WRAPPER_TAIL },
} as const;

/** The patches every build that holds ink needs (scripts/bundle-plugins.ts). */
const tuiPlugins = [inkChalkPlugin(root), yogaWasmPlugin, inkNoTopLevelAwaitPlugin, inkOutputPlugin];

/** Loads a CommonJS bundle, runs its warm-up (scripts/warm-up.ts) and stores its code cache. */
async function warmAndCache(file: string, warm: (exports: Record<string, Command>) => Promise<void>): Promise<void> {
  const loaded = loadBundle(file);
  await warm(loaded.exports as Record<string, Command>);
  saveCodeCache(file, loaded);
}

// The `collabsec` command, dist/bin/cli.js, is CommonJS (dist/bin/package.json says so): Node
// starts it without its ES module loader, and neither `plan` nor the wizard meets that loader at
// all: they are the code-cached CommonJS files (COLLABSEC_PLAN_BUNDLE, COLLABSEC_WIZARD_BUNDLE).
// Each other subcommand module it imports (src/cli.ts) is left to the ES module build below, as
// dist/bin/esm/<command>.mjs.
const commandModules = new Map<string, string>();
const commandsAsEsm: Plugin = {
  name: 'commands-as-esm',
  setup(b) {
    b.onResolve({ filter: /^\.\/commands\/[a-z-]+\.js$/ }, ({ path, importer }) => {
      if (!importer.endsWith(join('dist', 'src', 'cli.js'))) return undefined;
      const name = path.slice('./commands/'.length, -'.js'.length);
      commandModules.set(name, join(root, 'dist', 'src', 'commands', `${name}.js`));
      return { path: `./esm/${name}.mjs`, external: true };
    });
  },
};
mkdirSync(outdir, { recursive: true });
writeFileSync(join(outdir, 'package.json'), `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`);
const launcher = await build({
  ...common,
  entryPoints: [join(root, 'dist', 'src', 'cli.js')],
  outfile: join(outdir, 'cli.js'),
  ...cjs,
  define: { ...cjs.define, COLLABSEC_PLAN_BUNDLE: JSON.stringify(PLAN_BUNDLE), COLLABSEC_WIZARD_BUNDLE: JSON.stringify(WIZARD_BUNDLE) },
  plugins: [commandsAsEsm],
});
if (commandModules.size === 0 || ['plan', 'run', 'resume'].some((c) => commandModules.has(c))) throw new Error('bundle: src/cli.ts no longer imports its commands as ./commands/<name>.js, or imports plan or the wizard besides their bundles');

// The other commands as ES modules: one entry file per command, shared chunks, split at every
// dynamic import, so a command loads only what it uses.
const result = await build({
  ...common,
  entryPoints: [...commandModules.values()],
  outdir: join(outdir, 'esm'),
  outExtension: { '.js': '.mjs' },
  splitting: true,
  format: 'esm',
  define: defines,
  // CommonJS packages inside the bundle (react, react-reconciler, signal-exit) call require() for
  // Node's own modules; an ES module has no require, so each output file gets one.
  banner: { js: "import { createRequire as __collabsecCreateRequire } from 'node:module'; const require = __collabsecCreateRequire(import.meta.url);" },
  plugins: tuiPlugins,
});

// `plan`, the dry-run, as a single CommonJS file: one file to read instead of ~25 chunks, and a
// script V8 can take a code cache for (an ES module cannot have one on Node 20).
const planFile = join(outdir, PLAN_BUNDLE);
const planResult = await build({
  ...common,
  entryPoints: [join(root, 'dist', 'src', 'commands', 'plan.js')],
  outfile: planFile,
  ...wrapped,
});
await warmAndCache(planFile, (e) => warmPlan(e.default!, root));

// The wizard likewise: `run` and `resume` share all but their flags. Whatever the first frame
// does not need (the certificate parser, execa, later screens) stays behind the dynamic imports
// it was behind, now the bundle's lazily run module wrappers (test/e2e/bundle.test.ts).
const wizardFile = join(outdir, WIZARD_BUNDLE);
const wizardResult = await build({
  ...common,
  stdin: {
    contents: "export { default as run } from './run.js';\nexport { default as resume } from './resume.js';\n",
    resolveDir: join(root, 'dist', 'src', 'commands'),
    sourcefile: 'wizard-entry.js',
  },
  outfile: wizardFile,
  ...wrapped,
  external: [...common.external, ...WIZARD_LATER.flatMap((d) => [d, `${d}/*`])],
  plugins: [...tuiPlugins, graphemeFastPathPlugin],
});
await warmAndCache(wizardFile, (e) => warmWizard(e.run!, root));

// Which sources each output file holds: the lazy-imports test checks what `plan` loads against it.
const metas = [launcher.metafile, result.metafile, planResult.metafile, wizardResult.metafile];
writeFileSync(join(outdir, 'meta.json'), JSON.stringify({ inputs: Object.fromEntries(metas.flatMap((m) => Object.entries(m.inputs))), outputs: Object.fromEntries(metas.flatMap((m) => Object.entries(m.outputs))) }));
process.stdout.write(`bundle: ${join('dist', 'bin', 'cli.js')}, ${join('dist', 'bin', PLAN_BUNDLE)} and ${join('dist', 'bin', WIZARD_BUNDLE)} (with their code caches)\n`);
// The wizard's warm-up leaves nothing to wait for, but a stray handle must not hold the build.
process.exit(0);
