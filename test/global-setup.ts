// Builds dist/ once before the suite: process-level tests (lazy imports, the CLI, end-to-end
// runs in a pseudo-terminal) exercise the compiled program exactly as `npm start` does, and the
// bundle of it (dist/bin/cli.js, scripts/bundle.ts) that `npm start` and the `collabsec` command run.
// tsc emits even when it reports type errors; the type check itself is its own stage of
// `npm test`, so a type error is reported there and does not hide the other tests' results.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const r = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')], {
    cwd: root,
    encoding: 'utf8',
  });
  if (r.status !== 0) process.stderr.write(`global-setup: tsc reported problems (build output still written):\n${r.stdout.slice(0, 2000)}\n`);
  const b = spawnSync(process.execPath, [join(root, 'dist', 'scripts', 'bundle.js')], { cwd: root, encoding: 'utf8' });
  if (b.status !== 0) process.stderr.write(`global-setup: bundling failed:\n${b.stderr.slice(0, 2000)}\n`);
}
