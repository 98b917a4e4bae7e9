// Certificate checkpoints of the wizard against a test-time PKI: which certificates a step asks
// for, and the CheckpointResult recorded for a good, a defective and an unusable file.
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { loadInventory, type LoadedInventory } from '../../src/inventory/load.js';
import { loadPlan } from '../../src/plan/load-plan.js';
import type { PlannedStep } from '../../src/plan/types.js';
import { checkpointResultSchema } from '../../src/session/state.js';
import { loadRoleTable, type Role } from '../../src/verify/cert/roles.js';
import { certificateTargets, checkCertificateCheckpoint, hasCertificateCheckpoint, type CertificateFiles } from '../../src/wizard/certificate-checkpoint.js';
import { US_CM, US_IMP, makeFixture, type Fixture } from '../cert/fixture.js';
import { EKU, KU, csr, leaf, pem, put, tempDir } from '../cert/pki.js';
import { expectationFor } from '../../src/verify/cert/expectations.js';

const { plan } = loadPlan('examples/ent-pa.yaml');
const stepOf = (id: string): PlannedStep => {
  const s = plan.steps.find((x) => x.id === id);
  if (!s) throw new Error(`no ${id}`);
  return s;
};
const CN = 'us-cm-pub-ms.ent-pa.com';

let f: Fixture;
let dir: string;
let work: string;
let inventory: LoadedInventory;
let roles: Role[];

beforeAll(async () => {
  f = await makeFixture();
  roles = await loadRoleTable();
  dir = await tempDir('collabsec-wizcert-');
  work = await tempDir('collabsec-wizcert-work-');
  const doc = parseDocument(readFileSync('examples/ent-pa.yaml', 'utf8'));
  doc.setIn(['ca', 'enterprise', 'rootCertFile'], 'root.pem');
  doc.setIn(['ca', 'public', 'rootCertFile'], 'public-root.pem');
  doc.setIn(['ca', 'b2bPartnerRootFiles'], []);
  const inv = await put(dir, 'inv.yaml', doc.toString());
  await put(dir, 'root.pem', pem(f.entRoot.cert));
  await put(dir, 'public-root.pem', pem(f.pubRoot.cert));
  await put(dir, 'chain.pem', pem(f.entCa.cert));
  const sans = [...US_CM, ...US_IMP];
  await put(dir, 'tomcat.pem', pem(await leaf(f.entCa, { cn: CN, sans, keys: f.leafKeys })));
  // The chapter's classic CA mistake: a tomcat certificate without TLS Web Client Authentication.
  await put(dir, 'tomcat-noclient.pem', pem(await leaf(f.entCa, { cn: CN, sans, keys: f.leafKeys, eku: [EKU.server] })));
  await put(dir, 'tomcat.csr', pem(await csr({ cn: CN, sans, keys: f.leafKeys, eku: null, ku: null })));
  // Relative names also resolve in the session work folder (where S007 says to save them).
  await put(work, 'in-work.pem', pem(await leaf(f.entCa, { cn: CN, sans, keys: f.leafKeys })));
  await put(dir, 'garbage.pem', 'not a certificate\n');
  inventory = loadInventory(inv);
  // The CA-signing steps' offline checks (issue 22): CMM (S095, CSR made by S094 in the work
  // folder) and PCD (S109, CSR saved by the operator, asked for), with the inventory's names.
  for (const [roleId, base] of [['cmm/server', 'cmm'], ['pcd/tomcat', 'pcd']] as const) {
    const role = roles.find((r) => r.id === roleId)!;
    const exp = expectationFor(inventory.inventory, role);
    const cn = exp.cn ?? exp.cnOneOf![0]!;
    const names = [...new Set([cn, ...exp.sans.map((x) => x.name), ...(exp.recommendedSans ?? []).map((x) => x.name)])];
    await put(dir, `${base}.cer`, pem(await leaf(f.entCa, { cn, sans: names, keys: f.leafKeys, ku: KU.ucm, eku: [EKU.server, EKU.client] })));
    await put(dir, `${base}-other.csr`, pem(await csr({ cn, sans: names, keys: f.otherKeys, eku: null, ku: null })));
    await put(base === 'cmm' ? work : dir, base === 'cmm' ? 'us-cmm-certcsr.pem' : `${base}.csr`, pem(await csr({ cn, sans: names, keys: f.leafKeys, eku: null, ku: null })));
  }
  await put(dir, 'empty.csr', '');
}, 30_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(work, { recursive: true, force: true });
});

const ctx = () => ({ inventory, roles, baseDirs: [dir, work] });

/** S007 on its Unified CM target only (the IM and Presence target is checked as imp/cup-xmpp). */
const s007cm = (): PlannedStep => ({ ...stepOf('S007'), actions: stepOf('S007').actions.slice(0, 1) });

async function checkS007(files: CertificateFiles) {
  const step = s007cm();
  const targets = certificateTargets(step, inventory.inventory, roles);
  return checkCertificateCheckpoint(step, targets, new Map(targets.map((t) => [t.key, files])), ctx());
}

