// Inventory → expected CN/SANs per role, on the chapter's example inventory (values from the
// outline: us-cuc-ms.ent-pa.com, cms.ent-pa.com with every CMS node, Table 7-16 SANs).
import { beforeAll, describe, expect, it } from 'vitest';
import type { Inventory } from '../../src/inventory/schema.js';
import { ExpectationError, expectationFor, multiServerCn, opensslRequestArgs } from '../../src/verify/cert/expectations.js';
import { RoleTableError, loadRoleTable, parseRoleTable, type Role } from '../../src/verify/cert/roles.js';
import { US_CM, US_IMP, exampleInventory, fq } from './fixture.js';

let roles: Role[];
let inv: Inventory;
const role = (id: string) => roles.find((r) => r.id === id)!;
const names = (id: string, node?: string, i: Inventory = inv) => expectationFor(i, role(id), node).sans.map((s) => s.name);

beforeAll(async () => {
  roles = await loadRoleTable();
  inv = exampleInventory();
});

describe('role table (steps/certificates.yaml)', () => {
  it('holds every role of the chapter, each mappable on the example inventory', () => {
    expect(roles.map((r) => r.id).sort()).toEqual(
      ['cms/dbclient', 'cms/shared', 'cmm/server', 'cuc/tomcat', 'cucm/callmanager', 'cucm/capf', 'cucm/tomcat', 'expressway-c/server', 'expressway-e/server', 'imp/cup-xmpp', 'imp/cup-xmpp-s2s', 'ios/router', 'pcd/tomcat', 'pcp/server', 'tms/server'].sort(),
    );
    for (const r of roles) expect(() => expectationFor(inv, r, r.id === 'ios/router' ? 'US-CUBE1' : undefined), r.id).not.toThrow();
    expect(role('expressway-e/server').caType).toBe('public');
    expect(role('cms/shared').wildcard).toBe('discouraged');
    expect(roles.filter((r) => r.wildcard === 'discouraged').map((r) => r.id)).toEqual(['cms/shared', 'cms/dbclient']);
  });

  it('rejects a malformed table with the path of each problem', () => {
    const bad = { roles: [{ ...role('cucm/tomcat'), keyUsage: { required: ['digitalSignatur'], source: 'x' } }, { ...role('cms/shared'), wildcard: 'yes' }] };
    expect(() => parseRoleTable(bad, 'certs.yaml')).toThrow(RoleTableError);
    expect(() => parseRoleTable(bad, 'certs.yaml')).toThrow(/certs\.yaml is not a valid certificate role table:\n {2}roles\.0\.keyUsage\.required\.0: .*\n {2}roles\.1\.wildcard: /);
    expect(() => parseRoleTable({ roles: [role('cucm/tomcat'), role('cucm/tomcat')] }, 'certs.yaml')).toThrow(/roles\.1\.id: duplicate role id cucm\/tomcat/);
  });
});

