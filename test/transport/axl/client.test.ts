// The client against the lab simulator over real HTTPS on 127.0.0.1; every request validated
// against the published XSD of its version (fixture.ts).
import { statSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  asList,
  AxlAuthFailed,
  AxlFault,
  AxlForbidden,
  AxlInDoubt,
  AxlPayloadError,
  AxlThrottled,
  AxlVersionMismatch,
  type AxlRecord,
} from '../../../src/transport/axl/index.js';
import { TlsPinChanged, TlsPinRejected } from '../../../src/transport/tls-pins.js';
import { axlFixture, expectAllValid, PASSWORD, phoneSecurityProfile, USER, type AxlFixture } from './fixture.js';

let f: AxlFixture | undefined;
afterEach(async () => {
  await f?.close();
  f = undefined;
});

async function reject(p: Promise<unknown>): Promise<Error> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: Error) => e,
  );
}

describe('AXL client ↔ lab simulator', () => {
  it.each(['12.5', '14', '15'] as const)('adds, reads back and updates a phone security profile (%s)', async (version) => {
    f = await axlFixture({ version });
    const add = await f.client.call('addPhoneSecurityProfile', { phoneSecurityProfile: phoneSecurityProfile('Universal Device Template - Encrypted') });
    expect(add.return).toMatch(/^\{[0-9A-F-]{36}\}$/);
    const got = await f.client.call('getPhoneSecurityProfile', { name: 'Universal Device Template - Encrypted' });
    const p = got.return as AxlRecord;
    const psp = p.phoneSecurityProfile as AxlRecord;
    expect(psp['@uuid']).toBe(add.return);
    expect(psp).toMatchObject({ name: 'Universal Device Template - Encrypted', deviceSecurityMode: 'Encrypted', keySize: '2048', keyOrder: 'RSA Only', tftpEncryptedConfig: 'true', EnableOAuthAuthentication: 'true', transportType: 'TLS' });
    await f.client.call('updatePhoneSecurityProfile', { name: 'Universal Device Template - Encrypted', description: 'updated', tftpEncryptedConfig: false });
    expect(f.sim.state.get('PhoneSecurityProfile', 'Universal Device Template - Encrypted')).toMatchObject({ description: 'updated', tftpEncryptedConfig: 'false' });
    const list = await f.client.call('listPhoneSecurityProfile', { searchCriteria: { name: '%Encrypted' }, returnedTags: { name: '', description: '' } });
    expect(asList((list.return as AxlRecord).phoneSecurityProfile)).toEqual([{ '@uuid': add.return, name: 'Universal Device Template - Encrypted', description: 'updated' }]);
    expect(f.sim.requests.map((r) => [r.operation, r.version, r.soapAction])).toContainEqual(['addPhoneSecurityProfile', version, `"CUCM:DB ver=${version === '12.5' ? '12.5' : `${version}.0`} addPhoneSecurityProfile"`]);
    expectAllValid(f);
  });

  it('round-trips <, & and ]]> in a description without changing the document', async () => {
    f = await axlFixture();
    const description = 'a <b> & c ]]> d </description><name>evil</name> "\' end';
    await f.client.call('addPhoneSecurityProfile', { phoneSecurityProfile: phoneSecurityProfile('Escaped', description) });
    expect(f.sim.state.get('PhoneSecurityProfile', 'Escaped')?.description).toBe(description);
    expect(f.sim.state.get('PhoneSecurityProfile', 'evil')).toBeUndefined();
    const got = await f.client.call('getPhoneSecurityProfile', { name: 'Escaped', returnedTags: { name: '', description: '' } });
    expect(((got.return as AxlRecord).phoneSecurityProfile as AxlRecord).description).toBe(description);
    expect(f.sim.requests[0]!.body).not.toContain(']]>');
    expectAllValid(f);
  });

  it('refuses control characters, naming the field, before anything is sent', async () => {
    f = await axlFixture();
    for (const bad of ['a\u0007b', 'line\nbreak', 'tab\there', 'c1\u0085', 'ls\u2028']) {
      const e = await reject(f.client.call('addPhoneSecurityProfile', { phoneSecurityProfile: phoneSecurityProfile('X', bad) }));
      expect(e).toBeInstanceOf(AxlPayloadError);
      expect(e.message).toMatch(/^AXL field phoneSecurityProfile\.description: contains the control character U\+/);
    }
    await expect(f.client.call('getPhone', { 'bad name': 'x' })).rejects.toThrow(/not a valid AXL element name/);
    expect(f.sim.requests).toEqual([]);
  });

  it('answers a duplicate with -239 and an unknown name with 5007, as one line naming operation and object', async () => {
    f = await axlFixture();
    await f.client.call('addPhoneSecurityProfile', { phoneSecurityProfile: phoneSecurityProfile('Dup') });
    const dup = await reject(f.client.call('addPhoneSecurityProfile', { phoneSecurityProfile: phoneSecurityProfile('Dup') }));
    expect(dup).toBeInstanceOf(AxlFault);
    expect((dup as AxlFault).code).toBe(-239);
    expect(dup.message).toBe('cucm-pub: AXL addPhoneSecurityProfile: "Dup": AXL error -239: Could not insert new row - duplicate value in a UNIQUE INDEX column (Unique Index:).');
    const missing = await reject(f.client.call('getPhoneSecurityProfile', { name: 'Nope' }));
    expect((missing as AxlFault).code).toBe(5007);
    expect(missing.message).toBe('cucm-pub: AXL getPhoneSecurityProfile: "Nope": AXL error 5007: Item not valid: The specified Phone Security Profile was not found');
    expectAllValid(f);
  });

  it('401: names the AXL user, never the password', async () => {
    f = await axlFixture();
    const bad = f.newClient({ password: 'wrong' });
    const e = await reject(bad.call('getPhoneSecurityProfile', { name: 'x' }));
    expect(e).toBeInstanceOf(AxlAuthFailed);
    expect(e.message).toBe(`cucm-pub: AXL getPhoneSecurityProfile: the AXL user "${USER}" was refused (HTTP 401: bad user name or password)`);
    expect(`${e.message} ${(e as AxlAuthFailed).tryMessage} ${e.stack}`).not.toContain(PASSWORD);
  });

  it('403: says the "Standard AXL API Access" role is missing', async () => {
    f = await axlFixture();
    f.sim.fault('no-axl-role');
    const e = await reject(f.client.call('getPhoneSecurityProfile', { name: 'x' }));
    expect(e).toBeInstanceOf(AxlForbidden);
    expect((e as AxlForbidden).tryMessage).toMatch(/Standard AXL API Access/);
  });

  it('a version the server does not speak: names the inventory version and what the server says', async () => {
    f = await axlFixture({ version: '15', cucmVersion: '14' });
    const e = await reject(f.client.call('getPhoneSecurityProfile', { name: 'x' }));
    expect(e).toBeInstanceOf(AxlVersionMismatch);
    expect(e.message).toBe('cucm-pub: AXL getPhoneSecurityProfile: the server does not accept AXL 15.0 (the inventory says Unified CM 15): Incorrect axl version. Supported axl versions are 12.5, 14.0');
    expect(f.sim.requests.length).toBe(1);
  });

  it('503: backs off and succeeds within the budget', async () => {
    f = await axlFixture({ client: { throttleBudgetMs: 30_000, backoffMs: 10 } });
    f.sim.throttle(3);
    await f.client.call('addPhoneSecurityProfile', { phoneSecurityProfile: phoneSecurityProfile('Throttled') });
    expect(f.sim.requests.map((r) => r.status)).toEqual([503, 503, 503, 200]);
    expect(f.sim.state.get('PhoneSecurityProfile', 'Throttled')).toBeDefined();
    expectAllValid(f);
  });

  it('503 beyond the budget: an error saying nothing was written', async () => {
    f = await axlFixture({ client: { throttleBudgetMs: 200, backoffMs: 50 } });
    f.sim.throttle(1_000);
    const e = await reject(f.client.call('addPhoneSecurityProfile', { phoneSecurityProfile: phoneSecurityProfile('Never') }));
    expect(e).toBeInstanceOf(AxlThrottled);
    expect(e.message).toMatch(/^cucm-pub: AXL addPhoneSecurityProfile: "Never": still throttled \(HTTP 503\) after \d+ attempts .*nothing was written$/);
    expect(f.sim.state.get('PhoneSecurityProfile', 'Never')).toBeUndefined();
  });

  it('a write that gets no answer is in doubt, not retried; the read-back finds it', async () => {
    f = await axlFixture({ client: { timeoutMs: 5_000 } });
    f.sim.hang({ apply: true });
    const e = await reject(f.client.call('addPhoneSecurityProfile', { phoneSecurityProfile: phoneSecurityProfile('Doubt') }));
    expect(e).toBeInstanceOf(AxlInDoubt);
    expect(e.message).toMatch(/^cucm-pub: AXL addPhoneSecurityProfile: "Doubt": no answer within \d+ s after the request was sent: the write is in doubt$/);
    expect(f.sim.requests.filter((r) => r.operation === 'addPhoneSecurityProfile')).toHaveLength(1);
    const back = await f.client.call('getPhoneSecurityProfile', { name: 'Doubt' });
    expect(((back.return as AxlRecord).phoneSecurityProfile as AxlRecord).name).toBe('Doubt');
    expectAllValid(f);
  });

  it('a read that gets no answer is retried once', async () => {
    f = await axlFixture({ client: { timeoutMs: 5_000 } });
    await f.client.call('addPhoneSecurityProfile', { phoneSecurityProfile: phoneSecurityProfile('Read') });
    f.sim.hang();
    const got = await f.client.call('getPhoneSecurityProfile', { name: 'Read' });
    expect(((got.return as AxlRecord).phoneSecurityProfile as AxlRecord).name).toBe('Read');
    expect(f.sim.requests.filter((r) => r.operation === 'getPhoneSecurityProfile')).toHaveLength(2);
  });

  it('sends writes one at a time', async () => {
    f = await axlFixture();
    const names = ['W1', 'W2', 'W3', 'W4'];
    await Promise.all(names.map((n) => f!.client.call('addPhoneSecurityProfile', { phoneSecurityProfile: phoneSecurityProfile(n) })));
    expect(f.sim.state.events.map((e) => e.name)).toEqual(names);
    expectAllValid(f);
  });
});