describe('certificateTargets', () => {
  it('S007: one multi-server certificate per role of cluster us (tomcat on Unified CM, cup-xmpp on IM and Presence)', () => {
    const step = stepOf('S007');
    expect(hasCertificateCheckpoint(step)).toBe(true);
    expect(certificateTargets(step, inventory.inventory, roles)).toEqual([
      // S007 compares each certificate with its CSR (issue 25): the CSR is asked for.
      { key: 'cucm/tomcat@us', role: 'cucm/tomcat', node: 'us', targets: ['us-cm-pub'], label: 'cucm/tomcat for us', csr: 'ask' },
      { key: 'imp/cup-xmpp@us', role: 'imp/cup-xmpp', node: 'us', targets: ['us-imp-pub'], label: 'imp/cup-xmpp for us', csr: 'ask' },
    ]);
  });

  it('targets of one role on the same cluster share one certificate', () => {
    const s = stepOf('S007');
    const both = { ...s, actions: s.actions.map((a) => ({ ...a, checkpoint: undefined })) };
    expect(certificateTargets(both, inventory.inventory, roles)).toEqual([{ key: 'cucm/tomcat@us', role: 'cucm/tomcat', node: 'us', targets: ['us-cm-pub', 'us-imp-pub'], label: 'cucm/tomcat for us', csr: 'ask' }]);
  });

  it('S052: each Expressway peer has its own certificate; per-action roles win over the step role', () => {
    const t = certificateTargets(stepOf('S052'), inventory.inventory, roles);
    expect(t.map((x) => x.key)).toEqual(['expressway-c/server@us-expc1', 'expressway-c/server@us-expc2', 'expressway-e/server@us-expe1', 'expressway-e/server@us-expe2']);
  });

  it('an operator-only step (S095) asks for one certificate of its role; steps without a role have none', () => {
    // S094 made the CSR in the work folder: S095 names it, so the check finds it.
    expect(certificateTargets(stepOf('S095'), inventory.inventory, roles)).toEqual([{ key: 'cmm/server', role: 'cmm/server', targets: [], label: 'cmm/server', csr: 'us-cmm-certcsr.pem' }]);
    expect(hasCertificateCheckpoint(stepOf('S094'))).toBe(false);
  });
});

