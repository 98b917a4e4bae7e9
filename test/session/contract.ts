// The journal's contract, whatever keeps it (issue 24): one suite, run against every SessionStore
// (contract-file.test.ts, contract-pg.test.ts). A backend passes only if a session behaves the
// same on it: created and reopened intact, steps in flight interrupted on open, one writer at a
// time (the holder named), a stale writer refused by serial, events appended in order and never
// rewritten, the chain intact and an edit detected, secrets refused, a changed plan detected,
// sessions listed. Everything goes through the real store; nothing is imitated.
import * as os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyJournal } from '../../src/session/chain.js';
import { acceptTamperedSession, openSession, type Session } from '../../src/session/journal.js';
import { CorruptSessionError, TamperedSessionError } from '../../src/session/load.js';
import { SessionLockedError } from '../../src/session/lock.js';
import type { SessionState, StepEvent } from '../../src/session/state.js';
import { StaleSessionError, type SessionBackend } from '../../src/session/store.js';
import { makePlan } from './fixtures/plan.js';

export interface ContractHarness {
  /** A new, empty backend of its own (a fresh folder, a fresh database). */
  backend(): Promise<SessionBackend>;
  /** Changes the stored event with chain number `seq`, as someone editing the store by hand would. */
  editEvent(backend: SessionBackend, name: string, seq: number, patch: Partial<StepEvent>): Promise<void>;
  /** Leaves the stored session damaged (not a session any more). */
  damage(backend: SessionBackend, name: string): Promise<void>;
}

/** Every event of a state in chain order, with its step. */
export function eventsInOrder(state: SessionState): (StepEvent & { step: string })[] {
  return Object.entries(state.steps)
    .flatMap(([step, r]) => r.history.map((e) => ({ ...e, step })))
    .sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
}

