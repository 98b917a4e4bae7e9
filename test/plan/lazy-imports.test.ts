// `plan` must stay light: it may not load ink, react or ssh2 (they are imported lazily by the
// commands that need them). Checked on the built program with a resolution tracer, both on tsc's
// output (dist/src/cli.js) and on the bundle `npm start` and the `collabsec` command run
// (dist/bin/cli.js, scripts/bundle.ts), where our modules and zod are one file per command.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tracer = fileURLToPath(new URL('./fixtures-trace.mjs', import.meta.url));

function traced(args: string[]): { status: number | null; stdout: string; mods: string[]; files: string[] } {
  const r = spawnSync(process.execPath, ['--import', tracer, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const lines = (tag: string) => r.stderr.split('\n').filter((l) => l.startsWith(tag)).map((l) => l.slice(tag.length));
  return { status: r.status, stdout: r.stdout, mods: lines('TRACE-IMPORT '), files: lines('TRACE-LOAD ').map((u) => relative(root, fileURLToPath(u)).replaceAll('\\', '/')) };
}

const loaded = (mods: string[], pkg: string) => mods.filter((m) => m === pkg || m.startsWith(`${pkg}/`));

/** The packages whose sources are inside the bundle files a command loaded (from esbuild's metafile). */
function bundledPackages(files: string[]): Set<string> {
  const meta = JSON.parse(readFileSync(`${root}/dist/bin/meta.json`, 'utf8')) as { outputs: Record<string, { inputs: Record<string, unknown> }> };
  const pkgs = new Set<string>();
  for (const f of files) {
    const out = meta.outputs[f];
    if (!out) continue;
    for (const input of Object.keys(out.inputs)) {
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(input);
      if (m) pkgs.add(m[1]!);
    }
  }
  return pkgs;
}

const HEAVY = ['ink', 'react', 'react-reconciler', 'ssh2', '@inquirer/prompts', 'execa', 'yaml', 'pg', '@peculiar/x509'];

describe('plan imports', () => {
  it('loads neither ink, react nor ssh2', () => {
    const r = traced(['dist/src/cli.js', 'plan', '--inventory', 'examples/ent-pa.yaml']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('S022');
    expect(r.mods).toContain('zod/mini'); // the tracer works (every schema is built with zod/mini)
    // `yaml` (source positions for error reports) is loaded only when an inventory has a problem.
    for (const heavy of ['ink', 'react', 'ssh2', '@inquirer/prompts', 'execa', 'yaml', 'pg']) expect(loaded(r.mods, heavy)).toEqual([]);
  });

  it('the bundle loads neither ink, react nor ssh2, from the bundle or node_modules', () => {
    const r = traced(['dist/bin/cli.js', 'plan', '--inventory', 'examples/ent-pa.yaml']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('S022');
    // The dry-run itself is the one CommonJS file run with its code cache (src/code-cache.ts).
    expect(r.files).toContain('dist/bin/plan.cjs');
    expect(r.files.filter((f) => f.startsWith('node_modules/'))).toEqual([]);
    const inside = bundledPackages(r.files);
    expect([...inside]).toEqual(expect.arrayContaining(['zod', 'js-yaml'])); // the tracer and the metafile work
    for (const heavy of HEAVY) {
      expect(loaded(r.mods, heavy)).toEqual([]);
      expect(inside.has(heavy)).toBe(false);
    }
  });

  it('the bundle does not load node:crypto for a text plan, and still hashes for the JSON one', () => {
    // node:crypto brings ~40 of Node's modules (~4 ms): the inventory hash is computed when read,
    // the code cache is checked without a digest, the catalogue's shapes hash comes from the build.
    const builtins = (args: string[]) => {
      const code = `process.on('exit', () => process.stderr.write(JSON.stringify(process.moduleLoadList)));`;
      const r = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(code)}`, 'dist/bin/cli.js', ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      expect(r.status, r.stderr).toBe(0);
      return { stdout: r.stdout, list: JSON.parse(r.stderr.slice(r.stderr.lastIndexOf('['))) as string[] };
    };
    const text = builtins(['plan', '--inventory', 'examples/ent-pa.yaml']);
    expect(text.stdout).toContain('S022');
    expect(text.list).toContain('NativeModule vm'); // the list is Node's own (the bundle runs in vm.Script)
    expect(text.list.filter((m) => /crypto/.test(m))).toEqual([]);
    const json = builtins(['plan', '--inventory', 'examples/ent-pa.yaml', '--json']);
    expect((JSON.parse(json.stdout) as { inventoryHash: string }).inventoryHash).toMatch(/^[0-9a-f]{64}$/);
    expect(json.list).toContain('NativeModule crypto');
  });

  it('the bundle prints the same plan as the unbundled program', () => {
    for (const format of ['text', 'json', 'markdown']) {
      const args = ['plan', '--inventory', 'examples/ent-pa.yaml', '--format', format];
      const bundled = spawnSync(process.execPath, ['dist/bin/cli.js', ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      const plain = spawnSync(process.execPath, ['dist/src/cli.js', ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      expect(bundled.status).toBe(0);
      expect(bundled.stdout.length).toBeGreaterThan(1000);
      expect(bundled.stdout).toBe(plain.stdout);
    }
  });

  it('run loads pg only for a database backend', () => {
    // Importing the command is what the wizard pays before its first frame on a file journal.
    const r = traced(['--input-type=module', '-e', "await import('./dist/src/commands/run.js')"]);
    expect(r.status).toBe(0);
    expect(r.mods).toContain('zod/mini'); // the tracer works (every schema is built with zod/mini)
    expect(r.mods.filter((m) => m === 'pg' || m.startsWith('pg/') || m.startsWith('pg-'))).toEqual([]);
    const b = traced(['dist/bin/cli.js', 'run', '--help']);
    expect(b.status).toBe(0);
    expect(b.stdout).toContain('--inventory');
    expect(bundledPackages(b.files).has('zod')).toBe(true); // the tracer and the metafile work
    expect(b.mods.filter((m) => m === 'pg' || m.startsWith('pg/') || m.startsWith('pg-'))).toEqual([]);
    expect([...bundledPackages(b.files)].filter((p) => p === 'pg' || p.startsWith('pg-'))).toEqual([]);
  });
});
