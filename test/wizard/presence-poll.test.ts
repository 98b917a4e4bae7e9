// Who else is in the session, as the wizard polls it (issue 24): on the file journal the other
// operator is whoever holds the session file's lock. Two real sessions take turns on one file in
// a temp folder; the poller of the first (which left itself out while it held the lock) reflects
// the second once it holds it, and nobody once it is gone. A read that fails is said once.
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openSession, type Session } from '../../src/session/journal.js';
import { lockPathFor } from '../../src/session/lock.js';
import type { PresentOperator } from '../../src/session/presence.js';
import { runPlain } from '../../src/wizard/plain.js';
import { agoText, claimedBy, othersLine, othersOf, PresencePoller, presenceSourceOf } from '../../src/wizard/presence-poll.js';
import { peekSession } from '../../src/wizard/readonly-session.js';
import type { PresenceView } from '../../src/wizard/types.js';
import { makePlan } from '../session/fixtures/plan.js';
import { removeTempDirs, tempDir } from '../session/temp-dirs.js';

afterAll(removeTempDirs);
const opened: Session[] = [];
const pollers: PresencePoller[] = [];
afterEach(async () => {
  for (const p of pollers.splice(0)) p.stop();
  for (const s of opened.splice(0)) await s.close().catch(() => undefined);
});

async function until<T>(f: () => T, done: (v: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const v = f();
    if (done(v)) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`never: ${what}; last ${JSON.stringify(f())}`);
}

const op = (o: Partial<PresentOperator>): PresentOperator => ({ user: 'alice', host: 'host-b', pid: 42, mode: 'team', since: '2026-12-05T10:00:00.000Z', lastSeen: '2026-12-05T10:05:00.000Z', claims: [], ...o });

describe('presence text', () => {
  const now = Date.parse('2026-12-05T10:05:30.000Z');
  it('names each other operator with the steps it claimed and since when, and leaves this process out', () => {
    const me = op({ user: 'me', host: 'h', pid: 7, since: '2026-12-05T09:00:00.000Z' });
    const alice = op({ claims: [{ step: 'S022', nodes: ['cucm-pub'], since: '2026-12-05T10:02:10.000Z' }] });
    // Same user and host in another process: someone else.
    const again = op({ user: 'me', host: 'h', pid: 8, since: '2026-12-05T09:00:00.000Z' });
    const others = othersOf([me, alice, again], { host: 'h', pid: 7, startedAt: '2026-12-05T09:00:00.000Z' });
    expect(others).toEqual([alice, again]);
    expect(othersLine(others, now)).toBe('also here: alice@host-b on S022 (claimed 3 min ago); me@h (no step claimed)');
    expect(claimedBy(others)).toEqual({ S022: 'alice' });
    expect(othersLine([], now)).toBeUndefined();
    expect(othersLine([op({ mode: 'alone', user: 'bob\u001b[2J', host: 'x'.repeat(60) })], now)).toBe(`also here: bob@${'x'.repeat(39)}… (holds the session)`);
  });

  it('says how long ago in minutes and hours', () => {
    const t = Date.parse('2026-12-05T12:00:00.000Z');
    expect(agoText('2026-12-05T11:59:30.000Z', t)).toBe('just now');
    expect(agoText('2026-12-05T12:00:10.000Z', t)).toBe('just now');
    expect(agoText('2026-12-05T11:57:00.000Z', t)).toBe('3 min ago');
    expect(agoText('2026-12-05T10:00:00.000Z', t)).toBe('2 h ago');
    expect(agoText('2026-12-05T09:55:00.000Z', t)).toBe('2 h 5 min ago');
  });
});