describe('expectationFor', () => {
  it('multi-server CN puts -ms after the host part (L847)', () => {
    expect(multiServerCn({ host: 'us-cuc' }, 'ent-pa.com')).toBe('us-cuc-ms.ent-pa.com');
    expect(multiServerCn({ host: 'x', fqdn: 'emea-cm-pub.emea.ent-pa.com' }, 'ent-pa.com')).toBe('emea-cm-pub-ms.emea.ent-pa.com');
  });

  it('Unified CM tomcat covers every Unified CM and IM and Presence node; CallManager only Unified CM', () => {
    expect(expectationFor(inv, role('cucm/tomcat')).cn).toBe('us-cm-pub-ms.ent-pa.com');
    expect(names('cucm/tomcat')).toEqual([...US_CM, ...US_IMP]);
    expect(names('cucm/callmanager')).toEqual(US_CM);
    expect(expectationFor(inv, role('imp/cup-xmpp')).cn).toBe('us-imp-pub-ms.ent-pa.com');
    expect(names('imp/cup-xmpp-s2s')).toEqual(US_IMP);
  });

  it('Unity Connection: us-cuc-ms.ent-pa.com with both nodes', () => {
    expect(expectationFor(inv, role('cuc/tomcat'))).toMatchObject({ cn: 'us-cuc-ms.ent-pa.com' });
    expect(names('cuc/tomcat')).toEqual([fq('us-cuc'), fq('us-cuc2')]);
  });

  it('Expressway-C: node, cluster name, FQDN PSP names (not Jabber), chat aliases (Table 7-16)', () => {
    const e = expectationFor(inv, role('expressway-c/server'), 'us-expc1');
    expect(e.cnOneOf).toEqual([fq('us-expc1'), 'us-expc.ent-pa.com']);
    expect(e.sans.map((s) => s.name)).toEqual([
      fq('us-expc1'),
      'us-expc.ent-pa.com',
      'UDT-Encrypted-LSC-TFTPenc.ent-pa.com',
      'UDT-Encrypted-LSC.ent-pa.com',
      'UDT-Encrypted-NullString.ent-pa.com',
      'conference-2-us-imp-pub.ent-pa.com',
    ]);
  });

  it('Expressway-E: registration domains for MRA, federation domains and chat aliases for XMPP', () => {
    expect(names('expressway-e/server')).toEqual(['ent-pa.com', 'conference-2-us-imp-pub.ent-pa.com']);
    const noMra: Inventory = { ...inv, features: { ...inv.features, mra: false, xmppFederation: false } };
    expect(names('expressway-e/server', undefined, noMra)).toEqual([]);
    expect(names('expressway-c/server', undefined, noMra)).toEqual(['us-expc.ent-pa.com']);
    const none: Inventory = { ...noMra, features: { ...noMra.features, b2b: false } };
    expect(names('expressway-c/server', undefined, none)).toEqual([]);
  });

  it('CMS shared: XMPP domain as CN and SAN with every node (S080); database client is postgres (S081)', () => {
    expect(expectationFor(inv, role('cms/shared')).cn).toBe('cms.ent-pa.com');
    expect(names('cms/shared')).toEqual(['us-acano1', 'us-acano2', 'us-cmsdb', 'us-cmscb'].map(fq).concat('cms.ent-pa.com'));
    expect(expectationFor(inv, role('cms/dbclient'))).toEqual({ scope: 'Meeting Server database client', cn: 'postgres', sans: [] });
  });

  it('IOS routers and other per-node roles need --node when ambiguous', () => {
    expect(() => expectationFor(inv, role('ios/router'))).toThrow(ExpectationError);
    expect(() => expectationFor(inv, role('ios/router'))).toThrow(/the inventory has 2 IOS routers; choose one with --node \(US-CUBE1, US-SRST1\)/);
    expect(expectationFor(inv, role('ios/router'), 'us-cube1').cn).toBe('US-CUBE1.ent-pa.com');
    expect(expectationFor(inv, role('cucm/capf'), 'us-cm-pub').cn).toBe(fq('us-cm-pub'));
    expect(expectationFor(inv, role('cucm/capf')).cnOneOf).toEqual(US_CM);
  });

  it('a missing inventory section is named', () => {
    const noUnity: Inventory = { ...inv, unity: undefined };
    expect(() => expectationFor(noUnity, role('cuc/tomcat'))).toThrow('the inventory has no unity section; add it or choose another --for role');
  });

  it('TMS, CMM: CN is the FQDN; the FQDN in SAN is recommended', () => {
    expect(expectationFor(inv, role('tms/server'))).toMatchObject({ cn: fq('us-tms1'), sans: [], recommendedSans: [{ name: fq('us-tms1') }] });
    const withCdr: Inventory = { ...inv, cmm: { host: 'us-cmm', cdrReceiverAddress: 'cdr.ent-pa.com' } };
    expect(names('cmm/server', undefined, withCdr)).toEqual(['cdr.ent-pa.com']);
  });

  it('gives a local openssl req the CN and SANs the checkpoint will expect', () => {
    const withCdr: Inventory = { ...inv, cmm: { host: 'us-cmm', cdrReceiverAddress: 'cdr.ent-pa.com' } };
    expect(opensslRequestArgs(expectationFor(withCdr, role('cmm/server')))).toEqual({
      subject: '/CN=us-cmm.ent-pa.com',
      extraArgs: ['-addext', 'subjectAltName=DNS:us-cmm.ent-pa.com,DNS:cdr.ent-pa.com'],
    });
    expect(opensslRequestArgs(expectationFor(inv, role('tms/server'))).subject).toBe('/CN=us-tms1.ent-pa.com');
  });
});
