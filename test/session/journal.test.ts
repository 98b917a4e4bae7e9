// The journal API in-process: corrupt state is refused with the backup offered (case 2), files
// are private under umask 000 (case 10), and the status rules the wizard relies on.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { cleanTempFiles, writeFileAtomic } from '../../src/session/atomic-write.js';
import { openSession, type Session } from '../../src/session/journal.js';
import { CorruptSessionError, loadSession, restoreBackup } from '../../src/session/load.js';
import { SESSION_MAX_BYTES } from '../../src/io/bounded-read.js';
import { makePlan } from './fixtures/plan.js';
import { removeTempDirs, tempDir } from './temp-dirs.js';

afterAll(removeTempDirs);

const open: Session[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

async function session(dir: string, plan = makePlan()): Promise<Session> {
  const s = await openSession({ plan, inventoryPath: path.join(dir, 'inv.yaml'), dir: path.join(dir, '.collabsec'), name: 'lab' });
  open.push(s);
  return s;
}
const fileOf = (dir: string) => path.join(dir, '.collabsec', 'lab.json');

describe('corrupt state', () => {
  const cases: [string, string | Buffer, RegExp][] = [
    ['empty', '', /is empty/],
    ['half JSON', '{"version":1,"lineage":"', /not complete JSON/],
    ['NUL bytes', Buffer.alloc(512), /NUL bytes/],
    ['wrong shape', '{"version":1}', /session schema/],
  ];
  for (const [label, content, problem] of cases) {
    it(`refuses ${label}, names the file and offers the backup with its time`, async () => {
      const dir = await tempDir();
      const s = await session(dir);
      await s.addNote('S001', 'first');
      await s.addNote('S001', 'second'); // now a backup exists (serial 1)
      const backupTime = JSON.parse(await fs.readFile(`${fileOf(dir)}.backup`, 'utf8')).updatedAt as string;
      await s.close();
      await fs.writeFile(fileOf(dir), content);

      const err = await session(dir).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(CorruptSessionError);
      const e = err as CorruptSessionError;
      expect(e.message).toContain(fileOf(dir));
      expect(e.message).toMatch(problem);
      expect(e.tryMessage).toContain(`${fileOf(dir)}.backup`);
      expect(e.tryMessage).toContain(backupTime);
      expect(e.exitCode).toBe(5);
      // Never silently replaced: the damaged bytes are still there, and the lock was released.
      expect(await fs.readFile(fileOf(dir))).toEqual(Buffer.from(content));
      await expect(fs.access(`${fileOf(dir)}.lock`)).rejects.toThrow();

      const restored = await restoreBackup(fileOf(dir));
      expect(restored.serial).toBe(1);
      const again = await session(dir);
      expect(again.state.steps.S001!.notes.map((n) => n.text)).toEqual(['first']);
    });
  }

  // A 200 MB session file used to end in a V8 heap abort (exit 134) inside JSON.parse. A sparse
  // file is enough: the size is refused before anything is read.
  it('refuses a session file over SESSION_MAX_BYTES before reading it, offering the backup', async () => {
    const dir = await tempDir();
    const s = await session(dir);
    await s.addNote('S001', 'first');
    await s.addNote('S001', 'second');
    await s.close();
    await fs.truncate(fileOf(dir), SESSION_MAX_BYTES + 1);
    const e = (await session(dir).catch((x: unknown) => x)) as CorruptSessionError;
    expect(e).toBeInstanceOf(CorruptSessionError);
    expect(e.message).toMatch(/is too large \(64\.0 MiB; at most 64 MiB is read\)|too large/);
    expect(e.tryMessage).toContain(`${fileOf(dir)}.backup`);
    expect((await fs.stat(fileOf(dir))).size).toBe(SESSION_MAX_BYTES + 1);
    // An oversized backup is reported as damaged, not read.
    await fs.truncate(`${fileOf(dir)}.backup`, SESSION_MAX_BYTES + 1);
    const both = (await loadSession(fileOf(dir)).catch((x: unknown) => x)) as CorruptSessionError;
    expect(both.tryMessage).toMatch(/damaged too/);
  });

  it('refuses a missing file whose backup exists instead of starting anew', async () => {
    const dir = await tempDir();
    const s = await session(dir);
    await s.addNote('S001', 'x');
    await s.close();
    await fs.rm(fileOf(dir));
    await expect(session(dir)).rejects.toThrow(/missing but its backup exists/);
  });

  it('says when the backup is damaged too', async () => {
    const dir = await tempDir();
    await fs.mkdir(path.join(dir, '.collabsec'), { mode: 0o700 });
    await fs.writeFile(fileOf(dir), '{', { mode: 0o600 });
    await fs.writeFile(`${fileOf(dir)}.backup`, '', { mode: 0o600 });
    await expect(loadSession(fileOf(dir))).rejects.toThrow(CorruptSessionError);
    const e = (await loadSession(fileOf(dir)).catch((x: unknown) => x)) as CorruptSessionError;
    expect(e.tryMessage).toMatch(/damaged too/);
  });
});

describe('file modes under umask 000', () => {
  it('creates state, backup and lock 0600 and directories 0700', async () => {
    const previous = process.umask(0);
    try {
      const dir = await tempDir();
      const s = await session(path.join(dir, 'deep', 'er'));
      await s.addNote('S001', 'n');
      const root = path.join(dir, 'deep', 'er', '.collabsec');
      const mode = async (p: string) => (await fs.stat(p)).mode & 0o777;
      expect(await mode(path.join(dir, 'deep'))).toBe(0o700);
      expect(await mode(root)).toBe(0o700);
      expect(await mode(path.join(root, 'lab.json'))).toBe(0o600);
      expect(await mode(path.join(root, 'lab.json.backup'))).toBe(0o600);
      expect(await mode(path.join(root, 'lab.json.lock'))).toBe(0o600);
      await writeFileAtomic(path.join(dir, 'plain'), 'x');
      expect(await mode(path.join(dir, 'plain'))).toBe(0o600);
    } finally {
      process.umask(previous);
    }
  });
});

describe('journal rules', () => {
  it('records who and when, keeps outcome apart from conclusion, and increments serial', async () => {
    const dir = await tempDir();
    const s = await session(dir);
    const serial0 = s.state.serial;
    await s.recordStarted('S001', 'cucm-pub');
    // Durable before it resolves: the file already says "started".
    expect((await loadSession(s.file)).steps.S001!.history.at(-1)!.status).toBe('started');
    await s.recordResult('S001', { outcome: 'failed', checkpoint: { method: 'automatic', outcome: 'failed', summary: '1 of 2 nodes' } });
    await s.recordOverride('S001', 'node 2 is decommissioned next week');
    const last = s.state.steps.S001!.history.at(-1)!;
    expect(last).toMatchObject({ status: 'overridden', outcome: 'failed', reason: 'node 2 is decommissioned next week' });
    expect(last.user.length).toBeGreaterThan(0);
    expect(Date.parse(last.at)).not.toBeNaN();
    expect(s.state.serial).toBe(serial0 + 3);
    expect(s.preconditions('S002')).toEqual({ met: true, missing: [] });
  });

  it('refuses to start a step whose required steps are not verified, naming them', async () => {
    const dir = await tempDir();
    const s = await session(dir);
    await expect(s.recordStarted('S003')).rejects.toThrow(/required step\(s\) not verified: S002/);
    await s.recordSkip('S002', 'done by the partner');
    await expect(s.recordStarted('S003')).rejects.toThrow(/S002/); // skipped does not satisfy requires
  });

  it('refuses overrides of non-failed steps, empty reasons and secrets', async () => {
    const dir = await tempDir();
    const s = await session(dir);
    await expect(s.recordOverride('S001', 'because')).rejects.toThrow(/only a failed checkpoint/);
    await expect(s.recordSkip('S001', '  ')).rejects.toThrow(/needs a reason/);
    await expect(s.addNote('S001', 'the passphrase is hunter2-secret')).rejects.toThrow(/secret/);
    await expect(s.addNote('S001', '-----BEGIN RSA PRIVATE KEY-----\nMII')).rejects.toThrow(/secret/);
    expect(await fs.readFile(s.file, 'utf8')).not.toContain('hunter2-secret');
    expect(s.state.serial).toBe(0); // nothing was written
  });

  it('detects a changed plan, flags verified steps whose commands changed, and gates on acceptance', async () => {
    const dir = await tempDir();
    const s = await session(dir);
    await s.recordResult('S001', { outcome: 'passed' });
    await s.recordResult('S002', { outcome: 'passed' });
    await s.close();

    const changed = makePlan({ inventoryHash: 'inv-2', changed: { S002: ' --force', S005: ' x' } });
    const r = await session(dir, changed);
    expect(r.needsPlanAcceptance).toBe(true);
    const d = r.diff;
    expect(d.inventoryChanged).toBe(true);
    expect(d.catalogueChanged).toBe(false);
    expect(d.changed.map((c) => [c.id, c.flagged])).toEqual([['S002', true], ['S005', false]]);
    // What changed, line by line: the session kept the lines of the plan it followed.
    expect(d.changed[0]!.diff).toEqual([
      { op: '-', line: 'set cert regen tomcat S002' },
      { op: '+', line: 'set cert regen tomcat S002 --force' },
    ]);
    await expect(r.recordStarted('S003')).rejects.toThrow(/changed since this session began/);
    await r.acceptPlan();
    expect(r.needsPlanAcceptance).toBe(false);
    expect(r.state.planHistory).toHaveLength(1);
    // Still flagged after acceptance: S002 was verified with different commands.
    expect(r.diff.changed.map((c) => [c.id, c.flagged])).toEqual([['S002', true]]);
    await r.recordStarted('S003');
  });

  it('cleans temp files left by dead writers but keeps a live writer\'s', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 's.json');
    const dead = path.join(dir, '.s.json.999999.0123456789ab.tmp');
    const live = path.join(dir, `.s.json.${process.ppid}.0123456789ab.tmp`);
    await fs.writeFile(dead, '{');
    await fs.writeFile(live, '{');
    expect(await cleanTempFiles(file)).toEqual([dead]);
    await expect(fs.access(live)).resolves.toBeUndefined();
  });
});
