// Review-2026 C.1: `collabsec cert check --for expressway-e/server` follows the inventory's
// Expressway release (steps/certificates.yaml releaseOf/releases). A public certificate with TLS
// Web Server Authentication only — what public CAs issue from May 2026 (Cisco FN74362) — fails on
// X14/X15 (Table 7-17 wants client authentication too; a warning says why it matters now) and
// passes on X15.4 and X15.5 with a note naming the switch or the client certificate store (Cisco
// tech note 225693). Real certificates from the test PKI, each node's names from the inventory.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import command from '../../src/commands/cert-check.js';
import { parseInventory } from '../../src/inventory/load.js';
import { expectationFor } from '../../src/verify/cert/expectations.js';
import { findRole, loadRoleTable, roleForRelease, type Role } from '../../src/verify/cert/roles.js';
import { makeFixture, type Fixture } from './fixture.js';
import { captureIo } from './io.js';
import { EKU, leaf, pem, put, tempDir } from './pki.js';

let f: Fixture;
let dir: string;
let role: Role;
const invs: Record<string, string> = {};
const RELEASES = ['X14', 'X15', 'X15.4', 'X15.5'] as const;

beforeAll(async () => {
  f = await makeFixture();
  dir = await tempDir();
  role = findRole(await loadRoleTable(), 'expressway-e/server')!;
  const text = readFileSync(new URL('../../examples/ent-pa.yaml', import.meta.url), 'utf8');
  for (const v of RELEASES) {
    const doc = parseDocument(text);
    doc.setIn(['ca', 'enterprise', 'rootCertFile'], 'root.pem');
    doc.setIn(['ca', 'public', 'rootCertFile'], 'public-root.pem');
    doc.setIn(['ca', 'b2bPartnerRootFiles'], []);
    doc.setIn(['expressway', 'version'], v);
    invs[v] = await put(dir, `inv-${v}.yaml`, doc.toString());
  }
  await put(dir, 'root.pem', pem(f.entRoot.cert));
  await put(dir, 'public-root.pem', pem(f.pubRoot.cert));
  await put(dir, 'chain.pem', pem(f.pubCa.cert));
  // us-expe1's names as the inventory wants them (Table 7-16), from the public issuing CA.
  const inv = parseInventory(readFileSync(invs.X15!, 'utf8'), invs.X15!).inventory;
  const want = expectationFor(inv, role, 'us-expe1');
  const names = { cn: want.cnOneOf![0]!, sans: want.sans.map((s) => s.name), keys: f.leafKeys };
  await put(dir, 'expe-server-only.pem', pem(await leaf(f.pubCa, { ...names, eku: [EKU.server] })));
  await put(dir, 'expe-both.pem', pem(await leaf(f.pubCa, { ...names, eku: [EKU.server, EKU.client] })));
});

async function check(version: string, file: string) {
  const io = captureIo();
  const code = await command.run(['check', '-i', invs[version]!, '--for', 'expressway-e/server', '--node', 'us-expe1', '--chain', join(dir, 'chain.pem'), '--json', join(dir, file)], io);
  const j = JSON.parse(io.out()) as { verdicts: { check: string; status: string; message: string }[] };
  return { code, eku: j.verdicts.find((v) => v.check === 'extended-key-usage')!, release: j.verdicts.filter((v) => v.check === 'release'), failed: j.verdicts.filter((v) => v.status === 'fail') };
}

describe('expressway-e/server EKU by Expressway release (C.1)', () => {
  it.each(['X14', 'X15'])('%s: a server-only certificate fails on client authentication, with the 2026 warning', async (v) => {
    const r = await check(v, 'expe-server-only.pem');
    expect(r.code).toBe(1);
    expect(r.eku).toMatchObject({ status: 'fail', message: expect.stringContaining('TLS Web Client Authentication') });
    expect(r.eku.message).toContain('Table 7-17');
    expect(r.failed.map((x) => x.check)).toEqual(['extended-key-usage']);
    expect(r.release).toEqual([{ check: 'release', status: 'warning', message: expect.stringMatching(new RegExp(`^expressway-e/server on ${v}: public CAs stop issuing TLS Web Client Authentication from May 2026 .*FN74362.*X15\\.4 accepts a server-only certificate for MRA, X15\\.5`)) }]);
  });

  it.each(['X14', 'X15'])('%s: a certificate with both usages passes, still warned', async (v) => {
    const r = await check(v, 'expe-both.pem');
    expect(r.code).toBe(0);
    expect(r.eku.status).toBe('pass');
    expect(r.release).toHaveLength(1);
  });

  it('X15.4: a server-only certificate passes, with a note naming EnableServerEkuUpload', async () => {
    const r = await check('X15.4', 'expe-server-only.pem');
    expect(r.failed).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.eku).toMatchObject({ status: 'pass', message: expect.stringContaining('FN74362') });
    expect(r.release).toEqual([{ check: 'release', status: 'warning', message: expect.stringContaining('xConfiguration XCP TLS Certificate CVS EnableServerEkuUpload: On') }]);
    // Tech note 225482: X15.4 changed MRA only; B2B, federation and mutual-TLS neighbour zones still present it as client.
    expect(r.release[0]!.message).toMatch(/X15\.4 changed MRA only: B2B calls,\s+federation and neighbour zones with mutual TLS still present this certificate/);
  });

  it('X15.5: a server-only certificate passes, with a note naming the client certificate store', async () => {
    const r = await check('X15.5', 'expe-server-only.pem');
    expect(r.code).toBe(0);
    expect(r.eku.status).toBe('pass');
    expect(r.release[0]!.message).toMatch(/^expressway-e\/server on X15\.5: .*separate client certificate \(Maintenance > Security > Client certificate\)/);
  });

  it('X15.4: a certificate that still has client authentication passes (an extra usage is only a warning)', async () => {
    const r = await check('X15.4', 'expe-both.pem');
    expect(r.code).toBe(0);
    expect(r.eku.status).toBe('warning');
  });

  it('roleForRelease picks the last rule at or below the release; without one, the base rule and its warning', () => {
    expect(roleForRelease(role, 'X12.5').role.extendedKeyUsage!.required).toEqual(['serverAuth', 'clientAuth']);
    expect(roleForRelease(role, 'X15').role.extendedKeyUsage!.required).toEqual(['serverAuth', 'clientAuth']);
    expect(roleForRelease(role, 'X15.4').role.extendedKeyUsage!.source).toMatch(/X15\.4 EnableServerEkuUpload/);
    expect(roleForRelease(role, 'X15.5').role.extendedKeyUsage!.source).toMatch(/X15\.5 server and client certificate stores/);
    const none = roleForRelease(role, undefined);
    expect(none.role.extendedKeyUsage!.required).toEqual(['serverAuth', 'clientAuth']);
    expect(none.notes[1]).toBe('expressway-e/server: without an inventory the rule before X15.4 applies; give --inventory to check against its expressway release');
    // Roles without per-release rules are unchanged.
    const exc = { ...role, id: 'x/y', releaseOf: undefined, extendedKeyUsage: { required: ['serverAuth' as const], source: 's' } };
    expect(roleForRelease(exc, 'X15.4')).toEqual({ role: exc, notes: [] });
  });
});
