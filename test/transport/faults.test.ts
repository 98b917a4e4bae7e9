// Faults of issue 4 and reliability.md cases 12 and 15: silence, drop, unexpected question,
// latency, and injection through the one send gate.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UnsafeLineError } from '../../src/transport/errors.js';
import { executeAction } from '../../src/transport/executor.js';
import { SessionPool } from '../../src/transport/session.js';
import { startIos, startVos } from './devices.js';
import type { MiniDevice } from './fixture.js';
import { action, cmd, PEM, target, tmp, trustedOpts } from './helpers.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

async function vosPool(): Promise<{ dev: MiniDevice; pool: SessionPool; dir: string }> {
  const dev = await startVos();
  const dir = tmp();
  const pool = new SessionPool(() => target(dev, 'vos', 'pub'), trustedOpts(dir, [dev]));
  cleanup.push(() => pool.closeAll(), () => dev.close());
  return { dev, pool, dir };
}

describe('faults', () => {
  it('silence: times out within ±10% of the budget, step in doubt, channel closed, nothing retried', async () => {
    const { dev, pool } = await vosPool();
    const s = await pool.get('pub');
    dev.faults.silentAfter = dev.commands; // the next command is never answered
    const received = dev.received.length;
    const r = await executeAction(action('pub', 'vos', [cmd('utils service restart Cisco Tomcat', [], 1500), cmd('show long')]), s);
    expect(r.status).toBe('in-doubt');
    expect(r.commands).toHaveLength(1);
    expect(r.commands[0]!.status).toBe('timeout');
    expect(r.commands[0]!.elapsedMs).toBeGreaterThanOrEqual(1500 * 0.9);
    expect(r.commands[0]!.elapsedMs).toBeLessThanOrEqual(1500 * 1.1);
    expect(s.shell.closed).not.toBeNull();
    expect(dev.received.slice(received)).toEqual(['utils service restart Cisco Tomcat']);
  });

  it('a long silent restart with a long budget is not a false timeout and reports elapsed time', async () => {
    const dev = await startVos({ restartMs: 1200 });
    const dir = tmp();
    const pool = new SessionPool(() => target(dev, 'vos', 'pub'), trustedOpts(dir, [dev]));
    cleanup.push(() => pool.closeAll(), () => dev.close());
    const ticks: number[] = [];
    const r = await executeAction(action('pub', 'vos', [cmd('utils service restart Cisco Tomcat', [], 10_000)]), await pool.get('pub'), {
      onWaiting: (_n, _l, ms) => ticks.push(ms),
    });
    expect(r.status).toBe('ok');
    expect(ticks.length).toBeGreaterThanOrEqual(1);
  });

  it('operator stop (Ctrl-C "stop waiting") ends the wait as in doubt', async () => {
    const { dev, pool } = await vosPool();
    const s = await pool.get('pub');
    dev.faults.silentAfter = dev.commands;
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 300);
    const r = await executeAction(action('pub', 'vos', [cmd('utils service restart Cisco Tomcat', [], 60_000)]), s, { signal: ac.signal });
    expect(r.status).toBe('in-doubt');
    expect(r.commands[0]!.error).toMatch(/stopped waiting by the operator/);
  });

  it('drop mid-command: step interrupted, transcript so far kept, the pool reconnects for the next step', async () => {
    const { dev, pool, dir } = await vosPool();
    const s = await pool.get('pub');
    dev.faults.dropAfter = dev.commands + 1;
    const r = await executeAction(action('pub', 'vos', [cmd('utils ctl set-cluster mixed-mode', [{ expect: '(y/n)', answer: 'y' }])]), s);
    expect(r.status).toBe('interrupted');
    expect(r.commands[0]!.status).toBe('dropped');
    expect(r.commands[0]!.output).toContain('partial output of utils ctl set-cluster mixed-mode');
    await s.flushTranscript();
    const t = readFileSync(path.join(dir, 'transcripts', 'pub.log'), 'utf8');
    expect(t).toContain('partial output');
    expect(t).toMatch(/\n\[collabsec [0-9T:.Z-]+\] dropped: pub: connection dropped during "utils ctl set-cluster mixed-mode"/);
    dev.faults = {};
    const again = await pool.get('pub');
    expect(again).not.toBe(s);
    expect(pool.opened.get('pub')).toBe(2);
  });

  it('unexpected question: the step stops for the operator and nothing is sent — never a blind "y"', async () => {
    const { dev, pool } = await vosPool();
    const s = await pool.get('pub');
    dev.faults.unexpectedQuestion = { after: dev.commands + 1, question: 'Auto-registration is enabled. Proceed anyway? (y/n):' };
    const received = dev.received.length;
    const r = await executeAction(
      action('pub', 'vos', [cmd('utils ctl set-cluster mixed-mode', [{ expect: 'Do you want to continue? (y/n)', answer: 'y' }]), cmd('show long')]),
      s,
    );
    expect(r.status).toBe('needs-operator');
    expect(r.commands[0]).toMatchObject({ status: 'unexpected-question', question: 'Auto-registration is enabled. Proceed anyway? (y/n):' });
    await new Promise((res) => setTimeout(res, 300));
    expect(dev.received.slice(received)).toEqual(['utils ctl set-cluster mixed-mode']);
  });

  it('error text followed by a normal prompt fails the step (case 15)', async () => {
    const dev = await startIos();
    const pool = new SessionPool(() => target(dev, 'ios', 'cube'), trustedOpts(tmp(), [dev]));
    cleanup.push(() => pool.closeAll(), () => dev.close());
    const r = await executeAction(action('cube', 'ios', [cmd('crypto pki authenticate'), cmd('show run')]), await pool.get('cube'));
    expect(r.commands).toHaveLength(1);
    expect(r.commands[0]!.status).toBe('failed');
  });

  it('latency: 50 ms per reply is waited for, not mistaken for silence', async () => {
    const { dev, pool } = await vosPool();
    const s = await pool.get('pub');
    dev.faults.latencyMs = 50;
    const r = await executeAction(action('pub', 'vos', [cmd('set cert import trust tomcat', [{ expect: 'Paste the Certificate and Hit Enter', paste: 'x' }])]), s, {
      readPaste: () => Promise.resolve(PEM),
    });
    expect(r.status).toBe('ok');
  });

  it('every accepted value reaches the device as exactly one line, unchanged (case 11)', async () => {
    const { dev, pool } = await vosPool();
    const s = await pool.get('pub');
    let seed = 11;
    const rnd = (n: number): number => Math.floor(((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * n);
    const alphabet = 'abcXYZ019 -_.:/=,@*"\'()[]{}éü€中';
    const values = Array.from({ length: 150 }, (_, i) => `show x${i} ` + Array.from({ length: rnd(40) }, () => alphabet[rnd(alphabet.length)]).join('').trimEnd());
    values.push('-leading-dash', 'x'.repeat(1024));
    const n = dev.received.length;
    for (const v of values) await executeAction(action('pub', 'vos', [cmd(v)]), s);
    expect(dev.received.slice(n)).toEqual(values);
  });

  it('control characters never reach the device: the line, an answer and a pasted line are refused before sending', async () => {
    const { dev, pool } = await vosPool();
    const s = await pool.get('pub');
    const received = dev.received.length;
    for (const bad of ['show\nversion', 'a\rb', 'x\x03', 'x\x1a', '\x1b[A', 'nul\x00', 'del\x7f', 'sep\u2028x', 'c1\x85']) {
      await expect(s.shell.send(bad)).rejects.toBeInstanceOf(UnsafeLineError);
      const r = await executeAction(action('pub', 'vos', [cmd(bad)]), s);
      expect(r.commands[0]).toMatchObject({ status: 'failed' });
      const a = await executeAction(action('pub', 'vos', [cmd('utils ctl set-cluster mixed-mode', [{ expect: '(y/n)', answer: bad }])]), s);
      expect(a.status).toBe('failed');
    }
    const p = await executeAction(action('pub', 'vos', [cmd('set cert import trust tomcat', [{ expect: 'Paste the Certificate', paste: 'x' }])]), s, {
      readPaste: () => Promise.resolve('-----BEGIN CERTIFICATE-----\nAA\x03AA\n-----END CERTIFICATE-----\n'),
    });
    expect(p.status).not.toBe('ok');
    // The paste file is checked before the action's first line: not even the command went out.
    expect(dev.received.slice(received)).toEqual([]);
  });
});
