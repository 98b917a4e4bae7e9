// Local steps of the wizard with the real openssl binary, on the example plan's own lines:
// Meeting Management (S093 key, S094 CSR named from the cmm/server expectation), TMS (S098, S099,
// S101 PKCS#12 with the export password on fd 3), sftp left to the operator, missing inputs named.
import { statSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';
import { execa } from 'execa';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadPlan } from '../../src/plan/load-plan.js';
import type { PlannedStep } from '../../src/plan/types.js';
import { loadRoleTable, type Role } from '../../src/verify/cert/roles.js';
import { localStepPort, localWorkdir, needsLocalPassword, planLocalStep, requestRole, runLocalStep } from '../../src/wizard/local-steps.js';
import type { RunHooks } from '../../src/wizard/types.js';
import { tempDir } from '../cert/pki.js';

const lp = loadPlan('examples/ent-pa.yaml');
const plan = lp.plan;
const inventory = lp.loaded.inventory;
const stepOf = (id: string): PlannedStep => {
  const s = plan.steps.find((x) => x.id === id);
  if (!s) throw new Error(`no ${id}`);
  return s;
};
const mode = (p: string) => statSync(p).mode & 0o777;

let roles: Role[];
let dir: string;
let savedUmask: number | undefined;
const progress: string[][] = [];
const hooks = (signal = new AbortController().signal): RunHooks => ({ signal, progress: (l) => progress.push(l) });

beforeAll(async () => {
  roles = await loadRoleTable();
  dir = await tempDir('collabsec-wizlocal-');
});
afterAll(() => rm(dir, { recursive: true, force: true }));
afterEach(() => {
  if (savedUmask !== undefined) process.umask(savedUmask);
  savedUmask = undefined;
});

const ctx = () => ({ plan, inventory, roles });

describe('planLocalStep', () => {
  it('openssl req takes its subject and SANs from the role of the step that checks the certificate (S094 → S095 cmm/server)', () => {
    expect(requestRole(stepOf('S094'), plan)).toBe('cmm/server');
    expect(requestRole(stepOf('S099'), plan)).toBe('tms/server');
    const p = planLocalStep(stepOf('S094'), ctx());
    // The catalogue line carries the SAN (review A.3), so no second subjectAltName is appended.
    expect(p).toMatchObject({
      runnable: true,
      commands: [{ line: 'openssl req -new -key us-cmm-privatekey.pem -out us-cmm-certcsr.pem -addext "subjectAltName=DNS:us-cmm.ent-pa.com"', subject: '/CN=us-cmm.ent-pa.com', needsPassword: false, inputs: ['us-cmm-privatekey.pem'] }],
    });
    expect(p.runnable && p.commands[0]?.extraArgs).toBeUndefined();
    // Inspection lines read their input and need no subject.
    expect(planLocalStep(stepOf('S007'), ctx())).toMatchObject({ runnable: true, commands: [{ line: 'openssl req  -in tomcat.csr -noout -text', inputs: ['tomcat.csr'] }, {}, {}, {}, {}, {}, {}, {}] });
  });

  it('the PKCS#12 export (S101) needs the password; key generation does not', () => {
    expect(needsLocalPassword(planLocalStep(stepOf('S101'), ctx()))).toBe(true);
    expect(needsLocalPassword(planLocalStep(stepOf('S098'), ctx()))).toBe(false);
  });

  it('sftp batches (S082, S084) are left to the operator with the reason', () => {
    for (const id of ['S082', 'S084']) {
      const p = planLocalStep(stepOf(id), ctx());
      expect(p.runnable).toBe(false);
      if (!p.runnable) expect(p.reason).toMatch(/uses sftp, which asks for the MMP admin password itself: collabsec does not run it/);
    }
  });

  it('the work folder sits beside the session file', () => {
    expect(localWorkdir('/inv/.collabsec/ent-pa.json')).toBe('/inv/.collabsec/workdirs/ent-pa');
  });
});

