// The controller with the certificate and local-step ports, on the example plan's own steps:
// a certificate checkpoint asks for the files and a failing certificate fails the checkpoint
// (recorded with every verdict); a local openssl step with --live creates its key 0600 in the
// session work folder; the PKCS#12 export password is asked and never recorded; a rehearsal
// (no local port) runs nothing.
import { readFileSync, statSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { loadInventory, type LoadedInventory } from '../../src/inventory/load.js';
import { loadPlan } from '../../src/plan/load-plan.js';
import type { Plan, PlannedStep } from '../../src/plan/types.js';
import type { Session } from '../../src/session/index.js';
import { loadRoleTable, type Role } from '../../src/verify/cert/roles.js';
import { certificatePort } from '../../src/wizard/certificate-checkpoint.js';
import { WizardController } from '../../src/wizard/controller.js';
import { localPort, localWorkdir } from '../../src/wizard/local-steps.js';
import { makeFixture, type Fixture } from '../cert/fixture.js';
import { csr, leaf, pem, put, tempDir } from '../cert/pki.js';
import { tempSession } from './fixtures.js';

const lp = loadPlan('examples/ent-pa.yaml');
/** The example plan's steps, keeping only preconditions among them (each test starts where it needs). */
const planOf = (...ids: string[]): Plan => ({
  ...lp.plan,
  steps: ids.map((id): PlannedStep => {
    const s = lp.plan.steps.find((x) => x.id === id);
    if (!s) throw new Error(`no ${id}`);
    return { ...s, requires: s.requires.filter((r) => ids.includes(r)) };
  }),
});
const mode = (p: string) => statSync(p).mode & 0o777;

let f: Fixture;
let roles: Role[];
let dir: string;
let inventory: LoadedInventory;
const open: Session[] = [];

beforeAll(async () => {
  f = await makeFixture();
  roles = await loadRoleTable();
  dir = await tempDir('collabsec-ctl-cert-');
  const doc = parseDocument(readFileSync('examples/ent-pa.yaml', 'utf8'));
  doc.setIn(['ca', 'enterprise', 'rootCertFile'], 'root.pem');
  doc.setIn(['ca', 'public', 'rootCertFile'], 'public-root.pem');
  doc.setIn(['ca', 'b2bPartnerRootFiles'], []);
  inventory = loadInventory(await put(dir, 'inv.yaml', doc.toString()));
  await put(dir, 'root.pem', pem(f.entRoot.cert));
  await put(dir, 'public-root.pem', pem(f.pubRoot.cert));
  await put(dir, 'chain.pem', pem(f.entCa.cert));
  await put(dir, 'us-cmm.cer', pem(await leaf(f.entCa, { cn: 'us-cmm.ent-pa.com', sans: ['us-cmm.ent-pa.com'], keys: f.leafKeys })));
  await put(dir, 'us-cmm-wrong.cer', pem(await leaf(f.entCa, { cn: 'other.ent-pa.com', sans: ['other.ent-pa.com'], keys: f.leafKeys })));
  // S095 checks the certificate against the CSR S094 left (found by name; Enter at the CSR question).
  await put(dir, 'us-cmm-certcsr.pem', pem(await csr({ cn: 'us-cmm.ent-pa.com', sans: ['us-cmm.ent-pa.com'], keys: f.leafKeys, eku: null, ku: null })));
}, 30_000);
afterAll(() => fs.rm(dir, { recursive: true, force: true }));
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function make(plan: Plan, live: boolean, reopen?: string) {
  const { session, dir: sdir } = await tempSession(plan, reopen);
  open.push(session);
  const workdir = localWorkdir(session.file);
  const c = new WizardController(session, {
    certificates: certificatePort({ inventory, roles, baseDirs: [dir, workdir] }),
    ...(live ? { local: localPort({ plan, inventory: inventory.inventory, roles, workdir }) } : {}),
  });
  return { c, session, workdir, sdir };
}
const lastEvent = (s: Session, id: string) => s.state.steps[id]?.history.at(-1);

describe('certificate checkpoint in the controller', () => {
  it('asks for the file, CSR and chain; a failing certificate fails the checkpoint with its verdicts; retry with the right one verifies', async () => {
    const { c, session } = await make(planOf('S095'), false);
    await c.doneMyself();
    expect(c.getView().mode).toMatchObject({ kind: 'certificate', stepId: 'S095', target: 'cmm/server', position: '1 of 1', field: 'file' });
    await c.answerCertificate('');
    expect(c.getView().message?.text).toMatch(/Name the certificate file/);
    await c.answerCertificate('us-cmm-wrong.cer');
    expect(c.getView().mode).toMatchObject({ kind: 'certificate', field: 'csr', csr: 'us-cmm-certcsr.pem' });
    await c.answerCertificate('');
    expect(c.getView().mode).toMatchObject({ kind: 'certificate', field: 'chain' });
    await c.answerCertificate('chain.pem');
    const m = c.getView().mode;
    expect(m.kind).toBe('failed');
    if (m.kind === 'failed') expect(m.summary).toMatch(/^certificate check of S095: cmm\/server: NOT OK .*other\.ent-pa\.com/);
    const ev = lastEvent(session, 'S095');
    expect(ev).toMatchObject({ status: 'failed', outcome: 'failed', checkpoint: { method: 'certificate', outcome: 'failed' } });
    expect(ev?.checkpoint?.details?.some((d) => d.outcome === 'failed' && /^FAIL /.test(d.text ?? ''))).toBe(true);
    // Back on disk too (the evidence pack reads the file).
    const disk = JSON.parse(await fs.readFile(session.file, 'utf8')) as Session['state'];
    expect(disk.steps['S095']?.history.at(-1)?.checkpoint?.method).toBe('certificate');

    await c.retry();
    expect(c.getView().mode).toMatchObject({ kind: 'certificate', field: 'file' });
    for (const a of ['us-cmm.cer', '', 'chain.pem']) await c.answerCertificate(a);
    expect(session.status('S095')).toBe('verified');
    expect(lastEvent(session, 'S095')?.checkpoint).toMatchObject({ method: 'certificate', outcome: 'passed' });
    expect(lastEvent(session, 'S095')?.checkpoint?.summary).toMatch(/cmm\/server: OK/);
    expect(lastEvent(session, 'S095')?.checkpoint?.details?.some((d) => /^PASS csr-match: public key matches .*us-cmm-certcsr\.pem$/.test(d.text ?? ''))).toBe(true);
  });

  it('a signing step whose CSR the operator downloaded (csr: ask) does not take Enter for the CSR', async () => {
    const { c } = await make(planOf('S109'), false);
    await c.doneMyself();
    // A path is taken only when it names a file (issue 25): any certificate file will do here.
    await c.answerCertificate('us-cmm.cer');
    expect(c.getView().mode).toMatchObject({ kind: 'certificate', field: 'csr', csr: 'ask' });
    await c.answerCertificate('');
    expect(c.getView().message?.text).toMatch(/Name the CSR this certificate answers/);
    expect(c.getView().mode).toMatchObject({ kind: 'certificate', field: 'csr' });
  });

  it('an interrupted step with a certificate checkpoint is settled by its certificate first', async () => {
    const plan = planOf('S095');
    const first = await make(plan, false);
    await first.c.start();
    await first.session.close(); // the process ends with the step started
    const { c, session } = await make(plan, false, first.sdir);
    expect(session.interruptedOnOpen).toEqual(['S095']);
    expect(c.getView().mode).toMatchObject({ kind: 'certificate', stepId: 'S095', via: 'recheck', field: 'file' });
    expect(c.getView().message?.text).toMatch(/S095 was interrupted.*never re-run blindly/);
    for (const a of ['us-cmm.cer', '', 'chain.pem']) await c.answerCertificate(a);
    expect(session.state.steps['S095']?.history.map((e) => e.status)).toEqual(['started', 'interrupted', 'verified']);
  });

  it('Esc leaves the questions without recording anything', async () => {
    const { c, session } = await make(planOf('S095'), false);
    await c.doneMyself();
    await c.answerCertificate('us-cmm.cer');
    c.back();
    expect(c.getView().mode.kind).toBe('browse');
    expect(session.status('S095')).toBe('pending');
  });
});

describe('local steps in the controller', () => {
  it('--live: S093 runs openssl in the session work folder; the key is 0600 there; then the checkpoint is asked', async () => {
    const { c, session, workdir } = await make(planOf('S093', 'S094', 'S095'), true);
    expect(c.getView().canRunLocal).toBe(true);
    await c.start();
    const key = join(workdir, 'us-cmm-privatekey.pem');
    expect(mode(key)).toBe(0o600);
    expect(mode(workdir)).toBe(0o700);
    expect(workdir).toBe(join(session.file, '..', 'workdirs', 'test'));
    expect(c.getView().mode).toMatchObject({ kind: 'checkpoint', stepId: 'S093', via: 'run' });
    expect(session.state.steps['S093']?.history.map((e) => e.status)).toEqual(['started']);
    await c.answer(true);
    expect(session.status('S093')).toBe('verified');
    // S094: the CSR names the subject S095 will check.
    await c.start();
    expect(c.getView().mode).toMatchObject({ kind: 'checkpoint', stepId: 'S094' });
    expect(mode(join(workdir, 'us-cmm-certcsr.pem'))).toBe(0o600);
  }, 20_000);

  it('a rehearsal (no local port) runs nothing on this machine', async () => {
    const { c, workdir } = await make(planOf('S093'), false);
    await c.start();
    expect(c.getView().mode).toMatchObject({ kind: 'running', stepId: 'S093', live: false });
    await expect(fs.access(workdir)).rejects.toThrow();
  });

  it('--live: the PKCS#12 step asks for the export password first (nothing recorded before it), and it is never recorded', async () => {
    const { c, session, workdir } = await make(planOf('S101'), true);
    await c.start();
    expect(c.getView().mode).toMatchObject({ kind: 'secret', stepId: 'S101' });
    expect(session.status('S101')).toBe('pending');
    await c.submitSecret('');
    expect(c.getView().message?.text).toMatch(/cannot be empty/);
    await c.submitSecret('Exp0rt-s3cret');
    // us-tms1.cer is not in the work folder yet: the step fails naming it, and nothing ran.
    const m = c.getView().mode;
    expect(m.kind).toBe('failed');
    if (m.kind === 'failed') expect(m.summary).toMatch(/us-tms1-privatekey\.pem is not in the session work folder/);
    expect(await fs.readFile(session.file, 'utf8')).not.toContain('Exp0rt-s3cret');
    await expect(fs.access(join(workdir, 'us-tms1-cert-key.p12'))).rejects.toThrow();
  });

  it('--live: an sftp step is left to the operator with the reason', async () => {
    const { c } = await make(planOf('S082'), true);
    await c.start();
    expect(c.getView().mode).toMatchObject({ kind: 'running', stepId: 'S082', live: false });
    expect(c.getView().message?.text).toMatch(/uses sftp, which asks for the MMP admin password itself: collabsec does not run it/);
  });
});
