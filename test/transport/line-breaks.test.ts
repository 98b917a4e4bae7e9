// Issue 20 slice 4: transcripts keep one line per line. Device output arrives with CRLF, CR CR LF
// (a PTY adding its own CR), LF CR and bare CR (VOS: `admin:\r\n\radmin:`, cli-facts §1.1), split
// across chunks at any byte; none of it may double a line (a blank line that the device never
// printed) or merge two lines into one — in the normalised text and in the transcript file.
import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client } from 'ssh2';
import { describe, expect, it } from 'vitest';
import { vos } from '../../src/transport/platforms/index.js';
import { normalise, StreamNormaliser } from '../../src/transport/ssh/normalise.js';
import { TranscriptWriter } from '../../src/transport/ssh/redact.js';
import { Shell } from '../../src/transport/ssh/shell.js';

/** Raw device output → the lines a terminal shows. */
const cases: [string, string][] = [
  ['show a\r\nline 1\r\nline 2\r\nadmin:', 'show a\nline 1\nline 2\nadmin:'],
  ['show b\r\r\nline 1\r\r\nadmin:', 'show b\nline 1\nadmin:'],
  ['show c\n\rline 1\n\radmin:', 'show c\nline 1\nadmin:'],
  ['out\r\n\radmin:', 'out\nadmin:'],
  ['out\r\n\x1b[K\radmin:', 'out\nadmin:'],
  ['a\r\n\r\nb', 'a\n\nb'],
  ['10%\r20%\r\n', '10%\n20%\n'],
  ['x\r\ry', 'x\ny'],
];

/** Every way of cutting `raw` in two, and one byte at a time. */
function splits(raw: string): string[][] {
  const out = [[...raw]];
  for (let i = 1; i < raw.length; i++) out.push([raw.slice(0, i), raw.slice(i)]);
  return out;
}

function streamed(chunks: string[]): string {
  const n = new StreamNormaliser();
  return chunks.map((c) => n.push(c)).join('') + n.end();
}

describe('line breaks are folded one per line', () => {
  it.each(cases)('%j', (raw, want) => {
    expect(normalise(raw)).toBe(want);
    for (const chunks of splits(raw)) expect(streamed(chunks), JSON.stringify(chunks)).toBe(want);
  });

  it('holds one CR for a long run of CRs, whatever its length', () => {
    const n = new StreamNormaliser();
    let out = n.push('a');
    for (let i = 0; i < 1000; i++) out += n.push('\r');
    out += n.push('\nb') + n.end();
    expect(out).toBe('a\nb');
  });
});

/** A channel the shell reads: device output is whatever the test emits. */
class FakeChannel extends EventEmitter {
  readonly stderr = new EventEmitter();
  write(): boolean {
    return true;
  }
  close(): void {
    this.emit('close');
  }
}

describe('the transcript file', () => {
  it('has exactly the device lines, whatever line endings and chunking the device used', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'collabsec-lines-')), 'pub.log');
    const transcript = await TranscriptWriter.open(file);
    const channel = new FakeChannel();
    const client = { shell: (_o: unknown, cb: (e: Error | undefined, c: FakeChannel) => void) => cb(undefined, channel) } as unknown as Client;
    const shell = await Shell.open(client, { node: 'pub', spec: vos, transcript });
    // VOS-style output cut mid-CRLF and mid-escape.
    for (const chunk of ['admin:show version active\r', '\nActive Master Version: 15.0\r', '\r\n', 'Active Version Installed Software Options:\r\n\r', '\x1b[', 'Kadmin:']) channel.emit('data', Buffer.from(chunk));
    shell.settle();
    await transcript.close();
    expect(readFileSync(file, 'utf8').split('\n')).toEqual(['admin:show version active', 'Active Master Version: 15.0', 'Active Version Installed Software Options:', 'admin:']);
  });
});
