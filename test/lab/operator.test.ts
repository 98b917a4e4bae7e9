// The whole lab (every SSH node of the example) and its operator: each node type answers the
// commands the plan sends it, the operator's CA signs what the devices printed so that the role's
// certificate check passes, and the GUI-only effects make the steps' verification parsers pass.
// Real ssh2 servers on 127.0.0.1, no mocks.
import { existsSync, readFileSync } from 'node:fs';
import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadInventory, type LoadedInventory } from '../../src/inventory/load.js';
import { startLab, type Lab } from '../../src/lab/lab.js';
import { makeCsr, newKeyPair } from '../../src/lab/pki.js';
import { loadPlan } from '../../src/plan/load-plan.js';
import type { Plan, PlannedStep } from '../../src/plan/types.js';
import { checkFiles } from '../../src/verify/cert/check-files.js';
import { findRole, loadRoleTable, type Role } from '../../src/verify/cert/roles.js';
import { parsers } from '../../src/verify/parsers/index.js';
import { checkLocalFiles } from '../../src/wizard/local-files.js';
import { activateService, createControlCenterClient } from '../../src/transport/controlcenter/index.js';
import { tlsPinStore } from '../../src/transport/tls-pins.js';
import { cmd, openShell, type Shell } from './helpers.js';
import { verifications } from '../../src/plan/verifications.js';

let lab: Lab;
let plan: Plan;
let inv: LoadedInventory;
let roles: Role[];
beforeAll(async () => {
  lab = await startLab({ bannerMs: 0, restartMs: 20 });
  plan = loadPlan(lab.inventoryFile).plan;
  inv = loadInventory(lab.inventoryFile);
  roles = await loadRoleTable();
}, 120_000);
afterAll(async () => {
  await lab?.close();
});

const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;
const step = (id: string): PlannedStep => plan.steps.find((s) => s.id === id)!;
const device = (name: string) => lab.devices.find((d) => d.name === name)!;
const pem = (file: string) => readFileSync(file, 'utf8').trim().split('\n');

async function login(name: string): Promise<Shell> {
  const d = device(name);
  const k = d.product === 'ios' ? 'ios' : d.product === 'cms' ? 'mmp' : 'vos';
  const c = inv.inventory.credentials[k]!;
  return openShell(d.port, { username: c.username, password: lab.env[c.passwordEnv!]! });
}

/** A VOS session with pagination off; `run` returns a command's output without ANSI. */
async function vos(name: string): Promise<{ sh: Shell; run: (line: string) => Promise<string> }> {
  const sh = await login(name);
  await sh.expect(/admin:$/, 10_000);
  const run = async (line: string) => (await cmd(sh, line, /admin:$/)).replace(ANSI, '').replace(/\r/g, '');
  await run('set cli pagination off');
  return { sh, run };
}

/** The step's own verification, parsed as the wizard parses it. */
function verify(id: string, output: string, target?: string) {
  const s = step(id);
  const v = verifications(s.actions.find((a) => a.target === target)?.checkpoint ?? s.checkpoint)[0]!;
  return parsers[v.parser]!(output, v.args ?? {});
}

async function certCheck(roleId: string, file: string, node?: string, csrFile?: string) {
  const report = await checkFiles({ file, role: findRole(roles, roleId)!, inventory: inv, node, csrFile });
  return report.verdicts.filter((v) => v.status === 'fail').map((v) => `${v.check}: ${v.message}`);
}

