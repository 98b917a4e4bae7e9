// The evidence pack opens with what kind of session it was (LIVE or REHEARSAL, issue 25) and a
// one-page summary: change record, versions, steps per status, overridden and skipped steps with
// their reasons (overrides marked), and the time span. Sessions are real journals on disk.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import report from '../../src/commands/report.js';
import { captureIo } from '../cert/io.js';
import { loadPlan } from '../../src/plan/load-plan.js';
import { verifyJournal } from '../../src/session/chain.js';
import { renderEvidence } from '../../src/session/evidence.js';
import { openSession, type OpenSessionOptions } from '../../src/session/journal.js';
import { makePlan } from './fixtures/plan.js';
import { removeTempDirs, tempDir } from './temp-dirs.js';

afterAll(removeTempDirs);

/** Six steps: verified, overridden, skipped, verified, failed, pending; a fixed clock one hour and a half long. */
async function session(mode: OpenSessionOptions['mode']) {
  const dir = await tempDir();
  const plan = makePlan({ steps: 6 });
  let t = Date.parse('2026-12-12T21:00:00Z');
  const now = () => new Date((t += 15 * 60_000));
  const s = await openSession({ plan, inventoryPath: path.join(dir, 'lab.yaml'), now, ...(mode ? { mode } : {}) });
  await s.recordStarted('S001', 'cucm-pub');
  await s.recordResult('S001', { outcome: 'passed', checkpoint: { method: 'operator', outcome: 'passed' } });
  await s.recordResult('S002', { outcome: 'failed', checkpoint: { method: 'operator', outcome: 'failed', summary: 'no' } });
  await s.recordOverride('S002', 'accepted by CAB-1234: the node is decommissioned next week');
  await s.recordSkip('S003', 'not licensed');
  await s.recordResult('S004', { outcome: 'passed' });
  await s.recordResult('S005', { outcome: 'failed' });
  await s.close();
  return { dir, plan, state: s.state };
}

