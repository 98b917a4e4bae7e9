// `status`, `sessions` and `report` against real session files (the plan-free paths), and the
// evidence pack's escaping.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import report from '../../src/commands/report.js';
import sessions from '../../src/commands/sessions.js';
import status from '../../src/commands/status.js';
import { loadPlan } from '../../src/plan/load-plan.js';
import { renderEvidence } from '../../src/session/evidence.js';
import { openSession } from '../../src/session/journal.js';
import { findSession } from '../../src/session/paths.js';
import { makePlan } from './fixtures/plan.js';
import { io } from './io.js';
import { removeTempDirs, tempDir } from './temp-dirs.js';

afterAll(removeTempDirs);

/** A session with a verified, a failed, a skipped and a "started" (then abandoned) step. */
async function fixture() {
  const dir = await tempDir();
  const plan = makePlan({ steps: 6 });
  const s = await openSession({ plan, inventoryPath: path.join(dir, 'lab.yaml') });
  await s.recordStarted('S001', 'cucm-pub');
  await s.recordResult('S001', { outcome: 'passed', checkpoint: { method: 'automatic', outcome: 'passed', summary: 'tomcat cert <new>' }, transcripts: ['transcripts/S001-cucm-pub.log'] });
  await s.addNote('S001', 'Done in the <b>maintenance</b> window & approved');
  await s.recordResult('S002', { outcome: 'failed', checkpoint: { method: 'operator', outcome: 'failed', summary: 'operator said no' } });
  await s.recordOverride('S002', 'accepted by CAB-1234 <script>alert(1)</script>');
  await s.recordSkip('S003', 'not licensed');
  await s.recordResult('S004', { outcome: 'passed' });
  await s.recordStarted('S005', 'cucm-pub');
  await s.close(); // S005 has intent and no outcome: interrupted from the reader's point of view
  return { dir, plan, file: s.file, state: s.state };
}

describe('collabsec status', () => {
  it('shows progress, last activity and interrupted steps, as text and JSON', async () => {
    const { dir, state } = await fixture();
    const t = io(dir);
    expect(await status.run([], t)).toBe(0);
    expect(t.out()).toContain('Progress: 4/6 done');
    expect(t.out()).toMatch(/Interrupted \(re-run the checkpoint first\):\n {2}S005 .* on cucm-pub/);
    expect(t.out()).toContain('Not in use');

    const j = io(dir);
    expect(await status.run(['--json', '--session', 'lab'], j)).toBe(0);
    const parsed = JSON.parse(j.out());
    expect(parsed.progress).toMatchObject({ done: 4, total: 6 });
    // The last thing done: S005's start (updatedAt is the later file write and may differ by a ms).
    expect(parsed.lastActivity).toBe(state.steps.S005!.history.at(-1)!.at);
    expect(parsed.interrupted.map((i: { id: string }) => i.id)).toEqual(['S005']);
    expect(parsed.failed).toEqual([]);
    // Counts and lists agree (issue 12: byStatus.interrupted was 0 while interrupted listed the step).
    expect(parsed.progress.byStatus.interrupted).toBe(parsed.interrupted.length);
    expect(parsed.progress.byStatus.failed).toBe(parsed.failed.length);
  });

  it('refuses a damaged session with exit code 5 through the UserError', async () => {
    const { dir, file } = await fixture();
    await fs.writeFile(file, '{"half');
    await expect(status.run(['--session', file], io(dir))).rejects.toMatchObject({ exitCode: 5, message: expect.stringContaining(file) });
  });
});

describe('finding a session by name (issue 20 slice 4)', () => {
  it('findSession (resume, status, report) looks beside the inventory, then in ./.collabsec/; sessions lists both places', async () => {
    const { dir } = await fixture();
    const elsewhere = await tempDir();
    const other = await openSession({ plan: makePlan({ steps: 2 }), inventoryPath: path.join(elsewhere, 'other.yaml') });
    await other.close();
    const inventory = path.join(dir, 'lab.yaml');
    // From another folder: "lab" is beside the inventory, "other" in the current folder.
    expect(await findSession({ session: 'lab', inventoryPath: inventory, cwd: elsewhere })).toEqual({ dir: path.join(dir, '.collabsec'), name: 'lab', file: path.join(dir, '.collabsec', 'lab.json') });
    expect((await findSession({ session: 'other', inventoryPath: inventory, cwd: elsewhere })).file).toBe(path.join(elsewhere, '.collabsec', 'other.json'));
    const t = io(elsewhere);
    expect(await status.run(['--session', 'other'], t)).toBe(0);
    expect(t.out()).toContain('Progress: 0/2 done');
    await expect(findSession({ session: 'nope', inventoryPath: inventory, cwd: elsewhere })).rejects.toMatchObject({
      exitCode: 2,
      message: `No session nope in ${path.join(dir, '.collabsec')} or ${path.join(elsewhere, '.collabsec')}`,
    });
    const l = io(elsewhere);
    expect(await sessions.run(['--inventory', inventory], l)).toBe(0);
    expect(l.out()).toMatch(new RegExp(`Sessions in ${path.join(dir, '.collabsec').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:\n {2}lab [\\s\\S]*Sessions in .*:\n {2}other `));
    const j = io(elsewhere);
    expect(await sessions.run(['--inventory', inventory, '--json'], j)).toBe(0);
    const doc = JSON.parse(j.out());
    expect(doc.sessions.map((x: { name: string }) => x.name)).toEqual(['lab']);
    expect(doc.also).toEqual([expect.objectContaining({ dir: path.join(elsewhere, '.collabsec'), sessions: [expect.objectContaining({ name: 'other' })] })]);
  });
});

