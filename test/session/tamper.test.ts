// Issue 19 (issue 12, "Faults in the session folder"): a journal edited by hand is detected by
// its hash chain on load; `status` (text, --json), `sessions` and `report` (markdown, html) flag
// it TAMPERED naming the first broken event; opening it is refused (exit 5) unless the operator
// accepts it, which is recorded. Old files without a chain still load, as "not chained".
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import report from '../../src/commands/report.js';
import resume from '../../src/commands/resume.js';
import sessions from '../../src/commands/sessions.js';
import status from '../../src/commands/status.js';
import { loadPlan } from '../../src/plan/load-plan.js';
import type { Plan } from '../../src/plan/types.js';
import { verifyJournal } from '../../src/session/chain.js';
import { renderEvidence } from '../../src/session/evidence.js';
import { acceptTamperedJournal, openSession } from '../../src/session/journal.js';
import { loadSession, TamperedSessionError } from '../../src/session/load.js';
import type { SessionState } from '../../src/session/state.js';
import { makePlan } from './fixtures/plan.js';
import { io } from './io.js';
import { removeTempDirs, tempDir } from './temp-dirs.js';

afterAll(removeTempDirs);

/** S001 verified, S002 failed (started, failed), S003 skipped: written by collabsec. */
async function journal(plan: Plan = makePlan({ steps: 6 }), inventory?: string) {
  const dir = await tempDir();
  const s = await openSession({ plan, inventoryPath: inventory ?? path.join(dir, 'lab.yaml'), dir: path.join(dir, '.collabsec'), name: 'lab' });
  const [a, b, c] = plan.steps.map((x) => x.id);
  await s.recordStarted(a!, 'cucm-pub');
  await s.recordResult(a!, { outcome: 'passed', checkpoint: { method: 'automatic', outcome: 'passed' } });
  await s.recordStarted(b!, 'cucm-pub');
  await s.recordResult(b!, { outcome: 'failed', checkpoint: { method: 'operator', outcome: 'failed', summary: 'operator said no' } });
  await s.recordSkip(c!, 'not licensed');
  await s.close();
  return { dir, file: s.file, ids: [a!, b!, c!] };
}

async function edit(file: string, change: (state: SessionState) => void): Promise<void> {
  const state = JSON.parse(await fs.readFile(file, 'utf8')) as SessionState;
  change(state);
  await fs.writeFile(file, JSON.stringify(state, null, 1));
}

/** The case: a failed checkpoint turned into a verified one by hand. */
const failedToVerified = (id: string) => (s: SessionState) => {
  const e = s.steps[id]!.history[1]!;
  e.status = 'verified';
  e.outcome = 'passed';
};

