// `npm run build`, last stage: the compiled program (dist/src, tsc's output) bundled by esbuild
// into dist/bin/cli.js, the `collabsec` command. Start-up was mostly module loading: `plan`
// resolved, read and compiled ~140 files (94 of them zod's). Here our modules and zod become one
// file per command (code split at each command's dynamic import, so `plan` still never loads
// ink, react or ssh2). Every other package stays an import of node_modules: ink must find its
// own chalk (src/ui/ink-colour.ts), ssh2 and pg carry optional native parts, and the rest load
// only on the paths that need them.
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { packageRoot } from '../src/catalogue/root.js';

/** Bundled into the program; every other dependency is left to node_modules. */
const BUNDLED = new Set(['zod']);

const root = packageRoot();
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
const external = Object.keys(pkg.dependencies)
  .filter((d) => !BUNDLED.has(d))
  .flatMap((d) => [d, `${d}/*`]);

// The precompiled catalogue (dist/catalogue.json) is keyed by the hash of the built schema and
// loader modules (src/catalogue/compiled.ts); inside the bundle they are no longer files, so the
// hash of the very files bundled here is written into it.
const codeHash = createHash('sha256');
for (const m of ['schema', 'load']) codeHash.update(readFileSync(join(root, 'dist', 'src', 'catalogue', `${m}.js`)));

const outdir = join(root, 'dist', 'bin');
rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: [join(root, 'dist', 'src', 'cli.js')],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  define: { COLLABSEC_CATALOGUE_CODE_HASH: JSON.stringify(codeHash.digest('hex')) },
  logLevel: 'warning',
});
process.stdout.write(`bundle: ${join('dist', 'bin', 'cli.js')}\n`);
