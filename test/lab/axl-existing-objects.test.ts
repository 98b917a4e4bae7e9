// The AXL steps that change objects a cluster already has (S014 LDAP directories, S015 LDAP
// authentication, S036 SRST references, S123 the auto-registration device pool), planned from the
// example and applied to the simulator seeded as `collabsec lab` seeds it; every request is
// validated against the published XSD of the version. Also the simulator's key models: a
// service parameter is named by processNodeName, name and service; the LDAP authentication by nothing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseInventory } from '../../src/inventory/load.js';
import { seedAxl } from '../../src/lab/axl/index.js';
import { AxlFault, type AxlRecord, type AxlVersion } from '../../src/transport/axl/index.js';
import { applyAxl, readBack } from '../../src/transport/axl-objects.js';
import { action, planOf } from '../golden/harness.js';
import { axlFixture, expectAllValid, type AxlFixture } from '../transport/axl/fixture.js';

const exampleFile = join(import.meta.dirname, '..', '..', 'examples', 'ent-pa.yaml');
const example = parseInventory(readFileSync(exampleFile, 'utf8'), exampleFile).inventory;
const plan = planOf();
const STEPS = ['S014', 'S015', 'S036', 'S123'];
const requests = (id: string) => action(plan, id, 'us-cm-pub')!.axl!;

let f: AxlFixture | undefined;
afterEach(async () => {
  await f?.close();
  f = undefined;
});

async function seeded(version: AxlVersion): Promise<AxlFixture> {
  const fx = await axlFixture({ version });
  seedAxl(fx.sim.state, example, example.cucm[0]!);
  return fx;
}

describe('existing objects through AXL (S014, S015, S036, S123)', () => {
  it.each(['12.5', '14', '15'] as const)('updates each seeded object, reads it back, and a second run writes nothing (%s)', async (version) => {
    f = await seeded(version);
    for (const id of STEPS) {
      const out = await applyAxl(f.client, requests(id));
      expect(out.outcome, `${id}: ${out.lines.join('; ')}`).toBe('ok');
      expect(out.results.map((r) => r.status)).toEqual(requests(id).map(() => 'written'));
      const checks = requests(id).map((r) => ({ object: r.object, name: r.name, key: r.key, expect: r.fields }));
      expect((await readBack(f.client, checks)).ok).toBe(true);
    }
    const writes = f.sim.state.events.length;
    for (const id of STEPS) expect((await applyAxl(f.client, requests(id))).results.map((r) => r.status)).toEqual(requests(id).map(() => 'in-place'));
    expect(f.sim.state.events.length).toBe(writes);
    expectAllValid(f);
  });

  it('keeps each LDAP server as Unified CM has it, changing only its port and TLS', async () => {
    f = await seeded('15');
    f.sim.state.put('LdapDirectory', {
      name: 'US-AD-Users',
      ldapDn: 'cn=sync',
      userSearchBase: 'ou=Users',
      servers: { server: [{ hostName: 'dc-a.ent-pa.com', ldapPortNumber: '389', sslEnabled: 'false' }, { hostName: 'dc-b.ent-pa.com', ldapPortNumber: '389' }] },
    });
    expect((await applyAxl(f.client, requests('S014'))).outcome).toBe('ok');
    expect(f.sim.state.get('LdapDirectory', 'US-AD-Users')).toMatchObject({
      ldapDn: 'cn=sync',
      servers: { server: [{ hostName: 'dc-a.ent-pa.com', ldapPortNumber: '636', sslEnabled: 'true' }, { hostName: 'dc-b.ent-pa.com', ldapPortNumber: '636', sslEnabled: 'true' }] },
    });
    expectAllValid(f);
  });

  it('an SRST reference or device pool the cluster does not have is reported, nothing written', async () => {
    f = await axlFixture({ version: '15' });
    for (const id of ['S036', 'S123']) {
      const out = await applyAxl(f.client, requests(id));
      expect(out.outcome).toBe('failed');
      expect(out.lines[0]).toMatch(/not found on Unified CM; nothing written/);
    }
    expect(f.sim.state.events).toEqual([]);
    expectAllValid(f);
  });

  it('a cluster without LDAP authentication servers has nothing to change (S015)', async () => {
    f = await axlFixture({ version: '15' });
    f.sim.state.put('LdapAuthentication', { authenticateEndUsers: 'false' });
    const out = await applyAxl(f.client, requests('S015'));
    expect(out.results.map((r) => r.status)).toEqual(['in-place']);
    expectAllValid(f);
  });
});

describe('simulator key models', () => {
  it('service parameters are named by processNodeName, name and service; an unknown one is axlcode 5007', async () => {
    f = await axlFixture({ version: '15' });
    const key = { processNodeName: 'EnterpriseWideData', name: 'ClusterSecurityMode', service: 'Enterprise Wide' };
    f.sim.state.put('ServiceParameter', { ...key, value: '0', valueType: 'Integer' });
    await f.client.call('updateServiceParameter', { ...key, value: '1' }, { write: true });
    const got = await f.client.call('getServiceParameter', key);
    expect((got.return as AxlRecord).serviceParameter).toMatchObject({ ...key, value: '1' });
    expect(f.sim.state.get('ServiceParameter', 'EnterpriseWideData / ClusterSecurityMode / Enterprise Wide')?.value).toBe('1');
    const e = await f.client.call('getServiceParameter', { ...key, service: 'Cisco CallManager' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AxlFault);
    expect((e as AxlFault).code).toBe(5007);
    expectAllValid(f);
  });

  it('the LDAP authentication is read with an empty getLdapAuthentication', async () => {
    f = await axlFixture({ version: '14' });
    f.sim.state.put('LdapAuthentication', { authenticateEndUsers: 'true', userSearchBase: 'ou=Users' });
    const got = await f.client.call('getLdapAuthentication', {});
    expect((got.return as AxlRecord).ldapAuthentication).toMatchObject({ authenticateEndUsers: 'true', userSearchBase: 'ou=Users' });
    expectAllValid(f);
  });

  it('put refuses an object without its key fields', async () => {
    f = await axlFixture({ version: '15' });
    expect(() => f!.sim.state.put('ServiceParameter', { name: 'X', value: '1' })).toThrow(/processNodeName/);
    expect(() => f!.sim.state.put('Srst', { isSecure: 'true' })).toThrow(/name/);
  });
});
