// Two engineers on one rollout kept in PostgreSQL (issue 24), each with the real CLI: the first
// runs the wizard in a real terminal (tmux) and starts S001; the second runs a plain
// `collabsec run --backend <url>` from another shell, without --steps, and is let in (it joins the
// team) rather than refused as a second collabsec on a file session is; the first engineer's step
// stays theirs (started, not interrupted). Then it records a step on another node while the first
// still holds S001. Real server (test/support/pg-cluster.ts), real processes.
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import { PassThrough } from 'node:stream';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import status from '../../src/commands/status.js';
import { ExitCode } from '../../src/errors.js';
import { connectPostgres } from '../../src/session/pg-store.js';
import { startCluster, type Cluster } from '../support/pg-cluster.js';
import { bundleLauncher, runPlain, Tmux, workspace } from './helpers.js';

let launcher: string;
let cluster: Cluster;
const terms: Tmux[] = [];
beforeAll(async () => {
  [launcher, cluster] = await Promise.all([bundleLauncher(), startCluster()]);
}, 180_000);
afterAll(async () => {
  await Promise.all(terms.map((t) => t.kill()));
  await fs.rm(launcher, { force: true });
  await cluster?.stop();
});

let databases = 0;
async function freshDatabase(): Promise<string> {
  const admin = new pg.Client({ connectionString: cluster.url('postgres') });
  const name = `e2eteam${process.pid}_${++databases}`;
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return cluster.url(name);
}

const history = async (url: string, id: string): Promise<string[]> => {
  const b = await connectPostgres(url, { env: {} });
  try {
    return (await b.store('ent-pa').load()).steps[id]!.history.map((e) => e.status);
  } finally {
    await b.close();
  }
};

/** A fresh session in its own database, the first engineer in the TUI with S001 (us-cm-pub) started, not concluded. */
async function firstEngineerMidS001() {
  const url = await freshDatabase();
  const { dir, inventory } = await workspace();
  const first = new Tmux(dir);
  terms.push(first);
  first.start(launcher, ['run', '--inventory', inventory, '--backend', url]);
  await first.waitFor('Enter begin (read-only; a rehearsal reads nothing)', 60_000);
  // S001 (the pre-flight reads P001–P015 come first in the list).
  await first.inputReady();
  await first.goTo('S001');
  await first.waitFor(/S001 Confirm the cipher enterprise parameters/, 30_000);
  first.send('Enter');
  await first.waitFor('S001 started (recorded in the session)', 60_000);
  return { url, dir, inventory, first, firstPid: await first.pid() };
}

describe('a second operator on a session kept in PostgreSQL', () => {
  it('joins the running session with a plain `collabsec run --backend` (no --steps), and records a step beside the first engineer\'s', { timeout: 180_000 }, async () => {
    const { url, dir, inventory, first, firstPid } = await firstEngineerMidS001();

    // The second engineer, another shell, no terminal, no --steps: shown the session, not refused.
    const look = await runPlain(launcher, ['run', '--inventory', inventory, '--backend', url], dir);
    expect(look.stderr).not.toMatch(/locked by|is claimed by/);
    expect(look.code).toBe(0);
    expect(look.stderr).toContain('No terminal: nothing was changed.');
    expect(look.stderr).not.toMatch(/! .*S001/);
    expect(look.stderr).toMatch(/\[>\] S001 .*\(in progress\)\n/);
    // The first engineer's step is theirs, in progress: not turned into an interrupted step.
    expect(await history(url, 'S001')).toEqual(['started']);

    // A step on another node (S003: us-imp-pub), done by the second engineer, recorded beside S001.
    const work = await runPlain(launcher, ['run', '--inventory', inventory, '--backend', url, '--steps', 'S003', '--checkpoint-passed'], dir);
    expect(work.stderr).not.toMatch(/locked by|is claimed by/);
    expect(work.code).toBe(0);
    expect(await history(url, 'S003')).toEqual(['verified']);

    // Who is in it now: the first engineer alone, on S001 (the second's runs have ended).
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (c: Buffer) => (out += c.toString()));
    expect(await status.run(['--backend', url, '--session', 'ent-pa'], { stdout, stderr: new PassThrough(), stdin: new PassThrough(), env: {}, cwd: dir })).toBe(0);
    expect(out).toContain('In use by a team of 1 operator:');
    expect(out).toMatch(new RegExp(`process ${firstPid}, .*\\): working on S001 on us-cm-pub\\n`));

    first.send('q');
    await first.waitFor('[exit ', 60_000);
  });

  // A step done by hand changes its node as much as a sent one: while another engineer is mid-way
  // through a step on that node, it is refused as a sent step would be (who holds which node,
  // since when; the same exit code), and goes through once they concluded theirs.
  it('refuses `--by-hand` of a step on a node another engineer is mid-way on, naming them, and records it once they conclude', { timeout: 180_000 }, async () => {
    const { url, dir, inventory, first, firstPid } = await firstEngineerMidS001();

    // S002 is on us-cm-pub too, with no prerequisite: only the claim stands in its way.
    const byHand = ['run', '--inventory', inventory, '--backend', url, '--steps', 'S002', '--by-hand', '--checkpoint-passed'];
    const refused = await runPlain(launcher, byHand, dir);
    expect(refused.code).toBe(ExitCode.sessionUnavailable);
    expect(refused.stderr).toContain('Step S002 cannot be done by hand now: node us-cm-pub is claimed by ');
    expect(refused.stderr).toContain(` on host ${os.hostname()} (process ${firstPid}, since `);
    expect(refused.stderr).toContain(', for step S001).');
    expect(await history(url, 'S002')).toEqual([]);
    expect(await history(url, 'S001')).toEqual(['started']);

    // The first engineer concludes S001: its claim is given back with its outcome.
    first.send('c');
    await first.waitFor('Passed? y yes');
    first.send('y');
    await first.waitFor('S001 verified.');

    const done = await runPlain(launcher, byHand, dir);
    expect(done.stderr).not.toMatch(/is claimed by/);
    expect(done.code).toBe(0);
    // Nothing was sent: the step is verified by the operator's answer, never recorded "started".
    expect(await history(url, 'S002')).toEqual(['verified']);

    first.send('q');
    await first.waitFor('[exit ', 60_000);
  });
});
