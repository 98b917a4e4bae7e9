// Every CLI step kind over real SSH on loopback against the scripted devices.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeAction, runVerify } from '../../src/transport/executor.js';
import { SessionPool } from '../../src/transport/session.js';
import { startIos, startMmp, startVos } from './devices.js';
import type { MiniDevice } from './fixture.js';
import { action, cmd, PEM, target, tmp, trustedOpts } from './helpers.js';

let vosDev: MiniDevice, iosDev: MiniDevice, mmpDev: MiniDevice;
let pool: SessionPool;
let dir: string;
const seen: string[] = [];
const CA_SECRET = 'ca-enrol:Ch4llenge!';

beforeAll(async () => {
  [vosDev, iosDev, mmpDev] = await Promise.all([startVos(), startIos(), startMmp()]);
  dir = tmp();
  const targets = { pub: target(vosDev, 'vos', 'pub'), cube: target(iosDev, 'ios', 'cube'), cms: target(mmpDev, 'mmp', 'cms') };
  vosDev.state.caSecret = CA_SECRET;
  pool = new SessionPool(
    (n) => targets[n as keyof typeof targets],
    trustedOpts(dir, [vosDev, iosDev, mmpDev], { onOutput: (_n, t) => seen.push(t), secrets: [CA_SECRET] }),
  );
});
afterAll(async () => {
  await pool.closeAll();
  await Promise.all([vosDev.close(), iosDev.close(), mmpDev.close()]);
});

describe('vos', () => {
  it('runs session init (cli-facts §1.2) and pastes a PEM into set cert import trust, ending with one blank line', async () => {
    const s = await pool.get('pub');
    expect(vosDev.received).toContain('set cli pagination off');
    const before = vosDev.received.length;
    const r = await executeAction(
      action('pub', 'vos', [cmd('set cert import trust tomcat', [{ expect: 'Paste the Certificate and Hit Enter', paste: 'x', terminator: '' }])]),
      s,
      { readPaste: () => Promise.resolve(PEM) },
    );
    expect(r.status).toBe('ok');
    expect(r.commands[0]!.answered).toEqual(['Paste the Certificate and Hit Enter']);
    expect(r.commands[0]!.output).toMatch(/Successfully imported certificate for tomcat\./);
    expect(vosDev.received.slice(before)).toEqual(['set cert import trust tomcat', ...PEM.trimEnd().split('\n'), '']);
  });

  it('answers the declared (y/n) of mixed mode, typed slowly, and verifies the mode', async () => {
    const s = await pool.get('pub');
    const before = await runVerify({ command: "run sql select paramname,paramvalue from processconfig where paramname='ClusterSecurityMode'", parser: 'vos-cluster-security-mode', args: { expected: 'mixed' } }, s);
    expect(before.ok).toBe(false);
    const t0 = Date.now();
    const r = await executeAction(action('pub', 'vos', [cmd('utils ctl set-cluster mixed-mode', [{ expect: 'Do you want to continue? (y/n)', answer: 'y' }])]), s);
    expect(r.status).toBe('ok');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(450); // cli-facts §1.1: one character per 0.5 s
    const after = await runVerify({ command: "run sql select paramname,paramvalue from processconfig where paramname='ClusterSecurityMode'", parser: 'vos-cluster-security-mode', args: { expected: 'mixed' } }, s);
    expect(after).toMatchObject({ ok: true });
  });

  it('pages through a paging prompt and fails on "Executed command unsuccessfully" even though the prompt returns', async () => {
    const s = await pool.get('pub');
    const r = await executeAction(action('pub', 'vos', [cmd('show long'), cmd('bogus command'), cmd('show long')]), s);
    expect(r.commands[0]!.output).toContain('line 4');
    expect(vosDev.received).toContain('<key " ">');
    expect(r.commands[1]).toMatchObject({ status: 'failed', matchedFailureMarker: 'Executed command unsuccessfully' });
    expect(r.commands).toHaveLength(2); // stops at the first failure
    expect(r.status).toBe('failed');
  });

  it('reports service states after a restart', async () => {
    const s = await pool.get('pub');
    const r = await executeAction(action('pub', 'vos', [cmd('utils service restart Cisco Tomcat', [], 10_000)]), s);
    expect(r.commands[0]!.output).toContain('Cisco Tomcat[STARTED]');
    const v = await runVerify({ command: 'utils service list', parser: 'vos-services-started', args: { services: ['Cisco Tomcat', 'Cisco CallManager'] } }, s);
    expect(v.ok).toBe(true);
  });
});

