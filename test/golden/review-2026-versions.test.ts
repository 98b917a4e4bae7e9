// Review 2026 A.9 and C.1, pinned per release: the lines that differ between releases.
// A.9: on VOS 14SU2+ `set csr gen` asks `Include OU in CSR (yes|no)?` (cli-facts §1.3); S107
// declares it from pcd.version >= 14SU2, answered from csr.includeOU (default no); 12.5 and 14
// render exactly as before. C.1: the Expressway-E server certificate without client
// authentication (Cisco FN74362, tech notes 225482/225693): X15.4 sends EnableServerEkuUpload
// before the upload, X15.5 names the client certificate store, X14–X15.3 warn, X12.5 unchanged.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/catalogue/root.js';
import { parseInventory } from '../../src/inventory/load.js';
import { buildTopology } from '../../src/inventory/topology.js';
import { buildPlan } from '../../src/plan/build.js';
import type { Plan } from '../../src/plan/types.js';
import { action, catalogue, lines, planOf, step } from './harness.js';

function example(name: string): Plan {
  const file = join(packageRoot(), 'examples', name);
  const loaded = parseInventory(readFileSync(file, 'utf8'), file);
  return buildPlan(buildTopology(loaded), catalogue, { inventoryHash: loaded.hash });
}

type Inv = { pcd: { version?: string }; csr?: { includeOU: boolean }; expressway: { version: string; adminSsh?: boolean } };
const dialogue = (p: Plan) => action(p, 'S107', 'us-pcd')!.exchanges.map((e) => ({ line: e.line, dialogue: e.dialogue }));
const OU = 'Include OU in CSR (yes|no)?';

describe('A.9 S107 set csr gen by PCD release', () => {
  it('chapter-2019 (PCD 12.5): one line, nothing asked, as before', () => {
    expect(dialogue(example('chapter-2019.yaml'))).toEqual([{ line: 'set csr gen tomcat', dialogue: [] }]);
  });
  it('ent-pa (PCD 15): the OU question, answered no (csr.includeOU false, the VOS default)', () => {
    expect(dialogue(example('ent-pa.yaml'))).toEqual([{ line: 'set csr gen tomcat', dialogue: [{ expect: OU, answer: 'no' }] }]);
  });
  it('csr.includeOU: true answers yes', () => {
    expect(dialogue(planOf<Inv>((i) => (i.csr = { includeOU: true })))).toEqual([{ line: 'set csr gen tomcat', dialogue: [{ expect: OU, answer: 'yes' }] }]);
  });
  it.each([
    ['12.5', false],
    ['14', false],
    ['14SU2', true],
    ['15', true],
  ])('pcd.version %s: asked %s', (v, asked) => {
    const p = planOf<Inv>((i) => (i.pcd.version = v));
    expect(lines(p, 'S107', 'us-pcd')).toEqual(['set csr gen tomcat']);
    expect(dialogue(p)[0]!.dialogue).toEqual(asked ? [{ expect: OU, answer: 'no' }] : []);
  });
  it('pcd.version defaults to 15 (the other VOS releases\' default)', () => {
    expect(dialogue(planOf<Inv>((i) => delete i.pcd.version))[0]!.dialogue).toEqual([{ expect: OU, answer: 'no' }]);
  });
  it('the GUI CSR steps (S004, S038) show "Include OU in CSR" only on 14SU2+ with csr.includeOU true (unchecked is the default)', () => {
    const field = (p: Plan, id: string) => (step(p, id)!.gui?.fields ?? []).concat(...step(p, id)!.actions.map((a) => a.gui?.fields ?? [])).filter((f) => f.field === 'Include OU in CSR');
    const yes = (v: string) =>
      planOf<Inv & { cucm: { version: string }[]; unity: { version: string } }>((i) => {
        i.csr = { includeOU: true };
        i.cucm[0]!.version = v;
        i.unity.version = v;
      });
    for (const id of ['S004', 'S038']) {
      expect(field(example('ent-pa.yaml'), id), id).toEqual([]);
      expect(field(yes('14'), id), id).toEqual([]);
      expect(field(yes('14SU2'), id)[0], id).toEqual({ field: 'Include OU in CSR', value: 'Checked (inventory csr.includeOU)' });
    }
  });
  it('an unknown release is refused with the list', () => {
    expect(() => planOf<Inv>((i) => (i.pcd.version = '14SU1'))).toThrow(/unknown Prime Collaboration Deployment release "14SU1": collabsec knows 12\.5, 14, 14SU2, 15/);
  });
});

const SWITCH = 'xConfiguration XCP TLS Certificate CVS EnableServerEkuUpload: On';
const rows = (p: Plan, node: string) => (action(p, 'S052', node)?.gui ?? step(p, 'S052')!.gui!).fields.map((f) => f.field);
const rowValue = (p: Plan, node: string, field: string) => (action(p, 'S052', node)?.gui ?? step(p, 'S052')!.gui!).fields.find((f) => f.field === field)?.value;

