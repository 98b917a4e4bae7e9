// The wizard screen with the certificate and local-step ports: the certificate questions are
// typed, a failing certificate ends at the failed checkpoint with its verdicts on screen; with
// --live a local openssl step runs on Enter and leaves its key 0600 in the session work folder;
// the export password is masked on screen.
import { readFileSync, statSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { loadInventory, type LoadedInventory } from '../../src/inventory/load.js';
import { loadPlan } from '../../src/plan/load-plan.js';
import type { Plan, PlannedStep } from '../../src/plan/types.js';
import type { Session } from '../../src/session/index.js';
import { WizardApp } from '../../src/ui/App.js';
import { loadRoleTable, type Role } from '../../src/verify/cert/roles.js';
import { certificatePort } from '../../src/wizard/certificate-checkpoint.js';
import { WizardController } from '../../src/wizard/controller.js';
import { localPort, localWorkdir } from '../../src/wizard/local-steps.js';
import { makeFixture } from '../cert/fixture.js';
import { csr, leaf, pem, put, tempDir } from '../cert/pki.js';
import { tempSession } from '../wizard/fixtures.js';
import { keys, plain, type, until } from './helpers.js';

const lp = loadPlan('examples/ent-pa.yaml');
const planOf = (...ids: string[]): Plan => ({
  ...lp.plan,
  steps: ids.map((id): PlannedStep => {
    const s = lp.plan.steps.find((x) => x.id === id)!;
    return { ...s, requires: s.requires.filter((r) => ids.includes(r)) };
  }),
});

let roles: Role[];
let dir: string;
let inventory: LoadedInventory;
const open: Session[] = [];

beforeAll(async () => {
  const f = await makeFixture();
  roles = await loadRoleTable();
  dir = await tempDir('collabsec-ui-cert-');
  const doc = parseDocument(readFileSync('examples/ent-pa.yaml', 'utf8'));
  doc.setIn(['ca', 'enterprise', 'rootCertFile'], 'root.pem');
  doc.setIn(['ca', 'public', 'rootCertFile'], 'public-root.pem');
  doc.setIn(['ca', 'b2bPartnerRootFiles'], []);
  inventory = loadInventory(await put(dir, 'inv.yaml', doc.toString()));
  await put(dir, 'root.pem', pem(f.entRoot.cert));
  await put(dir, 'public-root.pem', pem(f.pubRoot.cert));
  await put(dir, 'chain.pem', pem(f.entCa.cert));
  await put(dir, 'wrong.cer', pem(await leaf(f.entCa, { cn: 'other.ent-pa.com', sans: ['other.ent-pa.com'], keys: f.leafKeys })));
  // S095's CSR, where S094 leaves it (found by name).
  await put(dir, 'us-cmm-certcsr.pem', pem(await csr({ cn: 'us-cmm.ent-pa.com', sans: ['us-cmm.ent-pa.com'], keys: f.leafKeys, eku: null, ku: null })));
}, 30_000);
afterAll(() => fs.rm(dir, { recursive: true, force: true }));
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function app(plan: Plan, live: boolean) {
  const { session } = await tempSession(plan);
  open.push(session);
  const workdir = localWorkdir(session.file);
  const c = new WizardController(session, {
    certificates: certificatePort({ inventory, roles, baseDirs: [dir, workdir] }),
    ...(live ? { local: localPort({ plan, inventory: inventory.inventory, roles, workdir }) } : {}),
  });
  const r = render(<WizardApp controller={c} modeLabel={live ? "LIVE" : "rehearsal"} />);
  return { c, session, workdir, ...r, frame: () => plain(r.lastFrame()) };
}

describe('WizardApp: certificate checkpoints and local steps', () => {
  it('asks for the certificate file; a failing certificate fails the checkpoint and its verdicts are shown', async () => {
    const { stdin, frame, session } = await app(planOf('S095'), false);
    await type(stdin, 'd');
    await until(() => frame().includes('Certificate check · S095 · cmm/server (1 of 1)'), 'the certificate question');
    expect(frame()).toContain('File the CA returned:');
    await type(stdin, 'wrong.cer', keys.enter);
    // S095 names the CSR S094 left in the work folder: Enter takes it.
    await until(() => frame().includes('CSR it answers (Enter: us-cmm-certcsr.pem):'), 'the CSR question');
    await type(stdin, keys.enter);
    await until(() => frame().includes('Chain files, space-separated (Enter: none):'), 'the chain question');
    await type(stdin, 'chain.pem', keys.enter);
    await until(() => frame().includes('Checkpoint failed · S095'), 'the failed checkpoint', 10_000);
    // The verdict table per certificate (issue 25), as cert check prints it.
    expect(frame()).toMatch(/cmm\/server · \S*wrong\.cer: NOT OK: \d+ failed/);
    expect(frame()).toMatch(/FAIL {2}subject-cn/);
    expect(frame()).toContain('r retry the checkpoint');
    expect(session.status('S095')).toBe('failed');
    // s: back to the step, whose view lists every verdict of the last check.
    await type(stdin, 's');
    await until(() => frame().includes('Last certificate check (failed):'), 'the step view');
    expect(frame()).toMatch(/cmm\/server: FAIL /);
  });

  it('--live: Enter runs a local openssl step on this machine; the key is 0600 in the session work folder', async () => {
    const { stdin, frame, workdir } = await app(planOf('S093'), true);
    await until(() => frame().includes('Enter run on this machine'), 'the local key help');
    await type(stdin, keys.enter);
    await until(() => frame().includes('Checkpoint · S093'), 'the checkpoint after the run', 10_000);
    expect(statSync(join(workdir, 'us-cmm-privatekey.pem')).mode & 0o777).toBe(0o600);
  });

  it('--live: the export password is masked as it is typed', async () => {
    const { stdin, frame } = await app(planOf('S101'), true);
    await type(stdin, keys.enter);
    await until(() => frame().includes('Export password for S101'), 'the password question');
    await type(stdin, 'Exp0rt');
    await until(() => frame().includes('••••••'), 'the mask');
    expect(frame()).not.toContain('Exp0rt');
  });
});
