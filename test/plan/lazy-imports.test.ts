// `plan` must stay light: it may not load ink, react or ssh2 (they are imported lazily by the
// commands that need them). Checked on the built program with a resolution tracer.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tracer = fileURLToPath(new URL('./fixtures-trace.mjs', import.meta.url));

describe('plan imports', () => {
  it('loads neither ink, react nor ssh2', () => {
    const r = spawnSync(process.execPath, ['--import', tracer, 'dist/src/cli.js', 'plan', '--inventory', 'examples/ent-pa.yaml'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('S022');
    const mods = r.stderr.split('\n').filter((l) => l.startsWith('TRACE-IMPORT ')).map((l) => l.slice('TRACE-IMPORT '.length));
    expect(mods).toContain('zod'); // the tracer works
    // `yaml` (source positions for error reports) is loaded only when an inventory has a problem.
    for (const heavy of ['ink', 'react', 'ssh2', '@inquirer/prompts', 'execa', 'yaml', 'pg']) {
      expect(mods.filter((m) => m === heavy || m.startsWith(`${heavy}/`))).toEqual([]);
    }
  });

  it('run loads pg only for a database backend', () => {
    // Importing the command is what the wizard pays before its first frame on a file journal.
    const r = spawnSync(process.execPath, ['--import', tracer, '--input-type=module', '-e', "await import('./dist/src/commands/run.js')"], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(0);
    const mods = r.stderr.split('\n').filter((l) => l.startsWith('TRACE-IMPORT ')).map((l) => l.slice('TRACE-IMPORT '.length));
    expect(mods).toContain('zod'); // the tracer works
    expect(mods.filter((m) => m === 'pg' || m.startsWith('pg/') || m.startsWith('pg-'))).toEqual([]);
  });
});
