// Run-time pastes that answer a CSR printed earlier in the same action (S034: enroll prints the
// CSR, the CA signs it, import pastes the certificate) are read and checked just before their own
// command; every other paste is checked before the action's first line.
import { describe, expect, it } from 'vitest';
import type { Action, RenderedCommand } from '../../src/plan/types.js';
import { preparePastes } from '../../src/transport/executor.js';
import { PasteFileError } from '../../src/transport/paste.js';
import { PEM } from './helpers.js';

const c = (line: string, extra: Partial<RenderedCommand> = {}): RenderedCommand => ({ line, dialogue: [], timeoutMs: 5_000, ...extra });
const act = (exchanges: RenderedCommand[]): Action => ({ target: 'srst', host: '127.0.0.1', platform: 'ios', commands: exchanges.map((e) => e.line), exchanges, pasteFiles: [] });
const importCert = c('crypto pki import SRST-Certificate certificate', { dialogue: [{ expect: 'End with a blank line', pasteAtRuntime: true, label: 'CA-signed router certificate' }] });

describe('when a run-time paste is read', () => {
  it('after a captured CSR in the same action: not before the first line (the CA signs mid-action)', async () => {
    const asked: string[] = [];
    const prepared = await preparePastes(act([c('crypto pki enroll SRST-Certificate', { capture: 'csr' }), importCert]), { readPaste: (e) => (asked.push(e.label ?? e.expect), Promise.resolve(PEM)) });
    expect(asked).toEqual([]);
    expect(prepared.size).toBe(0);
  });

  it('without a captured output before it: before the first line, and a missing file refuses the action', async () => {
    const asked: string[] = [];
    const run = preparePastes(act([c('crypto pki trustpoint SRST-Certificate'), importCert]), { readPaste: (e) => (asked.push(e.label ?? e.expect), Promise.reject(new Error('no file'))) });
    await expect(run).rejects.toBeInstanceOf(PasteFileError);
    expect(asked).toEqual(['CA-signed router certificate']);
  });
});
