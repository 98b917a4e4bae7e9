// `collabsec lab` serves TLS for the nodes the plan probes (issue 22): CMM, TMS, PCP and PCD's
// tomcat answer on 127.0.0.1 (the lab inventory's tlsPorts), self-signed until the operator's
// install and the product's restart (TMS: its IIS binding), then with the lab CA's certificate; a
// test can swap in a wrong one. A live verify (livePorts' verifyStep, as `run --live` wires it) against the lab.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadInventory, type LoadedInventory } from '../../src/inventory/load.js';
import { startLab, type Lab } from '../../src/lab/lab.js';
import { makeCsr, newKeyPair, privateKeyPem } from '../../src/lab/pki.js';
import { loadPlan } from '../../src/plan/load-plan.js';
import type { Plan, PlannedStep } from '../../src/plan/types.js';
import { livePorts, type LivePorts } from '../../src/wizard/live.js';
import { inventoryTargets } from '../../src/wizard/reach.js';
import { tlsPort } from '../../src/wizard/live-tls.js';

let lab: Lab;
let plan: Plan;
let inv: LoadedInventory;
let live: LivePorts;
beforeAll(async () => {
  lab = await startLab({ bannerMs: 0, restartMs: 20 });
  const lp = loadPlan(lab.inventoryFile);
  plan = lp.plan;
  inv = loadInventory(lab.inventoryFile);
  live = livePorts({
    plan,
    credentials: new Map(),
    ...inventoryTargets(lp.topology),
    pasteDir: lp.loaded.dir,
    knownHostsFile: lab.knownHostsFile,
    transcriptDir: join(lab.dir, 'transcripts'),
    transcriptRoot: lab.dir,
    confirmHostKey: () => Promise.resolve(false),
    tls: { inventory: lp.loaded, timeoutMs: 5_000 },
  });
}, 120_000);
afterAll(async () => {
  await live?.close();
  await lab?.close();
});

const step = (id: string): PlannedStep => plan.steps.find((s) => s.id === id)!;
const service = (node: string) => lab.tls.find((t) => t.node === node)!;

describe('the lab serves TLS where the plan probes', () => {
  it('the lab inventory points each probed port at its service on 127.0.0.1', () => {
    for (const [id, node] of [['S097', 'us-cmm'], ['S105', 'us-tms1'], ['S106', 'us-tms1'], ['S112', 'us-pcd'], ['S116', 'us-pcp']] as const) {
      expect(step(id).checkpoint.tls, id).toEqual([expect.objectContaining({ host: '127.0.0.1', port: service(node).port })]);
    }
  });

  it('PCP: self-signed until the upload and the Apache restart, then passes; a swapped-in wrong certificate fails', async () => {
    expect((await live.verifyStep(step('S116'))).outcome).toBe('failed');
    for (const id of ['S113', 'S114', 'S115']) await lab.operator.before(step(id));
    // Uploaded, not yet restarted: still the self-signed one.
    const before = await live.verifyStep(step('S116'));
    expect(before).toMatchObject({ method: 'automatic', outcome: 'failed' });
    expect(before.details![0]!.text).toMatch(/self-signed/);
    await lab.operator.before(step('S116'));
    const after = await live.verifyStep(step('S116'));
    expect(after, after.summary).toMatchObject({ method: 'automatic', outcome: 'passed' });
    expect(after.details![0]!.text).toMatch(/presents SHA-256 [0-9A-F:]+; chain CN=us-pcp\.ent-pa\.com → CN=.*\(lab\)/);
    for (const [kind, why] of [['expired', /validity: expired/], ['wrong-san', /subject-cn: CN is elsewhere/], ['self-signed', /self-signed/], ['other-ca', /chain: chains to CN=Stranger Root CA/]] as const) {
      await service('us-pcp').swap(kind);
      const r = await live.verifyStep(step('S116'));
      expect(r.outcome, kind).toBe('failed');
      expect(r.details![0]!.text, kind).toMatch(why);
    }
  });

  it('CMM: the key and CSR of S093/S094, signed in S095, uploaded in S096, served after the S097 restart', async () => {
    const host = 'us-cmm';
    const keys = await newKeyPair();
    await mkdir(lab.operator.workdir, { recursive: true });
    await writeFile(join(lab.operator.workdir, `${host}-privatekey.pem`), await privateKeyPem(keys));
    await writeFile(join(lab.operator.workdir, `${host}-certcsr.pem`), await makeCsr(`CN=${host}.ent-pa.com`, keys, [`${host}.ent-pa.com`]));
    const probe = tlsPort({ inventory: inv, timeoutMs: 5_000 });
    for (const id of ['S095', 'S096']) await lab.operator.before(step(id));
    expect((await probe.verify(step('S097'))).outcome).toBe('failed');
    await lab.operator.before(step('S097'));
    const r = await probe.verify(step('S097'));
    expect(r.outcome, r.summary).toBe('passed');
  });

  it('TMS: self-signed until the IIS binding of S105, which is served at once (S105 and S106 pass); a wrong certificate fails', async () => {
    const host = 'us-tms1';
    const keys = await newKeyPair();
    await mkdir(lab.operator.workdir, { recursive: true });
    await writeFile(join(lab.operator.workdir, `${host}-privatekey.pem`), await privateKeyPem(keys));
    await writeFile(join(lab.operator.workdir, `${host}-certcsr.pem`), await makeCsr(`CN=${host}.ent-pa.com`, keys, [`${host}.ent-pa.com`]));
    const before = await live.verifyStep(step('S105'));
    expect(before.outcome).toBe('failed');
    expect(before.details![0]!.text).toMatch(/self-signed/);
    // Signed (S100), imported and selected on Windows (S102–S104: nothing the port shows): still self-signed.
    await lab.operator.before(step('S100'));
    expect((await live.verifyStep(step('S105'))).outcome).toBe('failed');
    expect(await lab.operator.before(step('S105'))).toEqual([`${host}: ${host}.cer bound; served from the next handshake`]);
    const bound = await live.verifyStep(step('S105'));
    expect(bound, bound.summary).toMatchObject({ method: 'automatic', outcome: 'passed' });
    expect(bound.details![0]!.text).toMatch(/chain CN=us-tms1\.ent-pa\.com → CN=.*\(lab\)/);
    await lab.operator.before(step('S106'));
    expect((await live.verifyStep(step('S106'))).outcome).toBe('passed');
    for (const kind of ['other-ca', 'wrong-san'] as const) {
      await service(host).swap(kind);
      expect((await live.verifyStep(step('S105'))).outcome, kind).toBe('failed');
    }
  });

  it('PCD: tomcat serves its own certificate as of the last Cisco Tomcat restart', async () => {
    const probe = tlsPort({ inventory: inv, timeoutMs: 5_000 });
    const r = await probe.verify(step('S112'));
    // Before S109–S112 the PCD tomcat certificate is the self-signed one VOS generated.
    expect(r.outcome).toBe('failed');
    expect(r.details![0]!.text).toMatch(/self-signed/);
  });
});
