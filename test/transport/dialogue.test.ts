// Only what the dialogue expects is typed into a device (issue 18 slice 4), over real SSH on
// loopback against the lab's IOS simulator and the scripted IOS fixture: paste files parsed and
// checked before the first line, `%` errors inside dialogues, a missing first question, the
// fingerprint check of `crypto pki authenticate` (cli-facts §2.3) and the enable secret.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newKeyPair, selfSigned } from '../../src/lab/pki.js';
import { startIos as startLabIos, type DeviceHandle } from '../../src/lab/server.js';
import type { IosState } from '../../src/lab/ios.js';
import type { RenderedCommand } from '../../src/plan/types.js';
import { TransportError } from '../../src/transport/errors.js';
import { executeAction } from '../../src/transport/executor.js';
import { parsePaste } from '../../src/transport/paste.js';
import { runActions } from '../../src/transport/rolling.js';
import { NodeSession, SessionPool, type LiveTarget, type SessionOptions } from '../../src/transport/session.js';
import { formatEntry, knownHostsStore } from '../../src/transport/ssh/known-hosts.js';
import { startIos as startFixtureIos } from './devices.js';
import type { MiniDevice } from './fixture.js';
import { action, cmd, PEM, tmp } from './helpers.js';

const PW = 'L4b-pass!';
const users = { admin: PW };
type Dev = Pick<MiniDevice, 'port' | 'hostPublicKey' | 'received' | 'connections'>;
let lab: DeviceHandle<IosState> & { state: IosState };
let fix: MiniDevice;
let dir: string;
let caPem: string;
const cleanup: (() => Promise<void>)[] = [];

const ACCEPT = 'Do you accept this certificate? [yes/no]:';
const PASTE_PROMPT = 'End with a blank line or the word "quit" on a line by itself';

function opts(devs: Dev[]): SessionOptions {
  const file = path.join(tmp(), 'known_hosts');
  writeFileSync(file, devs.map((d) => formatEntry('127.0.0.1', d.port, d.hostPublicKey)).join(''), { mode: 0o600 });
  return { knownHosts: knownHostsStore({ file }), confirmHostKey: () => Promise.resolve(false), readyTimeoutMs: 5_000 };
}
function tgt(dev: Dev, node: string, auth: LiveTarget['auth'] = { password: PW }): LiveTarget {
  return { node, host: '127.0.0.1', port: dev.port, username: 'admin', auth, platform: 'ios' };
}
function pool(dev: Dev, node = 'cube', auth?: LiveTarget['auth']): SessionPool {
  const p = new SessionPool(() => tgt(dev, node, auth), opts([dev]));
  cleanup.push(() => p.closeAll());
  return p;
}
function authenticate(tp: string, file: string): RenderedCommand[] {
  return [
    cmd(`crypto pki trustpoint ${tp}`),
    cmd('enrollment terminal pem'),
    cmd('exit'),
    cmd(`crypto pki authenticate ${tp}`, [
      { expect: PASTE_PROMPT, paste: file, terminator: 'quit', label: 'ENT-PA Enterprise Root CA' },
      { expect: `% ${ACCEPT}`, answer: 'yes' },
    ]),
  ];
}

beforeAll(async () => {
  [lab, fix] = await Promise.all([startLabIos({ hostname: 'cube1', users }), startFixtureIos({ password: PW })]);
  cleanup.push(() => lab.close(), () => fix.close());
  dir = tmp();
  caPem = await selfSigned('CN=ENT-PA Root CA', await newKeyPair(), true);
});
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
});

