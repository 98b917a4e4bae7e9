// issue 19 slice 2: device output is bounded and linear. A simulated device prints 100 MB for one
// command, with and without line breaks: the command completes, the result keeps the tail with a
// summary of the rest, the transcript stays small, and the test process's memory does not grow
// with the output (100 MB with newlines used 1.5 GB before; without newlines it was quadratic).
import { statSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/transport/executor.js';
import { SessionPool } from '../../src/transport/session.js';
import { OUTPUT_KEEP, TRANSCRIPT_HEAD, TRANSCRIPT_TAIL } from '../../src/transport/ssh/shell.js';
import { startMini, type MiniDevice } from './fixture.js';
import { cmd, target, tmp, trustedOpts } from './helpers.js';

const MB = 1024 * 1024;
const FLOOD = 100 * MB;
let dev: MiniDevice;
let pool: SessionPool;
let dir: string;

beforeAll(async () => {
  dev = await startMini({
    prompt: () => '\r\x1b[Kadmin:',
    handler: (l) => {
      if (l === 'flood lines') return { flood: { chars: FLOOD, newlines: true }, then: 'END-OF-FLOOD \u202eevil\u009b31m' };
      if (l === 'flood raw') return { flood: { chars: FLOOD, newlines: false }, then: '\nEND-OF-FLOOD' };
      return 'ok';
    },
  });
  dir = tmp();
  pool = new SessionPool(() => target(dev, 'vos', 'pub'), trustedOpts(dir, [dev]));
});
afterAll(async () => {
  await pool.closeAll();
  await dev.close();
});

async function measure(line: string): Promise<{ output: string; status: string; peakGrowth: number; ms: number }> {
  const s = await pool.get('pub');
  (globalThis as { gc?: () => void }).gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const t0 = Date.now();
  try {
    const r = await runCommand(s, cmd(line, [], 120_000));
    peak = Math.max(peak, process.memoryUsage().rss);
    return { output: r.output, status: r.status, peakGrowth: peak - before, ms: Date.now() - t0 };
  } finally {
    clearInterval(sampler);
  }
}

describe('100 MB of output for one command', () => {
  for (const kind of ['lines', 'raw'] as const) {
    it(`completes with a bounded tail and bounded memory (${kind === 'lines' ? 'with' : 'without'} line breaks)`, async () => {
      const m = await measure(`flood ${kind}`);
      console.log(`flood ${kind}: ${FLOOD / MB} MB in ${m.ms} ms, peak RSS growth ${(m.peakGrowth / MB).toFixed(0)} MB`);
      expect(m.status).toBe('ok');
      expect(m.output.length).toBeLessThanOrEqual(2 * OUTPUT_KEEP + 200);
      // (Slices only: a failure must not print megabytes.)
      expect(m.output.slice(0, 60)).toMatch(/^\[… \d+ characters of output omitted …\]\n/);
      const omitted = Number(/^\[… (\d+)/.exec(m.output)![1]);
      expect(omitted + m.output.length).toBeGreaterThan(FLOOD * 0.95); // CRLF became LF
      expect(m.output.slice(-40)).toMatch(/END-OF-FLOOD( evil)?\n+admin:$/);
      // Control characters from the device never reach the result (issue 19).
      expect(/[\u202e\u009b\x1b]/.exec(m.output)).toBeNull();
      expect(m.peakGrowth).toBeLessThan(300 * MB);
      expect(m.ms).toBeLessThan(60_000);
      const s = await pool.get('pub');
      await s.flushTranscript();
      const log = path.join(dir, 'transcripts', 'pub.log');
      expect(statSync(log).size).toBeLessThan(2 * (TRANSCRIPT_HEAD + TRANSCRIPT_TAIL) + 100 * 1024);
      expect(readFileSync(log, 'utf8')).toMatch(/\[collabsec\] \[… \d+ characters of output omitted …\]\n/);
    }, 120_000);
  }

  it('the session still works after the flood', async () => {
    const s = await pool.get('pub');
    const r = await runCommand(s, cmd('show something'));
    expect(r.status).toBe('ok');
    // The VOS prompt's LF CR before `admin:` is one line break (transport/ssh/normalise.ts), not a blank line.
    expect(r.output).toBe('show something\nok\nadmin:');
  });
});