describe('runLocalStep with openssl', () => {
  it('S093 + S094: key 0600 in a 0700 work folder (even with umask 000), CSR naming CN and SAN of the inventory', async () => {
    savedUmask = process.umask(0);
    const work = join(dir, 'cmm');
    const run = localStepPort({ ...ctx(), workdir: work });
    const key = await run(stepOf('S093'), hooks());
    expect(key.outcome, key.summary).toBe('ok');
    expect(key.summary).toContain('created us-cmm-privatekey.pem');
    expect(mode(work)).toBe(0o700);
    expect(mode(join(work, 'us-cmm-privatekey.pem'))).toBe(0o600);
    const req = await run(stepOf('S094'), hooks());
    expect(req.outcome, req.summary).toBe('ok');
    expect(req.nodes).toEqual([{ node: 'operator', outcome: 'ok', summary: 'operator: ok' }]);
    expect(mode(join(work, 'us-cmm-certcsr.pem'))).toBe(0o600);
    const csr = new x509.Pkcs10CertificateRequest(await readFile(join(work, 'us-cmm-certcsr.pem'), 'utf8'));
    expect(csr.subject).toBe('CN=us-cmm.ent-pa.com');
    const text = await execa('openssl', ['req', '-in', join(work, 'us-cmm-certcsr.pem'), '-noout', '-text']);
    expect(text.stdout).toMatch(/X509v3 Subject Alternative Name: *\n *DNS:us-cmm\.ent-pa\.com\n/);
    // A re-run never replaces a key that may already be in use.
    const again = await run(stepOf('S093'), hooks());
    expect(again.outcome).toBe('failed');
    expect(again.summary).toMatch(/already exists; refusing to overwrite it/);
  }, 20_000);

  it('S098, S099, S101: the PKCS#12 export password goes on fd 3 and opens the bundle; it is in no output', async () => {
    const work = join(dir, 'tms');
    const run = localStepPort({ ...ctx(), workdir: work });
    expect((await run(stepOf('S098'), hooks())).outcome).toBe('ok');
    expect((await run(stepOf('S099'), hooks())).outcome).toBe('ok');
    // Before the CA's certificate is in the folder, S101 names what is missing and runs nothing.
    const early = await run(stepOf('S101'), { ...hooks(), password: 'Exp0rt-s3cret' });
    expect(early.outcome).toBe('failed');
    expect(early.summary).toMatch(/us-tms1\.cer is not in the session work folder .*tms; put it there/);
    // Stand-in for the CA (S100): sign the CSR with its own key.
    await execa('openssl', ['x509', '-req', '-in', 'us-tms1-certcsr.pem', '-signkey', 'us-tms1-privatekey.pem', '-days', '30', '-out', 'us-tms1.cer'], { cwd: work });
    const none = await run(stepOf('S101'), hooks());
    expect(none.outcome).toBe('failed');
    expect(none.summary).toContain('needs the export password');
    progress.length = 0;
    const p12 = await run(stepOf('S101'), { ...hooks(), password: 'Exp0rt-s3cret' });
    expect(p12.outcome, p12.summary).toBe('ok');
    expect(mode(join(work, 'us-tms1-cert-key.p12'))).toBe(0o600);
    expect(JSON.stringify([p12, progress])).not.toContain('Exp0rt-s3cret');
    expect(progress.flat().join('\n')).toContain('-passout fd:3');
    // Test side only: the password in this test's environment proves the bundle opens with it.
    const check = await execa('openssl', ['pkcs12', '-in', 'us-tms1-cert-key.p12', '-noout', '-passin', 'env:P12'], { cwd: work, env: { P12: 'Exp0rt-s3cret' }, reject: false });
    expect(check.exitCode, check.stderr).toBe(0);
    // Review A.4: key and certificates under 3DES with a SHA-1 MAC (Windows Server 2016 and older import it).
    const info = await execa('openssl', ['pkcs12', '-info', '-in', 'us-tms1-cert-key.p12', '-noout', '-passin', 'env:P12'], { cwd: work, env: { P12: 'Exp0rt-s3cret' }, reject: false });
    expect(info.stderr).toMatch(/^MAC: sha1\b/m);
    expect(info.stderr).toMatch(/Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC/);
    expect(info.stderr).toMatch(/PKCS7 Encrypted data: pbeWithSHA1And3-KeyTripleDES-CBC/);
    expect(info.stderr).not.toMatch(/AES-256/);
    const wrong = await execa('openssl', ['pkcs12', '-in', 'us-tms1-cert-key.p12', '-noout', '-passin', 'env:P12'], { cwd: work, env: { P12: 'wrong' }, reject: false });
    expect(wrong.exitCode).not.toBe(0);
  }, 20_000);

  it('a missing input of an inspection line (S007) is named; an sftp step runs nothing', async () => {
    const work = join(dir, 'inspect');
    const run = localStepPort({ ...ctx(), workdir: work });
    const r = await run(stepOf('S007'), hooks());
    expect(r.outcome).toBe('failed');
    expect(r.summary).toMatch(/tomcat\.csr is not in the session work folder/);
    const sftp = await runLocalStep(stepOf('S082'), planLocalStep(stepOf('S082'), ctx()), hooks(), { workdir: work });
    expect(sftp.outcome).toBe('failed');
    expect(sftp.summary).toMatch(/collabsec does not run it/);
  });

  it('an aborted run stops before the next line', async () => {
    const stop = new AbortController();
    stop.abort();
    const r = await localStepPort({ ...ctx(), workdir: join(dir, 'aborted') })(stepOf('S093'), hooks(stop.signal));
    expect(r.outcome).toBe('failed');
    expect(r.summary).toContain('stopped by the operator');
  });
});