describe('paste files are parsed, never copied byte for byte', () => {
  it('a CA file with quit / yes / a backdoor user appended is refused: no connection opens, and on an open session nothing is sent', async () => {
    const file = path.join(dir, 'rootCA-backdoor.pem');
    writeFileSync(file, `${caPem}quit\nyes\nusername backdoor privilege 15 secret 0 Backd00r\n`);
    const act = action('cube', 'ios', authenticate('CUBE-ENT', file), true);
    const connections = lab.connections;
    const p = pool(lab);
    const sum = await runActions([act], p, {}, {});
    expect(sum.ok).toBe(false);
    expect(sum.nodes[0]).toMatchObject({ node: 'cube', status: 'failed' });
    expect(sum.nodes[0]!.error).toMatch(new RegExp(`paste file .*rootCA-backdoor\\.pem: text outside the certificate's PEM armour at line \\d+ \\("quit"\\).*nothing was sent`));
    expect(sum.nodes[0]!.error).not.toContain('\n');
    expect(lab.connections).toBe(connections);

    const s = await p.get('cube');
    const before = lab.received.length;
    const r = await executeAction(act, s);
    expect(r.status).toBe('failed');
    expect(r.commands).toHaveLength(1);
    expect(r.commands[0]).toMatchObject({ status: 'failed', notSent: true, line: 'crypto pki authenticate CUBE-ENT' });
    expect(r.commands[0]!.error).toContain('rootCA-backdoor.pem');
    expect(lab.received.slice(before)).toEqual([]);
    expect(lab.received.join('\n')).not.toMatch(/backdoor/);
    expect(s.shell.closed).toBeNull();
  });

  it('a clean file with CRLF, indentation and 76-character lines is re-encoded from its DER and accepted; "yes" only after the fingerprint matched', async () => {
    const canonical = parsePaste(caPem).lines;
    const b64 = canonical.slice(1, -1).join('');
    const messy = `\r\n  -----BEGIN CERTIFICATE-----\r\n${(b64.match(/.{1,76}/g) ?? []).map((l) => `  ${l}  `).join('\r\n')}\r\n-----END CERTIFICATE-----\r\n\r\n\r\n`;
    const file = path.join(dir, 'rootCA-crlf.cer');
    writeFileSync(file, messy);
    const s = await pool(lab).get('cube');
    const before = lab.received.length;
    const r = await executeAction(action('cube', 'ios', authenticate('CUBE-CLEAN', file), true), s);
    expect(r.status, r.commands.map((c) => c.output).join('')).toBe('ok');
    const sent = lab.received.slice(before);
    const at = sent.indexOf('crypto pki authenticate CUBE-CLEAN');
    expect(sent.slice(at, at + canonical.length + 3)).toEqual(['crypto pki authenticate CUBE-CLEAN', ...canonical, 'quit', 'yes']);
    expect(lab.state.pki['CUBE-CLEAN']?.ca).toBeDefined();
  });

  it('a run-time paste whose file is missing sends nothing (no exit typed into a paste prompt, no crash)', async () => {
    const s = await pool(lab).get('cube');
    const before = lab.received.length;
    const act = action('cube', 'ios', [cmd('crypto pki import CUBE-CLEAN certificate', [{ expect: PASTE_PROMPT, pasteAtRuntime: true, terminator: '', label: 'CA-signed router certificate for cube1' }])], true);
    // What the wizard's hook does today for a run-time entry: it has no file.
    const r = await executeAction(act, s, { readPaste: (e) => (e.paste === undefined ? Promise.reject(new Error(`no file for "${e.label ?? e.expect}"`)) : Promise.resolve(PEM)) });
    expect(r.status).toBe('failed');
    expect(r.commands[0]!.error).toMatch(/paste file "CA-signed router certificate for cube1" \(chosen at run time\): no file for/);
    expect(lab.received.slice(before)).toEqual([]);
    expect(s.shell.closed).toBeNull();
  });
});

