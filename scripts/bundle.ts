// `npm run build`, last stage: the compiled program (dist/src, tsc's output) bundled by esbuild
// into dist/bin/cli.js, the `collabsec` command. Start-up was mostly module loading: `plan`
// resolved, read and compiled ~140 files (94 of them zod's), the wizard several hundred more
// (ink, react, execa, @peculiar/x509, yaml, many of them CommonJS that Node scans for their
// exports). Here the program and its packages become one file per command plus shared chunks,
// split at every dynamic import, so `plan` still never loads ink, react or ssh2
// (test/plan/lazy-imports.test.ts reads dist/bin/meta.json to prove it).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { Writable } from 'node:stream';
import { build, type Plugin } from 'esbuild';
import { packageRoot } from '../src/catalogue/root.js';
import { loadBundle, saveCodeCache } from '../src/code-cache.js';
import type { Command, Io } from '../src/commands/types.js';

/**
 * Left to node_modules: ssh2 and pg carry optional native parts and load only for --live and a
 * database journal; react-devtools-core is ink's, imported only with DEV=true and not installed.
 */
const EXTERNAL = ['ssh2', 'pg', 'pg-connection-string', 'react-devtools-core'];

const root = packageRoot();

// The precompiled catalogue (dist/catalogue.json) is keyed by the hash of the built schema and
// loader modules (src/catalogue/compiled.ts); inside the bundle they are no longer files, so the
// hash of the very files bundled here is written into it.
const codeHash = createHash('sha256');
for (const m of ['schema', 'load']) codeHash.update(readFileSync(join(root, 'dist', 'src', 'catalogue', `${m}.js`)));
// Likewise the precompiled role table (dist/roles.json, src/verify/cert/roles-compiled.ts).
const rolesCodeHash = createHash('sha256').update(readFileSync(join(root, 'dist', 'src', 'verify', 'cert', 'roles.js'))).digest('hex');

// ink draws through its own copy of chalk, and NO_COLOR in the TUI sets that copy's level
// (src/ui/ink-colour.ts). Bundled, that copy is a module inside the bundle, not a file beside
// ink: src/ui/ink-chalk.ts becomes a re-export of the chalk module ink itself imports (the same
// resolved file, hence the same module instance in the bundle).
const inkChalk = createRequire(createRequire(join(root, 'package.json')).resolve('ink')).resolve('chalk');
const inkChalkPlugin: Plugin = {
  name: 'ink-chalk',
  setup(b) {
    b.onLoad({ filter: /[\\/]dist[\\/]src[\\/]ui[\\/]ink-chalk\.js$/ }, () => ({
      contents: `export { default as bundledInkChalk } from ${JSON.stringify(inkChalk)};`,
      loader: 'js',
    }));
  },
};

// ink lays out with yoga-layout, whose Emscripten loader carries its WebAssembly as a base64
// data: URL and, when a global fetch exists (Node ≥ 18), reads it with fetch(): that loaded undici
// and decoded the URL in JavaScript before the first frame (~70 ms of a 1.5 s wizard start-up on
// a busy machine, issue 25). Here the bytes are handed over as the loader's documented
// `wasmBinary` option instead, decoded by Buffer; the module stays yoga's own code otherwise. A
// yoga-layout whose files no longer look as expected fails the build rather than bundling unpatched.
const YOGA_DATA_URL = /"data:application\/octet-stream;base64,([A-Za-z0-9+/=]+)"/g;
const yogaWasmPlugin: Plugin = {
  name: 'yoga-wasm-binary',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/ }, ({ path }) => {
      const text = readFileSync(path, 'utf8');
      const found = [...text.matchAll(YOGA_DATA_URL)];
      if (found.length !== 1 || !text.includes('h.wasmBinary&&(w=h.wasmBinary)')) throw new Error(`${path}: not the yoga-layout loader this build patches (one base64 wasm, a wasmBinary option)`);
      const contents = `${text.replace(YOGA_DATA_URL, '"data:application/octet-stream;base64,"')}\nexport const yogaWasmBase64 = ${JSON.stringify(found[0]![1])};\n`;
      return { contents, loader: 'js' };
    });
    b.onLoad({ filter: /[\\/]node_modules[\\/]yoga-layout[\\/]dist[\\/]src[\\/]index\.js$/ }, ({ path }) => {
      const text = readFileSync(path, 'utf8');
      const load = 'const Yoga = wrapAssembly(await loadYoga());';
      if (!text.includes(load) || !text.includes("import loadYoga from '../binaries/yoga-wasm-base64-esm.js';")) throw new Error(`${path}: not the yoga-layout entry this build patches`);
      const contents = text
        .replace("import loadYoga from '../binaries/yoga-wasm-base64-esm.js';", "import loadYoga, { yogaWasmBase64 } from '../binaries/yoga-wasm-base64-esm.js';")
        .replace(load, "const Yoga = wrapAssembly(await loadYoga({ wasmBinary: Buffer.from(yogaWasmBase64, 'base64') }));");
      return { contents, loader: 'js', resolveDir: dirname(path) };
    });
  },
};

