// Certificate checkpoints that help (issue 25 slice 3, issue 12 "Certificate checkpoints"), on the
// wizard screen of a rehearsal with the real certificate port and a test PKI: a typed path is
// checked before it is taken (a typo or a stray "y" is not a failed checkpoint); relative paths
// are read from the inventory's folder, named on screen; a failed check shows `cert check`'s
// verdict table per certificate; a retry keeps the paths given; Tab completes paths; the screen
// speaks of its keys, not of flags; a root file the inventory names that is missing is named as
// such and fails the check (no "verified" without a chain check); signing checks name their CSR.
import { mkdir, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
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
import { certificatePort, TUI_SUPPLY_CHAIN } from '../../src/wizard/certificate-checkpoint.js';
import { WizardController } from '../../src/wizard/controller.js';
import { localWorkdir } from '../../src/wizard/local-steps.js';
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
/** The inventory's folder, with its enterprise root, and one whose root file is missing. */
let dir: string;
let gapDir: string;
let inventory: LoadedInventory;
let gapInventory: LoadedInventory;
const open: Session[] = [];

async function inventoryIn(folder: string, root: string): Promise<LoadedInventory> {
  const doc = parseDocument(readFileSync('examples/ent-pa.yaml', 'utf8'));
  doc.setIn(['ca', 'enterprise', 'rootCertFile'], root);
  doc.setIn(['ca', 'public', 'rootCertFile'], 'public-root.pem');
  doc.setIn(['ca', 'b2bPartnerRootFiles'], []);
  return loadInventory(await put(folder, 'inv.yaml', doc.toString()));
}

beforeAll(async () => {
  const f = await makeFixture();
  roles = await loadRoleTable();
  dir = await tempDir('collabsec-ui-certcp-');
  gapDir = await tempDir('collabsec-ui-certgap-');
  inventory = await inventoryIn(dir, 'root.pem');
  gapInventory = await inventoryIn(gapDir, 'missing-root.pem');
  const good = pem(await leaf(f.entCa, { cn: 'us-cmm.ent-pa.com', sans: ['us-cmm.ent-pa.com'], keys: f.leafKeys }));
  const request = pem(await csr({ cn: 'us-cmm.ent-pa.com', sans: ['us-cmm.ent-pa.com'], keys: f.leafKeys, eku: null, ku: null }));
  for (const d of [dir, gapDir]) {
    await put(d, 'us-cmm.cer', good);
    // S095 names the CSR S094 left; the port finds it by name (here: in the inventory's folder).
    await put(d, 'us-cmm-certcsr.pem', request);
    // The issuing CA and the root together: a chain that ends at a root without the inventory's.
    await put(d, 'chain.pem', pem(f.entCa.cert, f.entRoot.cert));
  }
  await put(dir, 'root.pem', pem(f.entRoot.cert));
  for (const d of [dir, gapDir]) await put(d, 'public-root.pem', pem(f.pubRoot.cert));
  await put(dir, 'wrong.cer', pem(await leaf(f.entCa, { cn: 'other.ent-pa.com', sans: ['other.ent-pa.com'], keys: f.leafKeys })));
  await mkdir(join(dir, 'certs'));
  await put(join(dir, 'certs'), 'us-cmm-copy.cer', good);
}, 30_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(gapDir, { recursive: true, force: true });
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

/** The wizard on `plan` with the TUI's certificate port: typed paths are read from the inventory's folder. */
async function app(plan: Plan, inv = inventory) {
  const { session } = await tempSession(plan);
  open.push(session);
  const workdir = localWorkdir(session.file);
  const c = new WizardController(session, { certificates: certificatePort({ inventory: inv, roles, baseDirs: [inv.dir, workdir], folder: inv.dir, supplyChain: TUI_SUPPLY_CHAIN }) });
  const r = render(<WizardApp controller={c} modeLabel="rehearsal" />);
  const frames: string[] = [];
  const frame = (): string => {
    const f = plain(r.lastFrame());
    frames.push(f);
    return f;
  };
  return { c, session, ...r, frame, frames };
}

const erase = (n: number): string[] => Array.from({ length: n }, () => keys.backspace);

describe('certificate checkpoint screen', () => {
  it('a typo or a stray "y" is refused at the prompt, naming what is wrong; nothing is recorded; relative paths are read from the folder on screen', async () => {
    const { stdin, frame, session } = await app(planOf('S095'));
    await type(stdin, 'd');
    await until(() => frame().includes('Certificate check · S095 · cmm/server (1 of 1)'), 'the certificate question');
    // The folder relative paths are read from is the inventory's, and the screen names it.
    expect(frame()).toContain(`Relative paths from ${dir}`);
    await type(stdin, 'y', keys.enter);
    await until(() => frame().includes('Not taken:'), 'the refusal');
    expect(frame()).toContain(`${join(dir, 'y')} does not exist`);
    // Still the same question, with the path to correct; nothing in the journal.
    expect(frame()).toMatch(/File the CA returned: y/);
    expect(frame()).not.toContain('Checkpoint failed');
    expect(session.state.steps['S095']?.history ?? []).toEqual([]);
    await type(stdin, keys.backspace, 'certs', keys.enter);
    await until(() => frame().includes('is a folder, not a regular file'), 'a folder refused');
    expect(session.state.steps['S095']?.history ?? []).toEqual([]);
    // us-cmm.cer is only in the inventory's folder (the process runs elsewhere): it is taken.
    expect(process.cwd()).not.toBe(dir);
    await type(stdin, ...erase('certs'.length), 'us-cmm.cer', keys.enter);
    await until(() => frame().includes('CSR it answers (Enter: us-cmm-certcsr.pem):'), 'the CSR question');
  });

  it('a failed check shows the verdict table per certificate; r keeps the paths given; Tab completes files and folders', async () => {
    const { stdin, frame, session, c } = await app(planOf('S095'));
    await type(stdin, 'd');
    await until(() => frame().includes('File the CA returned:'), 'the certificate question');
    await type(stdin, 'wrong.cer', keys.enter);
    await until(() => frame().includes('CSR it answers'), 'the CSR question');
    await type(stdin, keys.enter);
    await until(() => frame().includes('Chain files'), 'the chain question');
    await type(stdin, 'chain.pem', keys.enter);
    await until(() => frame().includes('Checkpoint failed · S095'), 'the failed checkpoint', 10_000);
    // cert check's table: a title row per certificate with its counts, then one row per verdict.
    expect(frame()).toMatch(new RegExp(`cmm/server · ${join(dir, 'wrong.cer').replace(/[/.]/g, '\\$&')}: NOT OK: \\d+ failed, \\d+ warning\\(s\\), \\d+ passed`));
    expect(frame()).toMatch(/^│ {3}FAIL {2}subject-cn +CN is other\.ent-pa\.com/m);
    expect(frame()).toMatch(/^│ {3}PASS {2}csr-match +public key matches/m);
    // Not the one-paragraph summary.
    expect(frame()).not.toContain('certificate check of S095:');
    expect(session.status('S095')).toBe('failed');

    await type(stdin, 'r');
    await until(() => frame().includes('File the CA returned: wrong.cer'), 'the file given before, pre-filled');
    // Tab: a unique match completes; a folder gets its "/"; several list their names.
    await type(stdin, ...erase('wrong.cer'.length), 'us-cmm.c', '\t');
    await until(() => frame().includes('File the CA returned: us-cmm.cer'), 'a completed file name');
    await type(stdin, ...erase('us-cmm.cer'.length), 'cer', '\t');
    await until(() => frame().includes('File the CA returned: certs/'), 'a completed folder');
    await type(stdin, '\t');
    await until(() => frame().includes('File the CA returned: certs/us-cmm-copy.cer'), 'a file in the folder');
    await type(stdin, ...erase('certs/us-cmm-copy.cer'.length), 'us-cmm', '\t');
    await until(() => /2 matches: us-cmm-certcsr\.pem {2}us-cmm\.cer/.test(frame()), 'the matches listed');
    expect(frame()).toContain('File the CA returned: us-cmm');
    await type(stdin, '.cer', keys.enter);
    await until(() => frame().includes('CSR it answers (Enter: us-cmm-certcsr.pem):'), 'the CSR question');
    await type(stdin, keys.enter);
    // The chain given before is kept: Enter takes it again.
    await until(() => frame().includes('Chain files, space-separated (Enter: none): chain.pem'), 'the chain kept');
    await type(stdin, keys.enter);
    await until(() => session.status('S095') === 'verified', 'verified with the corrected file', 10_000);
    expect(c.getView().mode.kind).toBe('finished');
  });

  it('a missing issuer is asked for with the screen’s keys, not with a flag', async () => {
    const { stdin, frame, frames } = await app(planOf('S095'));
    await type(stdin, 'd');
    await until(() => frame().includes('File the CA returned:'), 'the certificate question');
    await type(stdin, 'us-cmm.cer', keys.enter);
    await until(() => frame().includes('CSR it answers'), 'the CSR question');
    await type(stdin, keys.enter);
    await until(() => frame().includes('Chain files'), 'the chain question');
    // No chain: root.pem holds the root only, so the issuing CA is missing.
    await type(stdin, keys.enter);
    await until(() => frame().includes('Checkpoint failed · S095'), 'the failed checkpoint', 10_000);
    expect(frame()).toMatch(/FAIL {2}chain +chain incomplete/);
    // The row is cut at the terminal's width; the journal keeps it whole.
    expect(frames.join('\n')).not.toMatch(/--(chain|csr|cert|checkpoint-passed)\b/);
    expect(frame()).toContain('r retry the checkpoint');
  });

  it('a root file the inventory names that is missing is named (field and path) and fails the check: no "verified" without a chain check', async () => {
    const { stdin, frame, session } = await app(planOf('S095'), gapInventory);
    await type(stdin, 'd');
    await until(() => frame().includes('File the CA returned:'), 'the certificate question');
    await type(stdin, 'us-cmm.cer', keys.enter);
    await until(() => frame().includes('CSR it answers'), 'the CSR question');
    await type(stdin, keys.enter);
    await until(() => frame().includes('Chain files'), 'the chain question');
    await type(stdin, 'chain.pem', keys.enter);
    await until(() => frame().includes('Checkpoint failed · S095'), 'the failed checkpoint', 10_000);
    expect(session.status('S095')).toBe('failed');
    const texts = (session.state.steps['S095']?.history.at(-1)?.checkpoint?.details ?? []).map((d) => d.text ?? '');
    expect(texts).toContainEqual(expect.stringMatching(/^FAIL chain: chains to .*ENT-PA Root CA.*the file named by the inventory is missing: ca\.enterprise\.rootCertFile is missing-root\.pem \(/));
    expect(texts.join('\n')).not.toContain('names no');
    expect(frame()).toMatch(/FAIL {2}chain +chains to/);
  });
});

describe('signing checks name the CSR the certificate answers', () => {
  it('every certificate checkpoint of a step that installs nothing (manual or local) names its CSR, so the key match is checked', () => {
    const without = lp.plan.steps
      .filter((s) => (s.kind === 'manual' || s.kind === 'local') && (s.checkpoint.certificate !== undefined || s.actions.some((a) => a.checkpoint?.certificate !== undefined)))
      .filter((s) => [s.checkpoint, ...s.actions.map((a) => a.checkpoint)].every((cp) => cp?.csr === undefined))
      .map((s) => s.id);
    expect(without).toEqual([]);
    expect(lp.plan.steps.find((s) => s.id === 'S007')?.checkpoint.csr).toBe('ask');
  });
});