describe('C.1 S052 Expressway-E server certificate by Expressway release', () => {
  it('chapter-2019 (X12.5): no new line or row, as before', () => {
    const p = example('chapter-2019.yaml');
    for (const n of ['us-expc1', 'us-expe1']) {
      expect(lines(p, 'S052', n)).toEqual([]);
      expect(rows(p, n)).toEqual(['Select the server certificate file']);
    }
  });
  it.each(['X14', 'X15'])('%s: the Expressway-E warns about client authentication; nothing is sent', (v) => {
    const p = planOf<Inv>((i) => (i.expressway.version = v));
    expect(lines(p, 'S052', 'us-expe1')).toEqual([]);
    expect(rows(p, 'us-expe1')).toEqual(['Select the server certificate file', `Client Authentication EKU (${v})`]);
    expect(rowValue(p, 'us-expe1', `Client Authentication EKU (${v})`)).toBe(
      'This release needs TLS Web Client Authentication on the Expressway-E certificate (Table 7-17), and public CAs stop issuing it from May 2026 (Cisco FN74362): renew while the CA still issues it, or upgrade to X15.4 or later.',
    );
    expect(rows(p, 'us-expc1')).toEqual(['Select the server certificate file']);
  });
  it('X15.4: each Expressway-E gets the switch over the admin SSH before the upload; the Expressway-C nothing', () => {
    const p = planOf<Inv>((i) => (i.expressway.version = 'X15.4'));
    for (const n of ['us-expe1', 'us-expe2']) {
      expect(lines(p, 'S052', n)).toEqual([SWITCH]);
      expect(action(p, 'S052', n)!.platform).toBe('xapi');
      expect(rows(p, n)).toEqual(['Select the server certificate file', 'Server-only certificate (X15.4)']);
    }
    expect(rowValue(p, 'us-expe1', 'Server-only certificate (X15.4)')).toContain(`on the admin CLI (SSH) of us-expe1: ${SWITCH}`);
    expect(lines(p, 'S052', 'us-expc1')).toEqual([]);
    expect(rows(p, 'us-expc1')).toEqual(['Select the server certificate file']);
  });
  it('X15.4 without expressway.adminSsh: the line is only in the GUI row, for the operator to type', () => {
    const p = planOf<Inv>((i) => {
      i.expressway.version = 'X15.4';
      i.expressway.adminSsh = false;
    });
    expect(lines(p, 'S052', 'us-expe1')).toEqual([]);
    expect(rowValue(p, 'us-expe1', 'Server-only certificate (X15.4)')).toContain(SWITCH);
  });
  it('X15.5: no switch (deprecated); the client certificate store is named', () => {
    const p = planOf<Inv>((i) => (i.expressway.version = 'X15.5'));
    expect(lines(p, 'S052', 'us-expe1')).toEqual([]);
    expect(rows(p, 'us-expe1')).toEqual(['Select the server certificate file', 'Client certificate (X15.5)']);
    expect(rowValue(p, 'us-expe1', 'Client certificate (X15.5)')).toBe(
      'A public certificate with TLS Web Server Authentication only goes in the server certificate store; where the Expressway-E is the TLS client (B2B calls, federation, neighbour zones with mutual TLS) it presents the certificate of the separate client certificate store (Maintenance > Security > Client certificate), which takes a certificate with TLS Web Client Authentication, or a copy of this one (Upload server certificate file as client certificate) for peers that do not check client authentication (Cisco tech note 225693; EnableServerEkuUpload is deprecated on X15.5).',
    );
  });
});

describe('C.1 S051 what the CA must put in the Expressway certificates, by release', () => {
  const eku = (p: Plan) => step(p, 'S051')!.instructions.filter((i) => i.includes('Key Usage'));
  it('chapter-2019 (X12.5): Table 7-17 as the chapter says, nothing more', () => {
    expect(eku(example('chapter-2019.yaml'))).toEqual([
      'Required in each issued certificate: Key Usage Digital Signature, Key Encipherment; Extended Key Usage TLS Web Server Authentication, TLS Web Client Authentication (Table 7-17).',
    ]);
  });
  it.each(['X14', 'X15'])('%s: Table 7-17, and the May 2026 stop of client authentication at public CAs', (v) => {
    expect(eku(planOf<Inv>((i) => (i.expressway.version = v)))).toEqual([
      'Required in each issued certificate: Key Usage Digital Signature, Key Encipherment; Extended Key Usage TLS Web Server Authentication, TLS Web Client Authentication (Table 7-17). Public CAs stop issuing TLS Web Client Authentication from May 2026 (Cisco FN74362): have the Expressway-E certificate issued while the CA still includes it, or upgrade to X15.4 or later first.',
    ]);
  });
  it('X15.4: the Expressway-E needs server authentication only, once S052 set EnableServerEkuUpload', () => {
    expect(eku(planOf<Inv>((i) => (i.expressway.version = 'X15.4')))).toEqual([
      'Required: Key Usage Digital Signature, Key Encipherment. Expressway-C: Extended Key Usage TLS Web Server Authentication and TLS Web Client Authentication (Table 7-17; the enterprise CA issues both). Expressway-E (X15.4): TLS Web Server Authentication is enough once S052 has set EnableServerEkuUpload On; a public CA no longer issues TLS Web Client Authentication from May 2026 (Cisco FN74362).',
    ]);
  });
  it('X15.5: server authentication on the server certificate, client authentication on the separate client certificate', () => {
    expect(eku(planOf<Inv>((i) => (i.expressway.version = 'X15.5')))).toEqual([
      'Required: Key Usage Digital Signature, Key Encipherment. Expressway-C: Extended Key Usage TLS Web Server Authentication and TLS Web Client Authentication (Table 7-17; the enterprise CA issues both). Expressway-E (X15.5): the server certificate needs TLS Web Server Authentication only; where it is the TLS client it presents the separate client certificate (Maintenance > Security > Client certificate), which needs TLS Web Client Authentication from a CA its peers trust, or is a copy of the server certificate for peers that do not check client authentication (Cisco tech note 225693).',
    ]);
  });
});
