// The chapter's ordering rules (outline §2.0) hold in the rendered plan of the example.
import { mkdtempSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatText } from '../../src/plan/format/text.js';
import { loadPlan } from '../../src/plan/load-plan.js';

const { plan } = loadPlan('examples/ent-pa.yaml');
const pos = (id: string) => {
  const i = plan.steps.findIndex((s) => s.id === id);
  expect(i, `${id} in plan`).toBeGreaterThanOrEqual(0);
  return i;
};
const step = (id: string) => plan.steps[pos(id)]!;
const before = (a: string, b: string) => expect(pos(a), `${a} before ${b}`).toBeLessThan(pos(b));

describe('ordering rules of the chapter', () => {
  it('every requirement points to an earlier step of the plan', () => {
    for (const s of plan.steps) for (const r of s.requires) before(r, s.id);
  });

  it('certificate management precedes encryption (L762): trust stores before CSRs, CSRs before uploads', () => {
    before('S002', 'S004');
    before('S003', 'S004');
    before('S008', 'S016');
    before('S069', 'S071');
    before('S049', 'S050');
  });

  it('CAPF is active before mixed mode, which runs on the publisher only and is disruptive', () => {
    before('S021', 'S022');
    expect(step('S022').requires).toContain('S021');
    expect(step('S022').actions.map((a) => a.target)).toEqual(['us-cm-pub']);
    expect(step('S022').disruptive).toBe(true);
  });

  it('after mixed mode, TFTP/CallManager/CTIManager restart on every node that runs them', () => {
    expect(step('S023').actions.map((a) => a.target).sort()).toEqual(['us-cm-pub', 'us-cm-sub1', 'us-cm-sub2', 'us-cm-tftp1']);
    expect(step('S023').actions.find((a) => a.target === 'us-cm-tftp1')!.commands).toEqual(['utils service restart Cisco Tftp']);
  });

  it('SIP OAuth before the Jabber profile; the CallManager restart after it may wait for mixed mode', () => {
    before('S018', 'S020');
    expect(step('S020').requires).toContain('S018');
    expect(step('S019').warnings.join(' ')).toMatch(/defer|wait|mixed mode/i);
  });

  it('mixed mode before the encrypted profiles; profile names final before the Expressway-C CSR', () => {
    before('S022', 'S031');
    before('S031', 'S050');
    expect(step('S050').requires).toContain('S031');
  });

  it('the presence trunk to IM and Presence is never encrypted (warned on the trunk template)', () => {
    expect(step('S017').warnings.join(' ')).toMatch(/presence SIP trunk/i);
  });

  it('CMS database clustering comes after the database certificates', () => {
    before('S089', 'S091');
    before('S090', 'S091');
  });
});

describe('pasted files in the dry-run', () => {
  it('show the file name and its SHA-256 when the file exists, never its body', () => {
    const dir = mkdtempSync(join(tmpdir(), 'collabsec-paste-'));
    copyFileSync('examples/ent-pa.yaml', join(dir, 'ent-pa.yaml'));
    mkdirSync(join(dir, 'certs'));
    const pem = '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n';
    writeFileSync(join(dir, 'certs', 'rootCAcert.cer'), pem);
    const sha = createHash('sha256').update(pem).digest('hex');
    const { plan: p, catalogue } = loadPlan(join(dir, 'ent-pa.yaml'), { steps: ['S002'] });
    const text = formatText(p, { color: false, productNames: Object.fromEntries(catalogue.products.map((x) => [x.id, x.name])) });
    expect(text).toContain(`certs/rootCAcert.cer (sha256 ${sha})`);
    expect(text).not.toContain('MIIBfake');
    expect(p.steps[0]!.actions[0]!.pasteFiles).toEqual([{ path: 'certs/rootCAcert.cer', sha256: sha }]);
  });
});
