// The operator's mistakes through the built `collabsec` (dist/bin/cli.js, scripts/bundle.ts): the
// launcher and each bundle it loads (plan.cjs, wizard.cjs) carry a copy of UserError each, and the
// launcher's `instanceof UserError` did not know the bundles' copies, so an invalid inventory or an
// unknown step came out as "internal error (a bug in collabsec)" with a stack and exit 70. Each case
// must print the problem and its hint, with its documented exit code, and no stack.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repo } from './helpers.js';

const cli = join(repo, 'dist', 'bin', 'cli.js');
const example = join(repo, 'examples', 'ent-pa.yaml');
let dir: string;
let bad: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'collabsec-user-errors-'));
  bad = join(dir, 'bad.yaml');
  writeFileSync(bad, 'title: no domain, no CA, no Unified CM\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function collabsec(args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('user errors through the bundled collabsec', () => {
  it.each([
    ['plan, an invalid inventory', () => ['plan', '-i', bad], 3, /problems in the inventory; nothing was planned or run\n  domain \(line 1\): required field is missing/],
    ['plan --json, an invalid inventory', () => ['plan', '-i', bad, '--json'], 3, /required field is missing/],
    ['plan, an unknown step', () => ['plan', '-i', example, '-s', 'S999'], 2, /unknown step "S999"\. Did you mean S099\?[^\n]*\nSee `collabsec plan --help`\./],
    ['plan, filters that select nothing', () => ['plan', '-i', example, '-p', 'pcp', '-s', 'S001'], 2, /select no step that applies/],
    ['run, an invalid inventory', () => ['run', '-i', bad, '--plain'], 3, /problems in the inventory; nothing was planned or run/],
  ])('%s: the problem, its hint and exit code, no stack', { timeout: 60_000 }, (_name, args, code, message) => {
    const r = collabsec(args());
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(r.stdout).toBe('');
    expect(r.code).toBe(code);
  });
});
