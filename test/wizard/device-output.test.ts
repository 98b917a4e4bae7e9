// Issue 20 slice 4: what the output pane shows, without a screen. The live buffer keeps one line
// per device line per node (a node's name heads its lines, a partial line is closed before
// another node's output) and is bounded; a node's transcript is read from its end, bounded, and
// only the part the step's last run wrote (between its mark and the next) is shown.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OUTPUT_LINES, OutputBuffer, readStepTranscript, stepMark } from '../../src/wizard/device-output.js';

const mark = (id: string) => `[collabsec 2026-01-01T00:00:00.000Z] ${stepMark(id)}`;
const file = (text: string): string => {
  const f = path.join(mkdtempSync(path.join(tmpdir(), 'collabsec-out-')), 'pub.log');
  writeFileSync(f, text);
  return f;
};

describe('OutputBuffer', () => {
  it('keeps one line per line per node, a partial line until its end arrives, controls removed', () => {
    const b = new OutputBuffer('S1');
    expect(b.empty).toBe(true);
    b.push('pub', 'admin:show ');
    b.push('pub', 'ctl\n\tok\nadm');
    b.push('sub', 'admin:\u001b[31mred\n');
    expect(b.lines()).toEqual(['── pub ──', 'admin:show ctl', ' ok', 'adm', '── sub ──', 'admin:red']);
  });

  it('is bounded, and says how many lines it no longer keeps', () => {
    const b = new OutputBuffer('S1');
    b.push('pub', Array.from({ length: OUTPUT_LINES * 3 }, (_, i) => `l${i}`).join('\n') + '\n');
    const lines = b.lines();
    expect(lines.length).toBe(OUTPUT_LINES + 1);
    expect(lines[0]).toMatch(/^\[… \d+ earlier lines not kept here; the transcript has them …\]$/);
    expect(lines.at(-1)).toBe(`l${OUTPUT_LINES * 3 - 1}`);
  });
});

describe('readStepTranscript', () => {
  it('returns the part of the step’s last run, up to the next step’s mark', async () => {
    const f = file([mark('S1'), 'old run', '', mark('S2'), 'other step', mark('S1'), 'admin:show ctl', 'new run', 'admin:', '', mark('S3'), 'later step', ''].join('\n'));
    expect(await readStepTranscript(f, 'S1')).toEqual({ lines: ['admin:show ctl', 'new run', 'admin:'] });
    expect(await readStepTranscript(f, 'S3')).toEqual({ lines: ['later step'] });
    expect((await readStepTranscript(f, 'S9')).note).toContain('has no part written by S9');
  });

  it('reads only the end of a large file, and says when the step’s part is older than that', async () => {
    const f = file([mark('S1'), 'x'.repeat(10_000), mark('S2'), 'tail line', ''].join('\n'));
    expect(await readStepTranscript(f, 'S2', 1024)).toEqual({ lines: ['tail line'] });
    expect((await readStepTranscript(f, 'S1', 1024)).note).toMatch(/S1's part is not in the last 1 KB of .*: open the file\./);
  });

  it('shows a transcript without marks whole, and says why; a missing file is a note, not an error', async () => {
    const f = file('line 1\nline 2\n');
    expect(await readStepTranscript(f, 'S1')).toEqual({ lines: ['line 1', 'line 2'], note: `${f} has no step marks: all of it is shown.` });
    expect((await readStepTranscript(`${f}.missing`, 'S1')).note).toContain('cannot be read (ENOENT)');
  });
});