describe('TLS pinning', () => {
  it('first use: asks with the fingerprint and subject, stores the pin 0600', async () => {
    f = await axlFixture();
    await f.client.call('listPhoneSecurityProfile', { searchCriteria: { name: '%' }, returnedTags: { name: '' } });
    expect(f.confirm).toHaveBeenCalledTimes(1);
    expect(f.confirm.mock.calls[0]![0]).toBe(f.sim.pin);
    expect(f.confirm.mock.calls[0]![1]).toMatch(/CN=127\.0\.0\.1/);
    expect(readFileSync(f.pinFile, 'utf8')).toBe(`127.0.0.1:${f.sim.port} ${f.sim.pin}\n`);
    expect(statSync(f.pinFile).mode & 0o777).toBe(0o600);
    // A second client on the same pin file trusts it without asking.
    await f.newClient().call('getPhoneSecurityProfile', { name: 'x' }).catch(() => undefined);
    expect(f.confirm).toHaveBeenCalledTimes(1);
  });

  it('a declined certificate sends nothing', async () => {
    f = await axlFixture();
    f.confirm.mockResolvedValue(false);
    const e = await reject(f.client.call('getPhoneSecurityProfile', { name: 'x' }));
    expect(e).toBeInstanceOf(TlsPinRejected);
    expect(f.sim.requests).toEqual([]);
  });

  it('a changed certificate stops the run showing both fingerprints, sending nothing', async () => {
    f = await axlFixture();
    await f.client.call('addPhoneSecurityProfile', { phoneSecurityProfile: phoneSecurityProfile('Before') });
    const old = f.sim.pin;
    const fresh = await f.sim.rotateCertificate();
    const sent = f.sim.requests.length;
    const e = await reject(f.client.call('getPhoneSecurityProfile', { name: 'Before' }));
    expect(e).toBeInstanceOf(TlsPinChanged);
    expect(e.message).toBe(`cucm-pub: the TLS certificate of 127.0.0.1:${f.sim.port} changed: presented ${fresh}, pinned ${old}`);
    expect(f.sim.requests.length).toBe(sent);
    expect(f.confirm).toHaveBeenCalledTimes(1);
  });
});