describe('collabsec sessions', () => {
  it('lists sessions with progress and marks damaged ones', async () => {
    const { dir } = await fixture();
    await fs.writeFile(path.join(dir, '.collabsec', 'broken.json'), '');
    const t = io(dir);
    expect(await sessions.run([], t)).toBe(0);
    expect(t.out()).toMatch(/lab {2}4\/6 done \(1 interrupted\)/);
    expect(t.out()).toMatch(/broken {2}DAMAGED/);
    // The listing reads like loadSession: bounded, and it never quotes the damaged text.
    await fs.writeFile(path.join(dir, '.collabsec', 'quoted.json'), '{"k": hunter2-in-the-file}', { mode: 0o600 });
    await fs.writeFile(path.join(dir, '.collabsec', 'huge.json'), '', { mode: 0o600 });
    await fs.truncate(path.join(dir, '.collabsec', 'huge.json'), 65 * 1024 * 1024);
    const d = io(dir);
    expect(await sessions.run([], d)).toBe(0);
    expect(d.out()).toMatch(/quoted {2}DAMAGED: is not complete JSON/);
    expect(d.out()).not.toContain('hunter2');
    expect(d.out()).toMatch(/huge {2}DAMAGED: is too large/);
    await fs.rm(path.join(dir, '.collabsec', 'quoted.json'));
    await fs.rm(path.join(dir, '.collabsec', 'huge.json'));
    const j = io(dir);
    await sessions.run(['--json', '--inventory', path.join(dir, 'lab.yaml')], j);
    expect(JSON.parse(j.out()).sessions).toHaveLength(2);
  });
});

describe('with the shipped example inventory (real plan)', () => {
  it('status shows the next step and report prints the exact commands of the plan', async () => {
    const dir = await tempDir();
    const inv = path.join(dir, 'ent-pa.yaml');
    await fs.copyFile(path.join(import.meta.dirname, '../../examples/ent-pa.yaml'), inv);
    const { plan } = loadPlan(inv);
    const s = await openSession({ plan, inventoryPath: inv });
    const first = s.next()!.step;
    await s.recordResult(first.id, { outcome: 'passed', checkpoint: { method: 'operator', outcome: 'passed' } });
    const cli = plan.steps.find((x) => x.id !== first.id && x.actions.some((a) => a.commands.length > 0))!;
    await s.recordSkip(cli.id, 'done in an earlier window');
    await s.close();

    const st = io(dir);
    expect(await status.run(['--inventory', inv, '--json'], st)).toBe(0);
    const o = JSON.parse(st.out());
    expect(o.progress).toMatchObject({ done: 2, total: plan.steps.length });
    expect(o.next.id).toBe(plan.steps.find((x) => x.id !== first.id && x.id !== cli.id)!.id);
    expect(o.changes).toMatchObject({ inventoryChanged: false, changed: [] });

    const r = io(dir);
    expect(await report.run(['--inventory', inv], r)).toBe(0);
    expect(r.out()).toContain(`## ${first.id} `);
    expect(r.out()).toContain(cli.actions.find((a) => a.commands.length > 0)!.commands[0]!);
    // Steps nobody touched are one line each at the end, not a section with their commands.
    const idle = plan.steps.filter((x) => x.id !== first.id && x.id !== cli.id);
    expect(r.out()).toContain(`## Not started (${idle.length} steps; commands in the plan)`);
    expect(r.out()).toContain(`\n- ${idle[0]!.id} `);
    expect(r.out()).not.toContain(`## ${idle[0]!.id} `);
  });
});

