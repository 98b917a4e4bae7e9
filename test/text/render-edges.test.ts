// Issue 19: text collabsec did not write (journal users, notes, reasons, device summaries, labels)
// reaches neither plain output, nor `status` (text and --json), nor `sessions`, with an escape
// sequence, a bidi override or a zero-width character; the markdown plan renders a hostile CA
// name as text.
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import sessions from '../../src/commands/sessions.js';
import status from '../../src/commands/status.js';
import { mdEscape } from '../../src/plan/format/markdown.js';
import { openSession } from '../../src/session/index.js';
import { runPlain } from '../../src/wizard/plain.js';
import { captureIo } from '../cli/io.js';
import { step, wizardPlan } from '../wizard/fixtures.js';

const OSC = '\u001b]0;x\u0007';
const RLO = '\u202e';
const ZWSP = '\u200b';
const evil = (s: string): string => `${s}${OSC}${RLO}${ZWSP}`;
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await fs.rm(d, { recursive: true, force: true });
});

function assertInert(out: string): void {
  expect(out).not.toContain('\u001b');
  expect(out).not.toContain(RLO);
  expect(out).not.toContain(ZWSP);
  expect(out).not.toMatch(/[\u0080-\u009f]/);
}

/** A session whose journal holds hostile values (as a hand-edited or foreign file would). */
async function hostileSession() {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'collabsec-edges-'));
  dirs.push(dir);
  const plan = wizardPlan();
  const s = await openSession({ plan, inventoryPath: path.join(dir, 'lab.yaml'), dir: path.join(dir, '.collabsec'), name: 'lab' });
  await s.recordStarted('S001', evil('us-cm-pub'));
  await s.recordResult('S001', { outcome: 'failed', checkpoint: { method: 'automatic', outcome: 'failed', summary: evil('device said no') } });
  await s.addNote('S001', evil('CHG-42'));
  await s.recordStarted('S003', 'us-cm-pub');
  await s.close();
  // The user comes from the OS; a foreign or edited journal can hold anything.
  const json = JSON.parse(await fs.readFile(s.file, 'utf8')) as { planTitle: string; steps: Record<string, { history: { user: string }[] }> };
  json.planTitle = evil('Rollout');
  for (const rec of Object.values(json.steps)) for (const e of rec.history) e.user = evil('mallory');
  await fs.writeFile(s.file, JSON.stringify(json, null, 2));
  return { dir, file: s.file };
}

describe('status and sessions', () => {
  it('status text and --json carry no control characters from the journal', async () => {
    const { dir } = await hostileSession();
    const t = captureIo();
    t.cwd = dir;
    expect(await status.run([], t)).toBe(0);
    assertInert(t.out());
    expect(t.out()).toContain('by mallory');
    expect(t.out()).toContain('device said no');

    const j = captureIo();
    j.cwd = dir;
    expect(await status.run(['--json'], j)).toBe(0);
    // JSON.stringify writes ESC as \u001b and leaves U+202E and U+200B as they are: check both forms.
    assertInert(j.out());
    expect(j.out()).not.toMatch(/\\u00(1b|9[bd])/i);
    const parsed = JSON.parse(j.out()) as { failed: { user: string; detail: string; target: string }[] };
    expect(parsed.failed[0]).toMatchObject({ user: 'mallory', detail: 'device said no' });
  });

  it('sessions text and --json too', async () => {
    const { dir } = await hostileSession();
    const t = captureIo();
    t.cwd = dir;
    expect(await sessions.run([], t)).toBe(0);
    expect(t.out()).toContain('lab');
    expect(t.out()).toContain('Rollout');
    const j = captureIo();
    j.cwd = dir;
    expect(await sessions.run(['--json'], j)).toBe(0);
    for (const out of [t.out(), j.out()]) {
      assertInert(out);
      expect(out).not.toMatch(/\\u00(1b|9[bd])/i);
    }
  });
});

describe('plain mode', () => {
  it('writes no control characters from labels or a device summary', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'collabsec-edges-'));
    dirs.push(dir);
    const plan = { ...wizardPlan(), title: evil('Rollout') };
    plan.steps = [step('S001', { title: evil('Upload'), summary: evil('Summary'), checkpoint: { question: evil('Done?'), origin: 'suggested', verify: { command: 'show cert list trust' } as never } })];
    const session = await openSession({ plan, inventoryPath: path.join(dir, 'inv.yaml'), dir, name: 'test' });
    await session.addNote('S001', evil('note'));
    const out = new PassThrough();
    let text = '';
    out.on('data', (c: Buffer) => (text += c.toString()));
    const listed = await runPlain({ session, out, yes: false, checkpointPassed: false });
    expect(listed).toBe(0);
    const code = await runPlain({
      session,
      out,
      steps: ['S001'],
      yes: true,
      checkpointPassed: false,
      verifyStep: () => Promise.resolve({ method: 'automatic', outcome: 'failed', summary: evil('tomcat-trust lacks the CA') }),
    });
    await session.close();
    expect(code).not.toBe(0);
    assertInert(text);
    expect(text).toContain('Upload');
    expect(text).toContain('tomcat-trust lacks the CA');
  });
});

describe('markdown plan escaping', () => {
  it('a hostile CA name renders as text: no image, no link, no heading, no entity', () => {
    const ca = '![i](http://evil.example/t.png) # hdr';
    expect(mdEscape(`Send the CSR to ${ca}.`)).toBe('Send the CSR to ![i]\\(http://evil.example/t.png) # hdr.');
    expect(mdEscape(ca)).toBe('![i]\\(http://evil.example/t.png) # hdr');
    expect(mdEscape('# hdr')).toBe('\\# hdr');
    expect(mdEscape('[x]: http://evil.example')).toBe('\\[x]: http://evil.example');
    expect(mdEscape('CA &#x202e; x')).toBe('CA &amp;#x202e; x');
    expect(mdEscape(evil('CA'))).toBe('CA');
    // The catalogue's own code spans and intraword syntax stay byte for byte (snapshot unchanged).
    expect(mdEscape('Does `show crypto pki` list [yes/no] for AES_CM_128 and 9.*?')).toBe('Does `show crypto pki` list [yes/no] for AES_CM_128 and 9.*?');
  });
});