describe('the hash chain', () => {
  it('verifies a journal collabsec wrote, and finds each kind of hand edit at its first broken event', async () => {
    const { file } = await journal();
    expect(verifyJournal(await loadSession(file))).toMatchObject({ kind: 'chained', events: 5 });
    const original = await fs.readFile(file, 'utf8');
    const cases: [string, (s: SessionState) => void, object][] = [
      ['status changed', failedToVerified('S002'), { step: 'S002', event: 2, problem: expect.stringMatching(/does not match its hash/) }],
      ['event deleted', (s) => void s.steps.S001!.history.splice(1, 1), { step: 'S002', event: 1, problem: expect.stringMatching(/#1 of the chain is missing/) }],
      ['last event deleted', (s) => void s.steps.S003!.history.pop(), { problem: expect.stringMatching(/last event was removed/) }],
      ['verified appended', (s) => void s.steps.S002!.history.push({ status: 'verified', at: '2030-01-01T00:00:00Z', user: 'ops' }), { step: 'S002', event: 3, problem: expect.stringMatching(/no chain hash/) }],
      ['reordered', (s) => void s.steps.S002!.history.reverse(), { step: 'S002', event: 2, problem: expect.stringMatching(/out of order/) }],
      ['moved to another step', (s) => void s.steps.S004!.history.push(s.steps.S003!.history.pop()!), { step: 'S004', event: 1, problem: expect.stringMatching(/does not match its hash/) }],
      ['chain record removed', (s) => void delete s.chain, { problem: expect.stringMatching(/chain record was removed/) }],
    ];
    for (const [label, change, first] of cases) {
      await fs.writeFile(file, original);
      await edit(file, change);
      const found = verifyJournal(await loadSession(file));
      expect(found.kind, label).toBe('tampered');
      expect(found.kind === 'tampered' ? found.first : undefined, label).toMatchObject(first);
    }
  });

  it('chains each write with one hash: a long history stays intact and every event links to the one before', async () => {
    const plan = makePlan({ steps: 2 });
    const dir = await tempDir();
    const s = await openSession({ plan, inventoryPath: path.join(dir, 'lab.yaml'), dir, name: 'lab' });
    for (let i = 0; i < 250; i++) {
      await s.recordResult('S001', { outcome: 'failed' });
      await s.recordOverride('S001', `attempt ${i}`);
    }
    await s.close();
    const state = await loadSession(s.file);
    expect(state.chain).toMatchObject({ length: 500 });
    expect(state.steps.S001!.history.map((e) => e.seq)).toEqual([...Array(500).keys()]);
    expect(verifyJournal(state)).toMatchObject({ kind: 'chained', events: 500 });
  });
});

describe('status, sessions and report flag a tampered journal', () => {
  it('names the first broken event, as text, --json, markdown and html', async () => {
    const dir0 = await tempDir();
    const inv = path.join(dir0, 'ent-pa.yaml');
    await fs.copyFile(path.join(import.meta.dirname, '../../examples/ent-pa.yaml'), inv);
    const { plan } = loadPlan(inv);
    const { file, ids } = await journal(plan, inv);
    await edit(file, failedToVerified(ids[1]!));

    const t = io(dir0);
    expect(await status.run(['--session', file], t)).toBe(0);
    expect(t.out()).toMatch(new RegExp(`!! TAMPERED: first broken event: ${ids[1]} event 2 \\(verified at [^)]+\\) does not match its hash`));
    const j = io(dir0);
    expect(await status.run(['--session', file, '--json'], j)).toBe(0);
    const o = JSON.parse(j.out());
    expect(o.journal).toMatchObject({ integrity: 'tampered', tampered: true, firstBroken: { step: ids[1], event: 2, status: 'verified' }, breaks: 1 });

    const l = io(dir0);
    expect(await sessions.run(['--dir', path.dirname(file)], l)).toBe(0);
    expect(l.out()).toMatch(/lab {2}TAMPERED/);

    for (const format of ['markdown', 'html']) {
      const r = io(dir0);
      expect(await report.run(['--session', file, '--inventory', inv, '--format', format], r)).toBe(0);
      const out = r.out();
      const banner = format === 'html' ? '<strong>TAMPERED:</strong>' : '> **TAMPERED:**';
      expect(out.indexOf(banner), format).toBeGreaterThan(-1);
      // At the top (before the first step) and at the step itself.
      expect(out.indexOf(banner)).toBeLessThan(out.indexOf(ids[0]!));
      expect(out).toContain(`first broken event: ${ids[1]} event 2 (verified at`);
      expect(out.split(banner).length - 1, format).toBe(2);
    }
  });

  it('an intact journal says so; one written before the chain says "not chained", never tampered', async () => {
    const { dir, file } = await journal();
    const t = io(dir);
    expect(await status.run(['--session', file], t)).toBe(0);
    expect(t.out()).toMatch(/Journal: chained, intact \(5 events\)/);
    expect(t.out()).not.toContain('TAMPERED');

    await edit(file, (s) => {
      delete s.chain;
      for (const r of Object.values(s.steps))
        for (const e of r.history) {
          delete e.seq;
          delete e.hash;
        }
    });
    const j = io(dir);
    expect(await status.run(['--session', file, '--json'], j)).toBe(0);
    expect(JSON.parse(j.out()).journal).toMatchObject({ integrity: 'not-chained', tampered: false });
    expect(renderedReport(await loadSession(file))).toMatch(/- Journal: not chained/);
    expect(renderedReport(await loadSession(file))).not.toContain('TAMPERED');

    // Opened by this version, the old history is sealed as found and chained from then on.
    const s = await openSession({ plan: makePlan({ steps: 6 }), inventoryPath: path.join(dir, 'lab.yaml'), dir: path.dirname(file), name: 'lab' });
    expect(s.integrity.kind).toBe('not-chained');
    await s.addNote('S001', 'after the upgrade');
    await s.close();
    expect(verifyJournal(await loadSession(file))).toMatchObject({ kind: 'chained', events: 5, sealed: { events: 5 } });
  });
});

/** The evidence pack with the synthetic plan (report.run needs a real inventory: see above). */
const renderedReport = (state: SessionState): string => renderEvidence(makePlan({ steps: 6 }), state, 'markdown');

describe('opening a tampered journal', () => {
  it('is refused with exit 5 naming the first broken event; the file and lock are left as they were', async () => {
    const { file } = await journal();
    await edit(file, failedToVerified('S002'));
    const before = await fs.readFile(file, 'utf8');
    const err = await openSession({ plan: makePlan({ steps: 6 }), inventoryPath: 'lab.yaml', dir: path.dirname(file), name: 'lab' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TamperedSessionError);
    expect((err as TamperedSessionError).exitCode).toBe(5);
    expect((err as Error).message).toMatch(/TAMPERED\): first broken event: S002 event 2 \(verified/);
    expect((err as TamperedSessionError).tryMessage).toContain('--accept-tampered');
    expect(await fs.readFile(file, 'utf8')).toBe(before);
    await expect(fs.access(`${file}.lock`)).rejects.toThrow();
  });

  it('`resume` refuses it (exit 5) before anything else; --accept-tampered records who accepted what, warns, and keeps it flagged', async () => {
    const { dir, file } = await journal();
    await edit(file, failedToVerified('S002'));
    await expect(resume.run(['--session', file], io(dir))).rejects.toMatchObject({ exitCode: 5, name: 'TamperedSessionError' });
    // With neither --session nor --inventory, resume finds the only session in ./.collabsec (as status does).
    await expect(resume.run([], io(dir))).rejects.toMatchObject({ exitCode: 5, name: 'TamperedSessionError' });

    const t = io(dir);
    // The synthetic session names no real inventory: the wizard itself then stops, after the acceptance.
    await expect(resume.run(['--session', file, '--accept-tampered', '--plain'], t)).rejects.toThrow();
    expect(t.err()).toMatch(/WARNING: TAMPERED: first broken event: S002 event 2/);
    const state = await loadSession(file);
    const found = verifyJournal(state);
    expect(found).toMatchObject({ kind: 'chained', acknowledged: [{ breaks: [expect.stringMatching(/^S002 event 2 .*does not match its hash/)] }] });

    // Accepted, it opens; status and the pack still flag it, now as accepted earlier.
    const s = await openSession({ plan: makePlan({ steps: 6 }), inventoryPath: 'lab.yaml', dir: path.dirname(file), name: 'lab' });
    await s.addNote('S002', 'checked on the device: really verified');
    await s.close();
    const j = io(dir);
    await status.run(['--session', file, '--json'], j);
    expect(JSON.parse(j.out()).journal).toMatchObject({ integrity: 'chained', tampered: true, summary: expect.stringMatching(/^TAMPERED earlier: .* accepted an edited journal/) });
    expect(renderedReport(await loadSession(file))).toContain('> **TAMPERED:**');

    // The acceptance covers what was found then, not a later edit; nor can it be deleted unseen.
    await edit(file, (x) => void x.steps.S003!.history.pop());
    await expect(acceptTamperedJournal(file).then((i) => i.kind)).resolves.toBe('tampered');
    await edit(file, (x) => void delete x.chain!.acknowledged);
    expect(verifyJournal(await loadSession(file)).kind).toBe('tampered');
  });
});