describe('the evidence pack summary', () => {
  it('a rehearsal says so on its first line, in markdown and HTML, and every event records it inside the hash chain', async () => {
    const { plan, state } = await session('rehearsal');
    expect(Object.values(state.steps).flatMap((r) => r.history).every((e) => e.mode === 'rehearsal')).toBe(true);
    expect(verifyJournal(state).kind).toBe('chained');
    const md = renderEvidence(plan, state, 'markdown', '2026-12-13T00:00:00Z');
    expect(md.split('\n')[0]).toBe('# REHEARSAL — Evidence pack: Test rollout');
    expect(md).toMatch(/## Summary\n\n\*\*REHEARSAL:\*\* nothing was sent to any device/);
    expect(md).not.toMatch(/\bLIVE\b/);
    const html = renderEvidence(plan, state, 'html', '2026-12-13T00:00:00Z');
    expect(html).toContain('<title>REHEARSAL — Evidence pack: Test rollout</title>');
    expect(html).toContain('<h1>REHEARSAL — Evidence pack: Test rollout</h1>');
    expect(html).toContain('<p class="mode mode-rehearsal"><strong>REHEARSAL:</strong> nothing was sent');
  });

  it('a live session says LIVE first; editing an event\'s mode by hand breaks the chain', async () => {
    const { plan, state } = await session('live');
    const md = renderEvidence(plan, state, 'markdown', '2026-12-13T00:00:00Z');
    expect(md.split('\n')[0]).toBe('# LIVE — Evidence pack: Test rollout');
    expect(md).toMatch(/\*\*LIVE:\*\* collabsec sent commands to devices in this session \(7 of 7 recorded events/);
    // Passing a live session off as a rehearsal is an edit the chain finds.
    const edited = structuredClone(state);
    for (const r of Object.values(edited.steps)) for (const e of r.history) e.mode = 'rehearsal';
    expect(verifyJournal(edited).kind).toBe('tampered');
    expect(renderEvidence(plan, edited, 'markdown').split('\n')[0]).toBe('# REHEARSAL — Evidence pack: Test rollout');
    expect(renderEvidence(plan, edited, 'markdown')).toMatch(/> \*\*TAMPERED:\*\*/);
  });

  it('a session written before the mode was recorded does not claim to be a rehearsal', async () => {
    const { plan, state } = await session(undefined);
    const md = renderEvidence(plan, state, 'markdown');
    expect(md.split('\n')[0]).toBe('# MODE NOT RECORDED — Evidence pack: Test rollout');
    // …unless a transcript shows a live run (only live runs write them).
    state.steps.S001!.history.at(-1)!.transcripts = ['transcripts/S001-cucm-pub.log'];
    expect(renderEvidence(plan, state, 'markdown').split('\n')[0]).toBe('# LIVE — Evidence pack: Test rollout');
  });

  it('counts steps per status, lists overridden (marked) and skipped steps with their reasons, and the time span', async () => {
    const { plan, state } = await session('rehearsal');
    const md = renderEvidence(plan, state, 'markdown', '2026-12-13T00:00:00Z');
    const summary = md.slice(md.indexOf('## Summary'), md.indexOf('## Session'));
    expect(summary).toContain('| Verified | Skipped | Overridden | Failed | In doubt | Backed out | Pending |\n|---|---|---|---|---|---|---|\n| 2 | 1 | 1 | 1 | 0 | 0 | 1 |');
    expect(summary).toMatch(/- \*\*OVERRIDDEN\*\* S002 Step 2 .* — reason: accepted by CAB-1234: the node is decommissioned next week \(\S+, 2026-12-12T\d\d:\d\d:00\.000Z\)/);
    expect(summary).toMatch(/- skipped: S003 Step 3 .* — reason: not licensed/);
    // From the first event to the last, whole minutes of the fixed clock.
    const times = Object.values(state.steps).flatMap((r) => r.history.map((e) => e.at)).sort();
    const minutes = (Date.parse(times.at(-1)!) - Date.parse(times[0]!)) / 60_000;
    expect(minutes).toBeGreaterThan(60);
    expect(summary).toContain(`Time span: ${times[0]} to ${times.at(-1)} (${Math.floor(minutes / 60)} h ${minutes % 60} min)`);
    expect(summary).toContain('Versions: Catalogue sha256 cat-1');
    expect(summary).toMatch(/Change record: none given/);
    const html = renderEvidence(plan, state, 'html', '2026-12-13T00:00:00Z');
    expect(html).toMatch(/<li class="overridden"><strong>OVERRIDDEN<\/strong> S002 /);
    // An overridden step's section looks different from a verified one's.
    expect(html).toMatch(/<section id="S002" class="status-overridden">/);
    expect(html).toMatch(/<section id="S001" class="status-verified">/);
    expect(html).toMatch(/section\.status-overridden\{border-left/);
  });

  it('shows the change record first in the summary, escaped for the format', async () => {
    const { plan, state } = await session('rehearsal');
    plan.change = { number: 'CHG0012345', approver: 'CAB <script>x</script>', window: { start: '2026-12-12T22:00+01:00', end: '2026-12-13T02:00+01:00' }, impact: '![i](http://evil.example/t.png)', rollbackOwner: 'Ops' };
    const md = renderEvidence(plan, state, 'markdown');
    const summary = md.slice(md.indexOf('## Summary'), md.indexOf('## Session'));
    expect(summary).toContain('| Change number | CHG0012345 |');
    expect(summary).toContain('| Window | 2026-12-12T22:00+01:00 → 2026-12-13T02:00+01:00 |');
    expect(summary).toContain('| Impact | \\!\\[i\\](http://evil.example/t.png) |');
    expect(summary).toContain('| Approver | CAB &lt;script\\>x&lt;/script\\> |');
    const html = renderEvidence(plan, state, 'html');
    expect(html).toContain('<tr><td>Rollback owner</td><td>Ops</td></tr>');
    expect(html).not.toContain('<script>');
  });
});

describe('collabsec report with the shipped example', () => {
  it('takes the change record from the inventory, each flag overriding it, and refuses a window that ends before it starts (exit 2)', async () => {
    const dir = await tempDir();
    const inv = path.join(dir, 'ent-pa.yaml');
    await fs.copyFile(path.join(import.meta.dirname, '../../examples/ent-pa.yaml'), inv);
    const { plan } = loadPlan(inv);
    const s = await openSession({ plan, inventoryPath: inv, mode: 'rehearsal' });
    await s.recordResult(s.next()!.step.id, { outcome: 'passed', checkpoint: { method: 'operator', outcome: 'passed' } });
    await s.close();

    const a = captureIo({ cwd: dir });
    expect(await report.run(['--inventory', inv], a)).toBe(0);
    expect(a.out().split('\n')[0]).toBe('# REHEARSAL — Evidence pack: ENT-PA security rollout (chapter example)');
    expect(a.out()).toContain('| Change number | CHG0012345 |');
    expect(a.out()).toContain('| Approver | ENT-PA Change Advisory Board |');
    expect(a.out()).toMatch(/Versions: collabsec \d+\.\d+\.\d+; Catalogue sha256 [0-9a-f]{64}; Unified CM and IM and Presence release 15;/);

    const b = captureIo({ cwd: dir });
    expect(await report.run(['--inventory', inv, '--change-number', 'CHG0099999', '--window-end', '2026-12-13T06:00:00+01:00'], b)).toBe(0);
    expect(b.out()).toContain('| Change number | CHG0099999 |');
    expect(b.out()).toContain('| Window | 2026-12-12T22:00:00+01:00 → 2026-12-13T06:00:00+01:00 |');
    expect(b.out()).toContain('| Approver | ENT-PA Change Advisory Board |');

    await expect(report.run(['--inventory', inv, '--window-end', '2026-12-12T20:00:00Z'], captureIo({ cwd: dir }))).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/^--window-end: the window end/) as unknown as string });
  });
});