export function sessionContract(label: string, harness: ContractHarness): void {
  describe(`session store contract: ${label}`, () => {
    const opened: Session[] = [];
    const backends: SessionBackend[] = [];
    afterEach(async () => {
      for (const s of opened.splice(0)) await s.close();
      for (const b of backends.splice(0)) await b.close();
    });
    const fresh = async () => {
      const b = await harness.backend();
      backends.push(b);
      return b;
    };
    const open = async (b: SessionBackend, name = 'lab', plan = makePlan(), extra: { acceptTampered?: boolean } = {}) => {
      const s = await openSession({ plan, inventoryPath: '/srv/rollout/inv.yaml', store: b.store(name), ...extra });
      opened.push(s);
      return s;
    };
    const close = async (s: Session) => {
      opened.splice(opened.indexOf(s), 1);
      await s.close();
    };

    it('creates a session, and reopens it exactly as it was written', async () => {
      const b = await fresh();
      const s = await open(b);
      expect(s.resumed).toBe(false);
      expect(s.state.serial).toBe(0);
      expect(await b.store('lab').read()).toEqual(s.state);
      await s.recordStarted('S001', 'cucm-pub');
      await s.recordResult('S001', { outcome: 'passed', checkpoint: { method: 'operator', outcome: 'passed', summary: 'seen' }, target: 'cucm-pub' });
      await s.addNote('S002', 'a note\nover two lines');
      await s.recordStarted('S002');
      const nodes = s.nodeJournal('S002');
      await nodes.intent('cucm-sub1', { lines: ['utils service restart Cisco Tomcat'] });
      await nodes.outcome('cucm-sub1', { outcome: 'ok', summary: 'restarted' });
      await s.recordResult('S002', { outcome: 'failed' });
      await s.recordOverride('S002', 'accepted by the change board');
      const written = s.state;
      await close(s);

      const again = await open(b);
      expect(again.resumed).toBe(true);
      expect(again.interruptedOnOpen).toEqual([]);
      expect(again.state).toEqual(written);
      expect(again.state.steps.S002!.nodes).toMatchObject([{ node: 'cucm-sub1', outcome: 'ok', summary: 'restarted' }]);
      expect(again.status('S001')).toBe('verified');
      expect(again.status('S002')).toBe('overridden');
      expect(again.integrity.kind).toBe('chained');
    });

    it('turns a step in flight into interrupted when the session is opened again, durably', async () => {
      const b = await fresh();
      const s = await open(b);
      await s.recordStarted('S001', 'cucm-pub');
      // The process "dies" here: nothing more is recorded, only the lock goes.
      await close(s);
      const again = await open(b);
      expect(again.interruptedOnOpen).toEqual(['S001']);
      expect(again.status('S001')).toBe('interrupted');
      expect((await b.store('lab').read())!.steps.S001!.history.map((e) => e.status)).toEqual(['started', 'interrupted']);
      await expect(again.recordStarted('S001')).rejects.toThrow(/interrupted/);
      await again.recordResult('S001', { outcome: 'passed' });
      expect(again.status('S001')).toBe('verified');
    });

    it('lets one writer in at a time and names the holder to the other', async () => {
      const b = await fresh();
      const s = await open(b);
      const err = (await open(b).catch((e: unknown) => e)) as SessionLockedError;
      expect(err).toBeInstanceOf(SessionLockedError);
      expect(err.exitCode).toBe(5);
      expect(err.message).toContain(`process ${process.pid} on host ${os.hostname()}`);
      expect(err.holder).toMatchObject({ pid: process.pid, host: os.hostname() });
      expect(await b.store('lab').holder()).toMatchObject({ pid: process.pid, host: os.hostname() });
      // Who is in it: the holder alone, seen since it took the lock, no claims (it holds every step).
      const [here, ...more] = await b.store('lab').presence();
      expect(more).toEqual([]);
      expect(here).toMatchObject({ pid: process.pid, host: os.hostname(), user: err.holder!.user, mode: 'alone', since: err.holder!.startedAt, claims: [] });
      expect(Date.parse(here!.lastSeen)).toBeGreaterThanOrEqual(Date.parse(here!.since));
      // Another session of the same backend is not held.
      await open(b, 'other');
      await close(s);
      expect(await b.store('lab').holder()).toBeUndefined();
      expect(await b.store('lab').presence()).toEqual([]);
      const next = await open(b);
      expect(next.resumed).toBe(true);
    });

    it('refuses a writer whose state is stale (compare-and-swap on serial), keeping what was written', async () => {
      const b = await fresh();
      const s = await open(b);
      await s.addNote('S001', 'first');
      await close(s);
      const store = b.store('lab');
      const lock = await store.acquire();
      try {
        const base = (await store.read())!;
        const a = { ...base, serial: base.serial + 1, planTitle: 'writer A' };
        const stale = { ...base, serial: base.serial + 1, planTitle: 'writer B' };
        await store.commit(lock, a, { expectSerial: base.serial });
        const e = (await store.commit(lock, stale, { expectSerial: base.serial }).catch((x: unknown) => x)) as StaleSessionError;
        expect(e).toBeInstanceOf(StaleSessionError);
        expect(e.exitCode).toBe(5);
        expect(e.message).toContain(`expected serial ${base.serial}, found serial ${base.serial + 1}`);
        // Creating over an existing session is a stale write too.
        await expect(store.commit(lock, { ...a, serial: 0 }, { expectSerial: undefined })).rejects.toBeInstanceOf(StaleSessionError);
        expect((await store.read())!.planTitle).toBe('writer A');
      } finally {
        await lock.release();
      }
    });

    it('refuses a write once the lock is gone', async () => {
      const b = await fresh();
      const store = b.store('lab');
      const s = await open(b);
      await s.addNote('S001', 'first');
      const lock = await store.acquire().catch((e: unknown) => e);
      expect(lock).toBeInstanceOf(SessionLockedError);
      const state = s.state;
      await close(s);
      // The closed session's lock was released: a write through it is refused, not fenced past.
      const held = await store.acquire();
      await held.release();
      await expect(store.commit(held, { ...state, serial: state.serial + 1 }, { expectSerial: state.serial })).rejects.toBeInstanceOf(SessionLockedError);
      expect((await store.read())!.serial).toBe(state.serial);
    });

    it('appends events in order and never rewrites one', async () => {
      const b = await fresh();
      const s = await open(b);
      const seen: (StepEvent & { step: string })[][] = [];
      const snapshot = async () => seen.push(eventsInOrder((await b.store('lab').read())!));
      for (const id of ['S001', 'S002', 'S003']) {
        await s.recordStarted(id);
        await snapshot();
        await s.recordResult(id, { outcome: 'passed' });
        await snapshot();
      }
      await s.recordSkip('S004', 'not in this window');
      await snapshot();
      await close(s);
      await (await open(b)).addNote('S005', 'later');
      await snapshot();
      for (let i = 0; i < seen.length; i++) {
        const events = seen[i]!;
        expect(events.map((e) => e.seq)).toEqual(events.map((_, n) => n));
        // Every earlier read is a prefix of every later one: nothing rewritten, nothing reordered.
        if (i > 0) expect(events.slice(0, seen[i - 1]!.length)).toEqual(seen[i - 1]);
      }
      expect(seen.at(-1)!.map((e) => `${e.step}:${e.status}`)).toEqual(['S001:started', 'S001:verified', 'S002:started', 'S002:verified', 'S003:started', 'S003:verified', 'S004:skipped']);
    });

    it('keeps the chain intact, detects an edit, and records an accepted one', async () => {
      const b = await fresh();
      const s = await open(b);
      await s.recordStarted('S001');
      await s.recordResult('S001', { outcome: 'failed' });
      await s.recordOverride('S001', 'accepted by the change board');
      await s.recordStarted('S002');
      await s.recordResult('S002', { outcome: 'passed' });
      expect(verifyJournal((await b.store('lab').read())!)).toMatchObject({ kind: 'chained', events: 5 });
      await close(s);

      // Someone turns the failed checkpoint into a verified one behind collabsec's back.
      await harness.editEvent(b, 'lab', 1, { status: 'verified', outcome: 'passed' });
      const e = (await open(b).catch((x: unknown) => x)) as TamperedSessionError;
      expect(e).toBeInstanceOf(TamperedSessionError);
      expect(e.exitCode).toBe(5);
      expect(e.firstBreak).toMatch(/^S001 event 2 \(verified at .*\) does not match its hash/);

      const found = await acceptTamperedSession(b.store('lab'));
      expect(found.kind).toBe('tampered');
      const again = await open(b);
      expect(again.integrity).toMatchObject({ kind: 'chained', acknowledged: [{ user: expect.any(String), breaks: [expect.stringMatching(/^S001 event 2/)] }] });
      await again.recordStarted('S003');
      await close(again);
      const last = await open(b);
      expect(last.interruptedOnOpen).toEqual(['S003']);
      expect(verifyJournal(last.state)).toMatchObject({ kind: 'chained', events: 7, acknowledged: [expect.anything()] });
    });

    it('refuses a damaged session, naming it (exit 5)', async () => {
      const b = await fresh();
      await close(await open(b));
      await harness.damage(b, 'lab');
      const e = (await open(b).catch((x: unknown) => x)) as CorruptSessionError;
      expect(e).toBeInstanceOf(CorruptSessionError);
      expect(e.exitCode).toBe(5);
      expect(e.message).toContain(b.store('lab').location);
      // Refused, the lock is not kept: the next attempt is refused for the damage again, not the lock.
      await expect(open(b)).rejects.toBeInstanceOf(CorruptSessionError);
    });

    it('refuses to write a secret and keeps the state as it was', async () => {
      const b = await fresh();
      const s = await open(b);
      await s.addNote('S001', 'fine');
      const before = (await b.store('lab').read())!;
      await expect(s.addNote('S001', 'the passphrase is hunter2-secret')).rejects.toThrow(/secret/);
      await expect(s.addNote('S001', '-----BEGIN RSA PRIVATE KEY-----\nMII')).rejects.toThrow(/secret/);
      await expect(s.recordSkip('S002', 'hunter2-secret')).rejects.toThrow(/secret/);
      expect(await b.store('lab').read()).toEqual(before);
      // The session goes on: a refused write left nothing half done.
      await s.addNote('S001', 'still fine');
      expect((await b.store('lab').read())!.serial).toBe(before.serial + 1);
    });

    it('detects a changed plan and records its acceptance', async () => {
      const b = await fresh();
      const s = await open(b);
      await s.recordStarted('S001');
      await s.recordResult('S001', { outcome: 'passed' });
      await close(s);
      const changed = makePlan({ changed: { S001: ' -force', S003: ' -x' }, inventoryHash: 'inv-2' });
      const again = await open(b, 'lab', changed);
      expect(again.needsPlanAcceptance).toBe(true);
      expect(again.diff).toMatchObject({ inventoryChanged: true, catalogueChanged: false });
      expect(again.diff.changed.map((c) => [c.id, c.flagged])).toEqual([
        ['S001', true],
        ['S003', false],
      ]);
      await expect(again.recordStarted('S002')).rejects.toThrow(/changed since this session began/);
      await again.acceptPlan();
      await close(again);
      const last = await open(b, 'lab', changed);
      expect(last.needsPlanAcceptance).toBe(false);
      expect(last.state.planHistory).toMatchObject([{ inventoryHash: 'inv-1' }]);
      expect(last.state.inventory.hash).toBe('inv-2');
    });

    it('lists its sessions by name with progress, holder and damage', async () => {
      const b = await fresh();
      expect(await b.list()).toEqual([]);
      const zulu = await open(b, 'zulu');
      await zulu.recordSkip('S001', 'done by hand');
      const alpha = await open(b, 'alpha');
      await alpha.recordStarted('S001');
      await close(alpha);
      await close(await open(b, 'broken'));
      await harness.damage(b, 'broken');
      const list = await b.list();
      expect(list.map((l) => l.name)).toEqual(['alpha', 'broken', 'zulu']);
      const [a, broken, z] = list;
      expect(a).toMatchObject({ name: 'alpha', summary: { done: 0, total: 12, interrupted: 1, journal: 'chained', tampered: false } });
      expect(a!.lockedBy).toBeUndefined();
      expect(a!.presence).toBeUndefined();
      expect(z).toMatchObject({ summary: { done: 1, total: 12, serial: 1 }, lockedBy: { pid: process.pid, host: os.hostname() } });
      expect(z!.presence).toMatchObject([{ pid: process.pid, host: os.hostname(), mode: 'alone' }]);
      expect(broken!.summary).toBeUndefined();
      expect(broken!.error).toEqual(expect.any(String));
      expect(a!.file).toBe(b.store('alpha').location);
    });
  });
}