describe('checkCertificateCheckpoint', () => {
  it('a good certificate with its CSR and chain passes; the result is a valid journal entry with every verdict', async () => {
    const o = await checkS007({ file: 'tomcat.pem', csrFile: 'tomcat.csr', chainFiles: ['chain.pem'] });
    expect(o.result.outcome, o.result.summary).toBe('passed');
    expect(o.result.method).toBe('certificate');
    expect(() => checkpointResultSchema.parse(o.result)).not.toThrow();
    expect(o.result.summary).toMatch(/^certificate check of S007: cucm\/tomcat for \S+: OK \(0 failed, \d+ warning\(s\), \d+ passed\)$/);
    expect(o.result.details?.[0]?.text).toMatch(/tomcat\.pem: .*CN=us-cm-pub-ms\.ent-pa\.com.*, sha256 [0-9a-f]{64}$/);
    expect(o.result.details?.some((d) => /^PASS csr/.test(d.text ?? ''))).toBe(true);
    expect(o.lines.join('\n')).toMatch(/PASS {2}chain +verifies to the enterprise root/);
    expect(o.lines.join('\n')).toMatch(/OK: 0 failed/);
  });

  it('a tomcat certificate without client authentication fails the checkpoint, naming the missing EKU', async () => {
    const o = await checkS007({ file: 'tomcat-noclient.pem', csrFile: 'tomcat.csr', chainFiles: ['chain.pem'] });
    expect(o.result.outcome).toBe('failed');
    expect(o.result.summary).toMatch(/NOT OK \(1 failed.*extended-key-usage: .*TLS Web Client Authentication/);
    expect(o.result.details?.find((d) => d.outcome === 'failed' && d.text?.startsWith('FAIL'))?.text).toMatch(/^FAIL extended-key-usage: /);
    expect(o.lines.join('\n')).toMatch(/FAIL {2}extended-key-usage/);
  });

  it('relative names are also found in the session work folder', async () => {
    const o = await checkS007({ file: 'in-work.pem', csrFile: 'tomcat.csr', chainFiles: ['chain.pem'] });
    expect(o.result.outcome).toBe('passed');
  });

  it('a garbage file, a missing file, a CSR instead of the certificate, or no answer fail with a message, never a throw', async () => {
    const garbage = await checkS007({ file: 'garbage.pem', csrFile: 'tomcat.csr' });
    expect(garbage.result.outcome).toBe('failed');
    expect(garbage.result.summary).toContain('garbage.pem');
    const missing = await checkS007({ file: 'nope.pem', csrFile: 'tomcat.csr' });
    expect(missing.result.outcome).toBe('failed');
    expect(missing.result.summary).toContain('nope.pem');
    // At an upload step (S008, no CSR of its own) a CSR named as the certificate is refused as such.
    const s008 = { ...stepOf('S008'), actions: stepOf('S008').actions.slice(0, 1) };
    const t008 = certificateTargets(s008, inventory.inventory, roles);
    const asCsr = await checkCertificateCheckpoint(s008, t008, new Map(t008.map((t) => [t.key, { file: 'tomcat.csr' }])), ctx());
    expect(asCsr.result.outcome).toBe('failed');
    expect(asCsr.result.summary).toContain('tomcat.csr is a certificate signing request, not the certificate the CA returned');
    const step = s007cm();
    const none = await checkCertificateCheckpoint(step, certificateTargets(step, inventory.inventory, roles), new Map(), ctx());
    expect(none.result.outcome).toBe('failed');
    expect(none.result.summary).toContain('no certificate file given');
  });
});

describe('offline checks at CA-signing steps (issue 22): the certificate against its CSR', () => {
  const check = async (id: string, files: CertificateFiles, baseDirs = [dir, work]) => {
    const step = stepOf(id);
    const targets = certificateTargets(step, inventory.inventory, roles);
    return checkCertificateCheckpoint(step, targets, new Map(targets.map((t) => [t.key, files])), { inventory, roles, baseDirs });
  };
  const verdict = (o: Awaited<ReturnType<typeof check>>, name: string) => o.result.details?.find((d) => d.text?.includes(` ${name}:`))?.text;

  it('S095 finds the CSR S094 made in the work folder and checks the key match without being told', async () => {
    const o = await check('S095', { file: 'cmm.cer', chainFiles: ['chain.pem'] });
    expect(o.result.outcome, o.result.summary).toBe('passed');
    expect(verdict(o, 'csr-match')).toMatch(/^PASS csr-match: public key matches .*us-cmm-certcsr\.pem$/);
  });

  it('S095: a certificate for another key than the CSR in the work folder fails', async () => {
    await put(work, 'cmm-otherkey.cer', pem(await leaf(f.entCa, { cn: 'us-cmm.ent-pa.com', sans: ['us-cmm.ent-pa.com'], keys: f.otherKeys })));
    const o = await check('S095', { file: 'cmm-otherkey.cer', chainFiles: ['chain.pem'] });
    expect(o.result.outcome).toBe('failed');
    expect(verdict(o, 'csr-match')).toMatch(/^FAIL csr-match: the certificate's public key differs/);
  });

  it('S095: a CSR named by the operator wins over the work folder one (here: made from another key)', async () => {
    const o = await check('S095', { file: 'cmm.cer', csrFile: 'cmm-other.csr', chainFiles: ['chain.pem'] });
    expect(o.result.outcome).toBe('failed');
    expect(verdict(o, 'csr-match')).toContain('cmm-other.csr');
  });

  it('S095: the CSR missing from the work folder fails the check, naming the file', async () => {
    const o = await check('S095', { file: 'cmm.cer', chainFiles: ['chain.pem'] }, [dir]);
    expect(o.result.outcome).toBe('failed');
    expect(o.result.summary).toContain('us-cmm-certcsr.pem');
  });

  it('S109 (csr: ask) passes with the CSR it answers and fails without one, saying to name it', async () => {
    const ok = await check('S109', { file: 'pcd.cer', csrFile: 'pcd.csr', chainFiles: ['chain.pem'] });
    expect(ok.result.outcome, ok.result.summary).toBe('passed');
    const none = await check('S109', { file: 'pcd.cer', chainFiles: ['chain.pem'] });
    expect(none.result.outcome).toBe('failed');
    expect(none.result.summary).toContain('no CSR given: this signing step checks the certificate against the CSR it answers');
    // The check's own words name no flag: the TUI and plain mode each say how to give it.
    expect(none.result.summary).not.toContain('--csr');
  });

  it('S109: a wrong-key, empty or garbage CSR fails', async () => {
    for (const bad of ['pcd-other.csr', 'empty.csr', 'garbage.pem']) {
      const o = await check('S109', { file: 'pcd.cer', csrFile: bad, chainFiles: ['chain.pem'] });
      expect(o.result.outcome, bad).toBe('failed');
      expect(o.result.summary, bad).toContain(bad);
    }
  });

  it('every CA-signing step of the example has a certificate check with a CSR (found or asked)', () => {
    const signing = ['S006', 'S039', 'S068', 'S083', 'S095', 'S100', 'S109', 'S114'];
    const without = signing.filter((id) => {
      const s = stepOf(id);
      return !hasCertificateCheckpoint(s) || certificateTargets(s, inventory.inventory, roles).some((t) => t.csr === undefined);
    });
    // S068 asks for the CSR (csr: ask); S083 finds the CSR S082 downloaded (issue 25).
    expect(without).toEqual([]);
  });
});