const outdir = join(root, 'dist', 'bin');
rmSync(outdir, { recursive: true, force: true });

/** `plan` as one CommonJS file, loaded with its V8 code cache (src/code-cache.ts, src/cli.ts). */
const PLAN_BUNDLE = 'plan.cjs';

const defines = {
  COLLABSEC_CATALOGUE_CODE_HASH: JSON.stringify(codeHash.digest('hex')),
  COLLABSEC_ROLES_CODE_HASH: JSON.stringify(rolesCodeHash),
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

// The `collabsec` command, dist/bin/cli.js, is CommonJS (dist/bin/package.json says so): Node
// starts it without its ES module loader, and `plan` never meets that loader at all. Each
// subcommand module it imports (src/cli.ts) is left to the ES module build below, as
// dist/bin/esm/<command>.mjs; `plan` is the code-cached CommonJS file (COLLABSEC_PLAN_BUNDLE).
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
  format: 'cjs',
  define: { ...defines, COLLABSEC_PLAN_BUNDLE: JSON.stringify(PLAN_BUNDLE), 'import.meta.url': '__collabsecImportMetaUrl' },
  banner: { js: "var __collabsecImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [commandsAsEsm],
});
if (commandModules.size === 0 || commandModules.has('plan')) throw new Error('bundle: src/cli.ts no longer imports its commands as ./commands/<name>.js, or imports plan besides its bundle');

// The other commands as ES modules (ink and yoga-layout use top-level await): one entry file per
// command, shared chunks, split at every dynamic import, so a command loads only what it uses.
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
  plugins: [inkChalkPlugin, yogaWasmPlugin],
});

// `plan`, the dry-run, as a single CommonJS file: one file to read instead of ~25 chunks, and a
// script V8 can take a code cache for (an ES module cannot have one on Node 20). Its modules
// read import.meta.url (the package root, the precompiled catalogue); in CommonJS that is the
// bundle's own file URL.
const planFile = join(outdir, PLAN_BUNDLE);
const planResult = await build({
  ...common,
  entryPoints: [join(root, 'dist', 'src', 'commands', 'plan.js')],
  outfile: planFile,
  format: 'cjs',
  define: { ...defines, 'import.meta.url': '__collabsecImportMetaUrl' },
  banner: { js: "var __collabsecImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
});

// The warm-up: the dry-run of the shipped example in every format, in this process (plain
// `node`, the flags users run with), so the cache holds the functions a plan calls, not only the
// top level. Its output is discarded; a failure fails the build.
const planLoaded = loadBundle(planFile);
const planCommand = (planLoaded.exports as { default: Command }).default;
const sink = new Writable({ write: (_chunk, _enc, done) => done() });
const io: Io = { stdout: sink, stderr: sink, stdin: process.stdin, env: { NO_COLOR: '1' }, cwd: root };
for (const format of ['text', 'markdown', 'json']) {
  const code = await planCommand.run(['--inventory', join(root, 'examples', 'ent-pa.yaml'), '--format', format], io);
  if (code !== 0) throw new Error(`bundle: the warm-up plan (--format ${format}) exited ${code}`);
}
saveCodeCache(planFile, planLoaded);

// Which sources each output file holds: the lazy-imports test checks what `plan` loads against it.
const metas = [launcher.metafile, result.metafile, planResult.metafile];
writeFileSync(join(outdir, 'meta.json'), JSON.stringify({ inputs: Object.fromEntries(metas.flatMap((m) => Object.entries(m.inputs))), outputs: Object.fromEntries(metas.flatMap((m) => Object.entries(m.outputs))) }));
process.stdout.write(`bundle: ${join('dist', 'bin', 'cli.js')}, ${join('dist', 'bin', PLAN_BUNDLE)} (+ code cache)\n`);