describe('IOS % errors and declared first questions', () => {
  it('a % error after the paste fails the step; nothing else of the action is sent (only "end" to leave config mode)', async () => {
    const s = await pool(fix).get('cube');
    const before = fix.received.length;
    const r = await executeAction(
      action('cube', 'ios', [cmd('crypto pki authenticate ERR', [{ expect: PASTE_PROMPT, paste: 'ca.pem', terminator: 'quit' }, { expect: ACCEPT, answer: 'yes' }]), cmd('crypto pki trustpoint NEXT')], true),
      s,
      { readPaste: () => Promise.resolve(PEM) },
    );
    expect(r.status).toBe('failed');
    expect(r.commands.map((c) => [c.line, c.status])).toEqual([
      ['configure terminal', 'ok'],
      ['crypto pki authenticate ERR', 'failed'],
    ]);
    expect(r.commands[1]!.matchedFailureMarker).toBe('% Error in receiving Certificate Authority certificate.');
    const sent = fix.received.slice(before);
    expect(sent).not.toContain('crypto pki trustpoint NEXT');
    expect(sent).not.toContain('yes');
    expect(sent.at(-1)).toBe('end');
  });

  it('a % error before a declared question: the question is not answered', async () => {
    const s = await pool(fix).get('cube');
    const before = fix.received.length;
    const r = await executeAction(
      action('cube', 'ios', [cmd('crypto pki authenticate ERR-ASK', [{ expect: PASTE_PROMPT, paste: 'ca.pem', terminator: 'quit' }, { expect: ACCEPT, answer: 'yes' }])], true),
      s,
      { readPaste: () => Promise.resolve(PEM) },
    );
    expect(r.status).toBe('failed');
    expect(r.commands[1]).toMatchObject({ status: 'failed', matchedFailureMarker: '% Error in receiving Certificate Authority certificate.' });
    const sent = fix.received.slice(before);
    expect(sent.at(-1)).toBe('quit'); // the paste's terminator, then nothing
    expect(sent).not.toContain('yes');
  });

  it('a declared dialogue whose first question never comes (the prompt is back) fails the command; nothing more is sent', async () => {
    const s = await pool(fix).get('cube');
    const before = fix.received.length;
    const r = await executeAction(
      action('cube', 'ios', [cmd('crypto pki import CUBE-ENT certificate', [{ expect: PASTE_PROMPT, paste: 'id.pem', terminator: '' }]), cmd('crypto pki trustpoint NEXT')], true),
      s,
      { readPaste: () => Promise.resolve(PEM) },
    );
    expect(r.status).toBe('failed');
    expect(r.commands[1]!.error).toMatch(/returned to its prompt without asking "End with a blank line/);
    expect(fix.received.slice(before)).toEqual(['configure terminal', 'crypto pki import CUBE-ENT certificate', 'end']);
  });

  it('on the lab: authenticate of a trustpoint that does not exist fails (the paste question never came)', async () => {
    const s = await pool(lab).get('cube');
    const r = await executeAction(action('cube', 'ios', [cmd('crypto pki authenticate NOPE', [{ expect: PASTE_PROMPT, paste: 'ca.pem', terminator: 'quit' }, { expect: ACCEPT, answer: 'yes' }])], true), s, { readPaste: () => Promise.resolve(caPem) });
    expect(r.status).toBe('failed');
    expect(r.commands[1]!.status).toBe('failed');
  });
});

describe('fingerprint check of crypto pki authenticate (cli-facts §2.3)', () => {
  it('a device that shows another fingerprint gets "no", and the step fails naming both', async () => {
    const s = await pool(fix).get('cube');
    fix.state.showFingerprint = { md5: '0A0B0C0D 0E0F1011 12131415 16171819', sha1: '00112233 44556677 8899AABB CCDDEEFF 00112233' };
    const before = fix.received.length;
    try {
      const r = await executeAction(action('cube', 'ios', [cmd('crypto pki authenticate CUBE-ENT', [{ expect: PASTE_PROMPT, paste: 'ca.pem', terminator: 'quit' }, { expect: ACCEPT, answer: 'yes' }])], true), s, { readPaste: () => Promise.resolve(PEM) });
      expect(r.status).toBe('failed');
      const ours = parsePaste(PEM).certs[0]!;
      const g = (h: string) => h.match(/.{8}/g)!.join(' ');
      expect(r.commands[1]!.error).toContain('the device shows MD5 0A0B0C0D 0E0F1011 12131415 16171819, SHA1 00112233');
      expect(r.commands[1]!.error).toContain(`ca.pem has MD5 ${g(ours.md5)}, SHA1 ${g(ours.sha1)}`);
      expect(r.commands[1]!.error).toContain('answered "no"');
      const sent = fix.received.slice(before);
      expect(sent.slice(-3)).toEqual(['quit', 'no', 'end']);
      expect(sent).not.toContain('yes');
    } finally {
      delete fix.state.showFingerprint;
    }
  });

  it('the fixture showing the pasted certificate\'s own fingerprint gets the declared "yes"', async () => {
    const s = await pool(fix).get('cube');
    const before = fix.received.length;
    const r = await executeAction(action('cube', 'ios', [cmd('crypto pki authenticate CUBE-ENT', [{ expect: PASTE_PROMPT, paste: 'ca.pem', terminator: 'quit' }, { expect: ACCEPT, answer: 'yes' }])], true), s, { readPaste: () => Promise.resolve(PEM) });
    expect(r.status).toBe('ok');
    expect(fix.received.slice(before).slice(-3)).toEqual(['quit', 'yes', 'end']);
  });
});

describe('enable secret (IOS user EXEC)', () => {
  async function enableDevice(secret: string): Promise<DeviceHandle<IosState>> {
    const d = await startLabIos({ hostname: 'gw1', users, enableSecret: secret });
    cleanup.push(() => d.close());
    return d;
  }

  it('without an enable secret the login password is never typed into "Password:"; the error names the variable', async () => {
    const d = await enableDevice(PW); // the same as the login password: a fallback would succeed
    const err = await NodeSession.open(tgt(d, 'gw1', { password: PW, enableSecretHint: 'set IOS_ENABLE to the ios enable secret of admin' }), opts([d])).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).message).toMatch(/user EXEC.*asks for the enable secret, which was not given; nothing was typed/);
    expect((err as TransportError).tryMessage).toContain('set IOS_ENABLE');
    expect(d.received).toEqual(['enable']);
  });

  it('a refused enable secret ("% Bad secrets") fails with nothing more sent, not even exit', async () => {
    const d = await enableDevice('En-S3cret');
    const err = await NodeSession.open(tgt(d, 'gw1', { password: PW, enableSecret: 'wrong-one' }), opts([d])).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).message).toMatch(/"enable" with the enable secret did not reach privileged mode \("% Bad secrets"\)/);
    await new Promise((r) => setTimeout(r, 200));
    expect(d.received).toEqual(['enable', 'wrong-one']);
  });

  it('the right enable secret reaches privileged mode, and the password is not used for it', async () => {
    const d = await enableDevice('En-S3cret');
    const s = await NodeSession.open(tgt(d, 'gw1', { password: PW, enableSecret: 'En-S3cret' }), opts([d]));
    cleanup.push(() => s.close());
    expect(d.received.slice(0, 3)).toEqual(['enable', 'En-S3cret', 'terminal length 0']);
    expect(d.received).not.toContain(PW);
  });
});
