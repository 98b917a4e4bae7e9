// Device passwords for --live: from the environment variable the inventory names, or asked with a
// masked question on a terminal; without a terminal a missing one stops the run (exit 4) naming
// the variable, before any session file is created.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import run from '../../src/commands/run.js';
import { ExitCode, UserError } from '../../src/errors.js';
import { askSecret } from '../../src/prompts/secrets.js';
import { resolveCredentials, secretNeeds, type SecretNeed } from '../../src/wizard/credentials.js';
import { captureIo } from '../cli/io.js';

const dir = mkdtempSync(path.join(tmpdir(), 'collabsec-cred-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const vos: SecretNeed = { platform: 'vos', what: 'password', username: 'administrator', env: 'CUCM_PW', path: 'credentials.vos', optional: false };
const enable: SecretNeed = { platform: 'ios', what: 'enable secret', username: 'admin', env: 'IOS_ENABLE', path: 'credentials.ios.enableSecretEnv', optional: true };
const ios: SecretNeed = { platform: 'ios', what: 'password', username: 'admin', env: 'IOS_PW', path: 'credentials.ios', optional: false };

describe('live credentials', () => {
  it('reads the environment first and asks only for what is missing (the optional enable secret too)', async () => {
    const asked: string[] = [];
    const m = await resolveCredentials([vos, ios, enable], { CUCM_PW: 'from-env' }, (q) => (asked.push(q), Promise.resolve(q.includes('enable') ? 'en-secret' : 'typed')));
    expect(m.get('vos')).toEqual({ username: 'administrator', password: 'from-env' });
    expect(m.get('ios')).toMatchObject({ username: 'admin', password: 'typed', enableSecret: 'en-secret' });
    expect(asked).toEqual(['ios password for admin (IOS_PW is not set):', 'ios enable secret for admin (IOS_ENABLE is not set), empty = none (only if the login lands at "#"):']);
  });

  it('an enable secret left empty on a terminal is none, never the login password', async () => {
    const m = await resolveCredentials([ios, enable], {}, (q) => Promise.resolve(q.includes('enable') ? '' : 'typed'));
    expect(m.get('ios')!.enableSecret).toBeUndefined();
    expect(m.get('ios')!.enableSecretHint).toBe('set IOS_ENABLE to the ios enable secret of admin');
  });

  it('without a terminal: exit 4 naming the variable; an unset enable secret stays unset (not the password) and its variable is named for the transport', async () => {
    const err = await resolveCredentials([vos, ios, enable], { IOS_PW: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).exitCode).toBe(ExitCode.stepFailed);
    expect((err as UserError).message).toContain('set CUCM_PW to the vos password of administrator');
    expect((err as UserError).tryMessage).toContain('Set CUCM_PW');
    const ok = await resolveCredentials([ios, enable], { IOS_PW: 'x' });
    expect(ok.get('ios')).toEqual({ username: 'admin', password: 'x', enableSecretHint: 'set IOS_ENABLE to the ios enable secret of admin' });
    const fromEnv = await resolveCredentials([ios, enable], { IOS_PW: 'x', IOS_ENABLE: 'en' });
    expect(fromEnv.get('ios')).toMatchObject({ password: 'x', enableSecret: 'en' });
  });

  it('an IOS credential always has an enable-secret need, named by its variable when the inventory gives one', () => {
    const iosPlan = { steps: [{ actions: [{ target: 'cube', host: '192.0.2.1', platform: 'ios' }] }] } as unknown as Parameters<typeof secretNeeds>[0];
    expect(secretNeeds(iosPlan, { credentials: { ios: { username: 'admin', passwordEnv: 'IOS_PW' } } }).map((n) => [n.what, n.env, n.optional])).toEqual([
      ['password', 'IOS_PW', false],
      ['enable secret', undefined, true],
    ]);
    // Only a platform whose data says it escalates (IOS enable) has one: VOS and the AXL user do not.
    const vosPlan = { steps: [{ actions: [{ target: 'pub', host: '192.0.2.2', platform: 'vos', axl: [{}] }] }] } as unknown as Parameters<typeof secretNeeds>[0];
    const creds = { vos: { username: 'admin', passwordEnv: 'VOS_PW' }, axl: { username: 'axl', passwordEnv: 'AXL_PW' } };
    expect(secretNeeds(vosPlan, { credentials: creds }).map((n) => [n.platform, n.what])).toEqual([
      ['vos', 'password'],
      ['axl', 'password'],
    ]);
    const hint = (async () => (await resolveCredentials(secretNeeds(iosPlan, { credentials: { ios: { username: 'admin', passwordEnv: 'IOS_PW' } } }), { IOS_PW: 'x' })).get('ios')!.enableSecretHint)();
    return expect(hint).resolves.toBe("name the enable secret's environment variable in credentials.ios.enableSecretEnv and set it");
  });

  it('`run --live` without a TTY and without the variable: exit 4 naming it, no session created', async () => {
    const inventory = path.resolve('examples/ent-pa.yaml');
    const session = path.join(dir, 'sess', 'live.json');
    const io = captureIo({ env: {} });
    const err = await run.run(['--inventory', inventory, '--live', '--session', session, '--steps', 'S002', '--yes'], io).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).exitCode).toBe(4);
    expect((err as UserError).message).toMatch(/COLLABSEC_\w*PASSWORD|passwordEnv/);
    expect(existsSync(session)).toBe(false);
  });

  it('the masked question returns the typed secret and never echoes it', async () => {
    const input = Object.assign(new PassThrough(), { isTTY: true });
    const output = new PassThrough();
    let shown = '';
    output.on('data', (c: Buffer) => (shown += c.toString()));
    const answer = askSecret({ input, output }, 'vos password for administrator:');
    setTimeout(() => input.write('s3cr3t-typed\n'), 50);
    expect(await answer).toBe('s3cr3t-typed');
    expect(shown).toContain('vos password for administrator');
    expect(shown).not.toContain('s3cr3t-typed');
  });
});