describe('the presence poller on the file journal', () => {
  it('reflects a second operator holding the same session file, and no one once it left', async () => {
    const dir = await tempDir();
    const inventoryPath = path.join(dir, 'lab.yaml');
    const a = await openSession({ plan: makePlan({ steps: 4 }), inventoryPath });
    opened.push(a);
    const source = presenceSourceOf(a)!;
    let reads = 0;
    const views: PresenceView[] = [];
    const poller = new PresencePoller({ read: () => (reads++, source.read()), self: source.self }, { intervalMs: 50, onChange: (v) => views.push(v) });
    pollers.push(poller);
    poller.start();
    // Several reads of itself alone: nothing to show, nothing said.
    await until(() => reads, (n) => n >= 3, 'three reads');
    expect(views).toEqual([]);
    expect(poller.view.line).toBeUndefined();

    await a.close();
    const b = await openSession({ plan: makePlan({ steps: 4 }), inventoryPath });
    opened.push(b);
    const seen = await until(() => poller.view, (v) => v.line !== undefined, 'the second operator');
    expect(seen.line).toBe(`also here: ${b.lockOwner.user}@${os.hostname()} (holds the session)`);
    expect(seen.problem).toBeUndefined();

    await b.close();
    await until(() => poller.view, (v) => v.line === undefined, 'no one');
    expect(views.map((v) => v.line)).toEqual([seen.line, undefined]);

    poller.stop();
    expect(poller.running).toBe(false);
    const after = reads;
    await new Promise((r) => setTimeout(r, 300));
    expect(reads).toBe(after);
  });

  it('says a failed read once, keeps polling, and clears it when a read succeeds', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'lab.json');
    // A symlink where the lock file should be: never followed (O_NOFOLLOW), every read of it fails.
    await fs.symlink(path.join(dir, 'elsewhere'), lockPathFor(file));
    let reads = 0;
    const views: PresenceView[] = [];
    const poller = new PresencePoller({ read: () => (reads++, peek(file)), self: undefined }, { intervalMs: 50, onChange: (v) => views.push(v) });
    pollers.push(poller);
    poller.start();
    await until(() => reads, (n) => n >= 4, 'four reads');
    expect(views).toHaveLength(1);
    expect(views[0]!.problem).toMatch(/ELOOP|symbolic links/);
    expect(views[0]!.line).toBeUndefined();
    await fs.rm(lockPathFor(file));
    await until(() => poller.view, (v) => v.problem === undefined, 'the problem cleared');
    expect(views).toHaveLength(2);
  });
});

/** What a read-only peek at the file (plain listing) reads. */
async function peek(file: string): Promise<PresentOperator[]> {
  const { filePresence } = await import('../../src/session/presence.js');
  return filePresence(file);
}

describe('plain mode', () => {
  it('a listing names the wizard that holds the session file', async () => {
    const dir = await tempDir();
    const inventoryPath = path.join(dir, 'lab.yaml');
    const plan = makePlan({ steps: 4 });
    const a = await openSession({ plan, inventoryPath });
    opened.push(a);
    const out = new PassThrough();
    let text = '';
    out.on('data', (c: Buffer) => (text += c.toString()));
    const session = await peekSession(a.file, a.name, plan, inventoryPath);
    expect(await runPlain({ session, out, yes: false, checkpointPassed: false })).toBe(0);
    expect(text.split('\n')[1]).toBe(`Also here: ${a.lockOwner.user}@${os.hostname()} (holds the session)`);
    await a.close();
    text = '';
    expect(await runPlain({ session, out, yes: false, checkpointPassed: false })).toBe(0);
    expect(text).not.toContain('Also here');
  });
});

describe('the step marks other operators changed', () => {
  it('a file journal (one writer) has nothing to take in: refresh reads nothing and says false', async () => {
    const dir = await tempDir();
    const a = await openSession({ plan: makePlan({ steps: 4 }), inventoryPath: path.join(dir, 'lab.yaml') });
    opened.push(a);
    const serial = a.state.serial;
    expect(await a.refresh()).toBe(false);
    expect(a.state.serial).toBe(serial);
  });

  it('the poller tells the screen when the session took in others\' writes, even with the same people present', async () => {
    const views: PresenceView[] = [];
    const answers = [false, true, false];
    let refreshes = 0;
    const poller = new PresencePoller(
      { read: () => Promise.resolve([]), self: undefined, refresh: () => Promise.resolve(answers[refreshes++] ?? false) },
      { intervalMs: 20, onChange: (v) => views.push(v) },
    );
    pollers.push(poller);
    poller.start();
    await until(() => refreshes, (n) => n >= 5, 'five refreshes');
    // One change of state (the second read) → one redraw; the same empty presence otherwise says nothing.
    expect(views).toEqual([{ claimed: {} }]);
  });
});