describe('evidence pack', () => {
  it('has per-step status, who/when, commands, notes, reasons, checkpoints and transcripts; HTML escaped', async () => {
    const { plan, state } = await fixture();
    const html = renderEvidence(plan, state, 'html', '2026-01-01T00:00:00Z');
    expect(html).not.toContain('<script>');
    expect(html).toContain('accepted by CAB-1234 &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('Step 1 &lt;b&gt;&amp;&lt;/b&gt; &quot;quoted&quot;');
    expect(html).toContain('set cert regen tomcat S001');
    expect(html).toContain('transcript: transcripts/S001-cucm-pub.log');
    expect(html).toContain('tomcat cert &lt;new&gt;');
    expect(html).not.toContain('hunter2-secret');
    expect(html).toMatch(/<h2>S002 .*— overridden<\/h2>/);
    expect(html).toMatch(/<h2>S003 .*— skipped<\/h2>[\s\S]*reason: not licensed/);
    expect(html).toMatch(/<h2>S005 .*— started, no outcome recorded \(in doubt\)<\/h2>/);

    const md = renderEvidence(plan, state, 'markdown');
    expect(md).toMatch(/## S001 Step 1 &lt;b\\>&amp;&lt;\/b\\> "quoted" — verified/);
    expect(md).toContain('Done in the &lt;b\\>maintenance&lt;/b\\> window &amp; approved');
    expect(md).toMatch(/```text\n# cucm-pub \(cucm-pub\.example\.com\)\nset cert regen tomcat S001\n```/);
    expect(md).toMatch(new RegExp(`- ${state.steps.S001!.history[0]!.at} started by \\S+ on cucm-pub`));
  });

  it('issue 19: inventory and journal values are inert — escaped for the format, no control character survives', async () => {
    const { plan, state } = await fixture();
    const evil = '![i](http://evil.example/t.png) # hdr';
    const step = plan.steps[0]!;
    step.title = `Upload ${evil}`;
    step.summary = `Trust \u202eredro\u202c the ${evil}\u200b CA\u009b31m.`;
    step.checkpoint.question = `Is ${evil} in tomcat-trust?\x1b]0;owned\x07`;
    step.actions[0]!.commands = [`set cert import trust tomcat \u2066${evil}\u2069\x1b[2J`];
    // A hand-edited journal: terminal escapes and markup in who/when/notes.
    state.createdBy.user = 'eve\x1b]0;retitled\x07';
    state.createdBy.host = 'host\u009d0;x\u009c<img src=x>';
    const rec = state.steps.S001!;
    rec.notes.push({ at: '2026-01-01T00:00:00Z\x1b[31m', user: 'op\u202e', text: `note \x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\ ${evil} <script>alert(1)</script>` });
    rec.history[0]!.at = '# fake heading\u200d';
    const controls = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;
    const md = renderEvidence(plan, state, 'markdown', '2026-01-01T00:00:00Z');
    const html = renderEvidence(plan, state, 'html', '2026-01-01T00:00:00Z');
    for (const out of [md, html]) {
      expect(controls.exec(out)?.[0], 'a control character survived').toBeUndefined();
      expect(out).not.toContain('retitled\x07');
      expect(out).not.toContain('<script>');
    }
    // Markdown: outside code fences, no unescaped image, link or heading built from a value.
    const prose = md.replace(/^```text\n[\s\S]*?\n```$/gm, '');
    expect(prose).not.toMatch(/(^|[^\\])!\[/m);
    expect(prose).not.toMatch(/(^|[^\\])\]\(/m);
    expect(prose.split('\n').filter((l) => /^#{1,6} /.test(l)).every((l) => /^(# [A-Z ]+ — Evidence pack|## (Summary|Session)$|## S\d{3} |## Not started \(\d+ steps?; commands in the plan\)$)/.test(l))).toBe(true);
    expect(md).toContain('Upload \\!\\[i\\](http://evil.example/t.png) \\# hdr');
    expect(md).toContain('\\# fake heading started by ');
    // The command stays in its fence, as text.
    expect(md).toContain('set cert import trust tomcat ![i](http://evil.example/t.png) # hdr\n```');
    // HTML: text, not markup.
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('host&lt;img src=x&gt;');
    expect(html).not.toContain('<img');
  });

  it('flags a step concluded with commands that differ from the current plan', async () => {
    const { state } = await fixture();
    const changed = makePlan({ steps: 6, changed: { S001: ' --force' } });
    const md = renderEvidence(changed, state, 'markdown');
    expect(md.split('## ').find((s) => s.startsWith('S001'))).toContain('**Flagged:**');
    expect(md.split('## ').find((s) => s.startsWith('S004'))).not.toContain('**Flagged:**');
  });

  it('report refuses an unknown format before touching anything', async () => {
    await expect(report.run(['--format', 'pdf'], io(await tempDir()))).rejects.toMatchObject({ exitCode: 2 });
  });
});