describe('the lab', () => {
  it('simulates every node a plan action or verification names, on 127.0.0.1', () => {
    const names = new Set(lab.devices.map((d) => d.name));
    const missing: string[] = [];
    for (const s of plan.steps)
      for (const a of s.actions) {
        const verified = (a.checkpoint?.verify ?? s.checkpoint.verify) !== undefined;
        if ((a.host !== undefined || verified) && a.target !== 'operator' && !names.has(a.target)) missing.push(`${s.id} ${a.target}`);
        if (a.host !== undefined) expect(a.host).toBe('127.0.0.1');
      }
    expect(missing).toEqual([]);
    expect(readFileSync(lab.knownHostsFile, 'utf8').trim().split('\n')).toHaveLength(lab.devices.length);
  });

  it('IM and Presence, Unity Connection and PCD answer their commands and restart their own services', { timeout: 60_000 }, async () => {
    const imp = await vos('us-imp-sub1');
    const list = await imp.run('utils service list');
    expect(list).toContain('Cisco XCP Connection Manager[STARTED]');
    expect(list).not.toContain('Cisco CallManager');
    for (const svc of ['Cisco Tomcat', 'Cisco XCP Connection Manager', 'Cisco XCP XMPP Federation Connection Manager']) {
      expect(await imp.run(`utils service restart ${svc}`)).toContain(`${svc}[STARTED]`);
    }
    expect(verify('S009', await imp.run('utils service list'), 'us-imp-sub1').ok).toBe(true);
    imp.sh.close();

    const cuc = await vos('us-cuc2');
    expect(await cuc.run('utils service restart Cisco Tomcat')).toContain('Cisco Tomcat[STARTED]');
    expect(verify('S041', await cuc.run('utils service list')).ok).toBe(true);
    cuc.sh.close();

    // IM and Presence is its own cluster: a root imported there is not in Unified CM's trust stores.
    const impPub = await vos('us-imp-pub');
    impPub.sh.line('set cert import trust cup-xmpp');
    await impPub.sh.expect(/Paste the Certificate and Hit Enter/);
    for (const l of pem(lab.caCertFile)) impPub.sh.line(l);
    impPub.sh.line('');
    await impPub.sh.expect(/Successfully imported certificate for cup-xmpp\.[\s\S]*admin:$/);
    expect(verify('S003', await impPub.run('show cert list trust')).ok).toBe(true);
    impPub.sh.close();
    const cm = await vos('us-cm-pub');
    expect(await cm.run('show cert list trust')).not.toContain('cup-xmpp-trust');
    cm.sh.close();
  });

  it('IOS SRST router and every Meeting Server node answer at their own prompts', { timeout: 30_000 }, async () => {
    const srst = await login('US-SRST1');
    await srst.expect(/US-SRST1>$/);
    srst.line('enable');
    await srst.expect(/US-SRST1#$/);
    srst.close();
    for (const n of ['us-acano2', 'us-cmsdb', 'us-cmscb']) {
      const sh = await login(n);
      await sh.expect(new RegExp(`${n}>$`));
      sh.close();
    }
  });
});

describe('the lab operator', () => {
  it('does nothing for steps collabsec runs itself', async () => {
    for (const id of ['S002', 'S022', 'S064', 'S080', 'S093']) expect(await lab.operator.before(step(id))).toEqual([]);
  });

  it('S004/S006/S008: GUI multi-server CSRs, CA-signed per the role table, uploaded to every node the SAN names', { timeout: 60_000 }, async () => {
    const pub = await vos('us-cm-pub');
    expect(verify('S004', await pub.run('show csr list own')).ok).toBe(false);
    await lab.operator.before(step('S004'));
    expect(verify('S004', await pub.run('show csr list own')).ok).toBe(true);
    const impPub = await vos('us-imp-pub');
    expect(await impPub.run('show csr list own')).toMatch(/cup-xmpp\/cup-xmpp\.csr[\s\S]*cup-xmpp-s2s\/cup-xmpp-s2s\.csr/);
    // S005 downloads them with the CLI: what the CA signs is what the publisher shows.
    const shown = await pub.run('show csr own tomcat/tomcat.csr');
    expect(shown).toContain('-----BEGIN CERTIFICATE REQUEST-----');
    // …and saves them as <unit>.csr in the work folder, where S005's file check finds them.
    expect((await checkLocalFiles(step('S005'), { inventory: inv, roles, workdir: lab.operator.workdir })).outcome).toBe('failed');
    await lab.operator.before(step('S005'));
    const saved = await checkLocalFiles(step('S005'), { inventory: inv, roles, workdir: lab.operator.workdir });
    expect(saved.outcome, saved.summary).toBe('passed');

    await lab.operator.before(step('S006'));
    for (const [unit, role] of [['tomcat', 'cucm/tomcat'], ['CallManager', 'cucm/callmanager'], ['cup-xmpp', 'imp/cup-xmpp'], ['cup-xmpp-s2s', 'imp/cup-xmpp-s2s']] as const) {
      const file = join(lab.operator.workdir, `${unit}.pem`);
      const csr = join(lab.operator.workdir, `${unit}.csr`);
      expect(existsSync(csr), `${unit}.csr for S007`).toBe(true);
      expect(await certCheck(role, file, 'us', csr), `${role}`).toEqual([]);
      expect(lab.operator.certificate(role, 'us')?.file).toBe(file);
    }
    expect(readFileSync(join(lab.operator.workdir, 'tomcat.csr'), 'utf8').trim()).toBe(shown.trim());

    expect(verify('S008', await pub.run('show cert list own')).ok).toBe(false);
    await lab.operator.before(step('S008'));
    expect(verify('S008', await pub.run('show cert list own')).ok).toBe(true);
    pub.sh.close();
    impPub.sh.close();
    const sub = await vos('us-cm-tftp1');
    expect(verify('S008', await sub.run('show cert list own')).ok).toBe(true);
    sub.sh.close();
    const impSub = await vos('us-imp-sub1');
    const own = await impSub.run('show cert list own');
    for (const unit of ['tomcat', 'cup-xmpp', 'cup-xmpp-s2s']) expect(parsers['vos-cert-list']!(own, { unit, selfSigned: 'false' }).ok, unit).toBe(true);
    impSub.sh.close();
  });

  it('S021/S029: services deployed through the publisher\'s Control Center Services report STARTED over SSH', { timeout: 60_000 }, async () => {
    const pub = await vos('us-cm-pub');
    expect(verify('S021', await pub.run('utils service list')).ok).toBe(false);
    expect(verify('S029', await pub.run('utils service list')).ok).toBe(false);
    // No operator here: collabsec deploys them (the lab's AXL user has the Serviceability role).
    expect(await lab.operator.before(step('S021'))).toEqual([]);
    const cred = inv.inventory.credentials.axl!;
    const a = step('S021').actions[0]!;
    const client = createControlCenterClient({ node: a.target, host: a.apiEndpoint!.host, port: a.apiEndpoint!.port, username: cred.username, password: lab.env[cred.passwordEnv!]!, pins: tlsPinStore({ file: lab.tlsPinsFile }) });
    try {
      for (const id of ['S021', 'S029']) {
        const [read, write] = step(id).actions[0]!.requests!;
        const r = await activateService(client, { service: read!.subject!, read: { body: read!.body! }, write: { body: write!.body! } }, { pollCount: 400, pollIntervalMs: 25 });
        expect(r.state, r.line).toBe('started');
      }
    } finally {
      client.close();
    }
    const list = await pub.run('utils service list');
    expect(verify('S021', list).ok).toBe(true);
    expect(verify('S029', list).ok).toBe(true);
    expect(lab.controlcenter.find((c) => c.node === 'us-cm-pub')!.service.requests.filter((r) => r.operation === 'soapDoServiceDeployment')).toHaveLength(2);
    await lab.operator.before(step('S027'));
    expect(verify('S027', await pub.run('show cert list trust')).ok).toBe(true);
    pub.sh.close();
  });

  it('S038/S039/S040: Unity Connection multi-server tomcat', { timeout: 30_000 }, async () => {
    await lab.operator.before(step('S038'));
    const cuc = await vos('us-cuc');
    expect(verify('S038', await cuc.run('show csr list own')).ok).toBe(true);
    cuc.sh.close();
    await lab.operator.before(step('S039'));
    const c = lab.operator.certificate('cuc/tomcat')!;
    expect(await certCheck('cuc/tomcat', c.file, undefined, c.csrFile)).toEqual([]);
    await lab.operator.before(step('S040'));
    const cuc2 = await vos('us-cuc2');
    expect(verify('S040', await cuc2.run('show cert list own')).ok).toBe(true);
    cuc2.sh.close();
  });

  /** The S064–S067 (S034) lines on a router, up to the printed CSR; returns the open shell and its prompt. */
  async function enrol(router: string, label: string, tp: string, modulus = 2048): Promise<{ sh: Shell; P: RegExp }> {
    const sh = await login(router);
    const P = new RegExp(`${router}(\\([\\w-]+\\))?[>#]$`);
    await sh.expect(P);
    for (const l of ['enable', 'configure terminal', `crypto key generate rsa general-keys label ${label} modulus ${modulus}`, `crypto pki trustpoint ${tp}`, 'enrollment terminal pem', `subject-name CN=${router}.ent-pa.com`, 'revocation-check none', `rsakeypair ${label}`, 'hash sha256', 'exit']) await cmd(sh, l, P);
    sh.line(`crypto pki authenticate ${tp}`);
    await sh.expect(/on a line by itself/);
    for (const l of pem(lab.caCertFile)) sh.line(l);
    sh.line('quit');
    await sh.expect(/\[yes\/no\]: $/);
    await cmd(sh, 'yes', P);
    sh.line(`crypto pki enroll ${tp}`);
    for (const [q, a] of [[/serial number in the subject name\? \[yes\/no\]: $/, 'no'], [/IP address in the subject name\? \[no\]: $/, 'no'], [/to terminal\? \[yes\/no\]: $/, 'yes'], [/Redisplay enrollment request\? \[yes\/no\]: $/, 'no']] as const) {
      await sh.expect(q);
      sh.line(a);
    }
    await sh.expect(P);
    return { sh, P };
  }

  async function importAndCheck(router: string, tp: string, file: string, sh: Shell, P: RegExp, stepId: string): Promise<void> {
    sh.line(`crypto pki import ${tp} certificate`);
    await sh.expect(/on a line by itself/);
    for (const l of pem(file)) sh.line(l);
    sh.line('');
    await sh.expect(new RegExp(`Router Certificate successfully imported[\\s\\S]*${router}\\(config\\)#$`));
    await cmd(sh, 'end', P);
    expect(verify(stepId, await cmd(sh, `show crypto pki trustpoints ${tp} status`, P)).ok).toBe(true);
    sh.close();
  }

  it('S068: signs the CSR crypto pki enroll printed; the router imports it (S069 check passes)', { timeout: 60_000 }, async () => {
    // ent-pa's CUBE chooses RSA 4096 (ios[0].key): the certificate check requires that key.
    const { sh, P } = await enrol('US-CUBE1', 'CUBE', 'CUBE-Certificate', 4096);
    expect(lab.operator.pasteFile('S069', 'US-CUBE1')).toBeUndefined();
    expect(await lab.operator.before(step('S068'))).toHaveLength(1);
    const file = lab.operator.pasteFile('S069', 'US-CUBE1')!;
    expect(await certCheck('ios/router', file, 'US-CUBE1', join(lab.operator.workdir, 'US-CUBE1.csr'))).toEqual([]);
    await importAndCheck('US-CUBE1', 'CUBE-Certificate', file, sh, P, 'S069');
  });

  it('S034: the SRST router\'s CSR is signed as soon as enroll prints it (enrol and import are one action)', { timeout: 60_000 }, async () => {
    const { sh, P } = await enrol('US-SRST1', 'SRST', 'SRST-Certificate');
    const file = lab.operator.pasteFile('S034', 'US-SRST1')!;
    expect(await certCheck('ios/router', file, 'US-SRST1', join(lab.operator.workdir, 'US-SRST1.csr'))).toEqual([]);
    await importAndCheck('US-SRST1', 'SRST-Certificate', file, sh, P, 'S034');
  });

  it('S109: signs the PCD tomcat CSR; S111 `set cert import own tomcat` takes it, S110 finds the root by its CN', { timeout: 30_000 }, async () => {
    const pcd = await vos('us-pcd');
    // The example's PCD runs 15: `set csr gen` asks the 14SU2 OU question first (A.9), answered as S107 declares.
    pcd.sh.line('set csr gen tomcat');
    await pcd.sh.expect(/Include OU in CSR \(yes\|no\)\? $/);
    expect(await pcd.run('no')).toContain('Successfully Generated CSR for tomcat.');
    // S108: the printed CSR saved as us-pcd-tomcat.csr, which the step's file check reads.
    await lab.operator.before(step('S108'));
    const saved = await checkLocalFiles(step('S108'), { inventory: inv, roles, workdir: lab.operator.workdir });
    expect(saved.outcome, saved.summary).toBe('passed');
    await lab.operator.before(step('S109'));
    const file = lab.operator.pasteFile('S111', 'us-pcd')!;
    expect(await certCheck('pcd/tomcat', file, undefined, join(lab.operator.workdir, 'us-pcd-tomcat.csr'))).toEqual([]);
    for (const [line, f] of [['set cert import trust tomcat', lab.caCertFile], [step('S111').actions[0]!.commands[0]!, file]] as const) {
      pcd.sh.line(line);
      await pcd.sh.expect(/Paste the Certificate and Hit Enter/);
      for (const l of pem(f)) pcd.sh.line(l);
      pcd.sh.line('');
      await pcd.sh.expect(/Successfully imported certificate for tomcat\.[\s\S]*admin:$/);
    }
    expect(verify('S110', await pcd.run('show cert list trust')).ok).toBe(true);
    expect(verify('S111', await pcd.run('show cert list own')).ok).toBe(true);
    pcd.sh.close();
  });

  it('S082–S084: Meeting Server CSRs fetched, signed, and put on every node; the services take the pair', { timeout: 60_000 }, async () => {
    const sh = await login('us-acano1');
    await sh.expect(/us-acano1>$/);
    for (const id of ['S080', 'S081']) expect(await cmd(sh, step(id).actions[0]!.commands[0]!, /us-acano1>$/)).toContain('ready for download via SFTP');
    sh.close();
    await lab.operator.before(step('S082'));
    // S082's file check: the fetched CSRs name the Meeting Server roles and match the fetched keys.
    const fetched = await checkLocalFiles(step('S082'), { inventory: inv, roles, workdir: lab.operator.workdir });
    expect(fetched.outcome, fetched.summary).toBe('passed');
    for (const id of ['S083', 'S084']) await lab.operator.before(step(id));
    const shared = lab.operator.certificate('cms/shared')!;
    expect(shared.file).toBe(join(lab.operator.workdir, 'CAsignedCluster.cer'));
    expect(await certCheck('cms/shared', shared.file, undefined, shared.csrFile)).toEqual([]);
    const db = lab.operator.certificate('cms/dbclient')!;
    expect(await certCheck('cms/dbclient', db.file, undefined, db.csrFile)).toEqual([]);
    for (const n of ['us-acano1', 'us-cmscb']) {
      const s = await login(n);
      const P = new RegExp(`${n}>$`);
      await s.expect(P);
      expect(verify('S084', await cmd(s, 'pki list', P)).ok, n).toBe(true);
      await cmd(s, 'callbridge certs CAsignedCluster.key CAsignedCluster.cer', P);
      expect(await cmd(s, 'callbridge restart', P)).toContain('SUCCESS: Key and certificate pair match');
      s.close();
    }
  });

  it('signs the local openssl CSR (S095), the Expressway CSRs with the right CA (S050/S051), the PCP CSR (S113/S114), and writes the LDAP certificate (S013)', { timeout: 60_000 }, async () => {
    await mkdir(lab.operator.workdir, { recursive: true });
    const keys = await newKeyPair();
    await writeFile(join(lab.operator.workdir, 'us-cmm-certcsr.pem'), await makeCsr('CN=us-cmm.ent-pa.com', keys, ['us-cmm.ent-pa.com']));
    await lab.operator.before(step('S095'));
    const cmm = lab.operator.certificate('cmm/server')!;
    expect(cmm.file).toBe(join(lab.operator.workdir, 'us-cmm.cer'));
    expect(await certCheck('cmm/server', cmm.file, undefined, cmm.csrFile)).toEqual([]);

    await lab.operator.before(step('S050'));
    await lab.operator.before(step('S051'));
    for (const [role, node] of [['expressway-c/server', 'us-expc1'], ['expressway-e/server', 'us-expe2']] as const) {
      const c = lab.operator.certificate(role, node)!;
      expect(await certCheck(role, c.file, node, c.csrFile), `${role} ${node}`).toEqual([]);
    }
    await lab.operator.before(step('S113'));
    await lab.operator.before(step('S114'));
    const pcp = lab.operator.certificate('pcp/server')!;
    expect(await certCheck('pcp/server', pcp.file, undefined, pcp.csrFile)).toEqual([]);

    await lab.operator.before(step('S013'));
    expect(readFileSync(lab.operator.pasteFile('S013', 'us-cm-pub')!, 'utf8')).toContain('-----BEGIN CERTIFICATE-----');
  });
});