describe('ios', () => {
  it('wraps config actions in configure terminal/end, pastes the CA with authenticate and answers its question; no write memory unless told', async () => {
    const s = await pool.get('cube');
    expect(iosDev.received.slice(0, 2)).toEqual(['terminal length 0', 'terminal width 0']);
    const r = await executeAction(
      action('cube', 'ios', [
        cmd('crypto pki trustpoint CUBE-ENT'),
        cmd('enrollment terminal pem'),
        cmd('exit'),
        cmd('crypto pki authenticate CUBE-ENT', [
          { expect: 'End with a blank line or the word "quit" on a line by itself', paste: 'ca.pem', terminator: 'quit' },
          { expect: 'Do you accept this certificate? [yes/no]:', answer: 'yes' },
        ]),
      ], true),
      s,
      { readPaste: () => Promise.resolve(PEM) },
    );
    expect(r.status).toBe('ok');
    expect(r.commands.map((c) => c.line)).toEqual(['configure terminal', 'crypto pki trustpoint CUBE-ENT', 'enrollment terminal pem', 'exit', 'crypto pki authenticate CUBE-ENT', 'end']);
    expect(r.commands[4]!.output).toContain('% Certificate successfully imported');
    expect(iosDev.received).toContain('quit');
    expect(iosDev.received).not.toContain('write memory');
    expect(iosDev.state.saved).toBeUndefined();
  });

  it('answers the enroll questions in order, captures the CSR, and saves only when told', async () => {
    const s = await pool.get('cube');
    const enroll = cmd('crypto pki enroll CUBE-ENT', [
      { expect: 'Include the router serial number in the subject name? [yes/no]:', answer: 'no' },
      { expect: 'Include an IP address in the subject name? [no]:', answer: 'no' },
      { expect: 'Display Certificate Request to terminal? [yes/no]:', answer: 'yes' },
      { expect: 'Redisplay enrollment request? [yes/no]:', answer: 'no' },
    ]);
    enroll.capture = 'csr';
    const r = await executeAction(action('cube', 'ios', [enroll], true), s, { saveConfig: true });
    expect(r.status).toBe('ok');
    expect(r.captures.csr).toContain('-----BEGIN CERTIFICATE REQUEST-----');
    expect(r.commands.at(-1)!.line).toBe('write memory');
    expect(iosDev.state.saved).toBe(1);
  });

  it('fails on % Invalid input and still leaves config mode', async () => {
    const s = await pool.get('cube');
    const r = await executeAction(action('cube', 'ios', [cmd('show crypto pki trustpoints')]), s); // exec mode: the fixture rejects it
    expect(r.commands[0]).toMatchObject({ status: 'failed', matchedFailureMarker: "% Invalid input detected at '^' marker." });
  });
});

describe('mmp', () => {
  it('runs MMP commands, gates on SUCCESS/FAILURE, and verifies pki list', async () => {
    const s = await pool.get('cms');
    const ok = await executeAction(action('cms', 'mmp', [cmd('callbridge certs cms.key cms.crt root.crt')]), s);
    expect(ok.status).toBe('ok');
    const bad = await executeAction(action('cms', 'mmp', [cmd('webadmin certs cms.key cms.crt')]), s);
    expect(bad.commands[0]).toMatchObject({ status: 'failed', matchedFailureMarker: 'FAILURE: TLS port set but no certificates configured' });
    expect((await runVerify({ command: 'pki list', parser: 'cms-pki-list', args: { files: ['cms.key', 'cms.crt'] } }, s)).ok).toBe(true);
  });
});

describe('redaction in a live session (case 8)', () => {
  it('an online-CA credential echoed by the device reaches no result, hook or transcript', async () => {
    const s = await pool.get('pub');
    const r = await executeAction(action('pub', 'vos', [cmd('show secret')]), s);
    expect(r.commands[0]!.output).toContain('ca credential is [REDACTED] ok');
    await s.flushTranscript();
    const t = readFileSync(path.join(dir, 'transcripts', 'pub.log'), 'utf8');
    for (const text of [r.commands[0]!.output, seen.join(''), t]) expect(text).not.toContain(CA_SECRET);
  });
});

describe('session', () => {
  it('opens exactly one SSH connection per node for the whole session, even for concurrent callers', async () => {
    const all = await Promise.all([pool.get('pub'), pool.get('pub'), pool.get('cube')]);
    expect(all[0]).toBe(all[1]);
    expect([vosDev.connections, iosDev.connections, mmpDev.connections]).toEqual([1, 1, 1]);
    expect([...pool.opened.values()]).toEqual([1, 1, 1]);
  });

  it('writes 0600 transcripts per node, with the password never in them', async () => {
    for (const n of ['pub', 'cube', 'cms']) await (await pool.get(n)).flushTranscript();
    for (const n of ['pub', 'cube', 'cms']) {
      const f = path.join(dir, 'transcripts', `${n}.log`);
      expect(statSync(f).mode & 0o777).toBe(0o600);
      expect(readFileSync(f, 'utf8')).not.toContain('secret-pw');
    }
    expect(readFileSync(path.join(dir, 'transcripts', 'pub.log'), 'utf8')).toContain('Cluster set to Mixed Mode');
    expect(seen.join('')).toContain('admin:');
  });
});
