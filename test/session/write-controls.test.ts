// Issue 19: notes, reasons and checkpoint text are stripped of control characters when they are
// WRITTEN, so the session file itself is inert (any reader, not only our renderers, is safe).
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSession } from '../../src/session/journal.js';
import { makePlan } from './fixtures/plan.js';
import { removeTempDirs, tempDir } from './temp-dirs.js';

afterAll(removeTempDirs);

const OSC = '\u001b]0;pwned\u0007';
const CSI = '\u001b[2J';
const C1 = '\u009b31m';
const RLO = '\u202e';
const ZWSP = '\u200b';
const evil = (s: string): string => `${OSC}${s}${CSI}${C1}${RLO}${ZWSP}`;

describe('control characters at write time', () => {
  it('never reach the session file from notes, skip/override reasons or checkpoint text', async () => {
    const dir = await tempDir();
    const s = await openSession({ plan: makePlan({ steps: 4 }), inventoryPath: path.join(dir, 'inv.yaml'), dir, name: 'lab' });
    await s.addNote('S001', evil('CHG-42 approved'));
    await s.recordResult('S001', { outcome: 'failed', target: evil('cucm-pub'), checkpoint: { method: 'automatic', outcome: 'failed', summary: evil('device said no'), details: [{ target: evil('cucm-pub'), outcome: 'failed', text: evil('no tomcat') }] } });
    await s.recordOverride('S001', evil('CAB-1234\naccepted'));
    await s.recordSkip('S002', evil('not licensed'));
    await s.close();

    const raw = await fs.readFile(s.file, 'utf8');
    // JSON writes ESC and C1 as \u escapes and leaves U+202E / U+200B as they are: check both.
    expect(raw).not.toMatch(/\\u00(1b|9b|9d|07)/i);
    for (const c of ['\u001b', '\u0007', '\u009b', RLO, ZWSP]) expect(raw).not.toContain(c);
    const state = JSON.parse(raw) as typeof s.state;
    expect(state.steps.S001!.notes[0]!.text).toBe('CHG-42 approved');
    const [failed, overridden] = state.steps.S001!.history;
    expect(failed!.target).toBe('cucm-pub');
    expect(failed!.checkpoint!.summary).toBe('device said no');
    expect(failed!.checkpoint!.details![0]!.text).toBe('no tomcat');
    // A reason is one line.
    expect(overridden!.reason).toBe('CAB-1234 accepted');
    expect(state.steps.S002!.history[0]!.reason).toBe('not licensed');
  });

  it('a note or reason of control characters alone is empty, and refused', async () => {
    const dir = await tempDir();
    const s = await openSession({ plan: makePlan({ steps: 2 }), inventoryPath: path.join(dir, 'inv.yaml'), dir, name: 'lab' });
    await expect(s.addNote('S001', `${OSC}${ZWSP}`)).rejects.toThrow(/cannot be empty/);
    await expect(s.recordSkip('S001', `${CSI}${RLO}`)).rejects.toThrow(/needs a reason/);
    await s.close();
    expect(s.state.steps.S001!.history).toEqual([]);
  });
});
