// File checks of the local steps (issue 22, checkpoint.files) on the example plan's own steps,
// against real keys, CSRs, certificates and PKCS#12 bundles made in a temp work folder: each check
// passes on the right file and fails on a wrong one (other key, wrong names, wrong mode, garbage,
// empty, missing, wrong export password), and the export password is never on a command line.
import { chmod, rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadInventory, type LoadedInventory } from '../../src/inventory/load.js';
import { loadPlan } from '../../src/plan/load-plan.js';
import type { PlannedStep } from '../../src/plan/types.js';
import { runLocal } from '../../src/transport/local.js';
import { expectationFor } from '../../src/verify/cert/expectations.js';
import { loadRoleTable, type Role } from '../../src/verify/cert/roles.js';
import { checkLocalFiles, hasFileChecks, type LocalFilesOptions } from '../../src/wizard/local-files.js';
import { expectationNode } from '../../src/wizard/certificate-checkpoint.js';
import { hasAutomaticCheck } from '../../src/wizard/reach.js';
import { makeFixture, type Fixture } from '../cert/fixture.js';
import { csr, ecKeys, leaf, pem, privateKeyPem, put, rsaKeys, tempDir } from '../cert/pki.js';

const { plan } = loadPlan('examples/ent-pa.yaml');
const stepOf = (id: string): PlannedStep => plan.steps.find((s) => s.id === id)!;
const PASSWORD = 'Exp0rt-s3cret';

let f: Fixture;
let roles: Role[];
let inventory: LoadedInventory;
let work: string;
/** The names cmm/server and tms/server expect in the example (CN first). */
const names: Record<string, string[]> = {};

beforeAll(async () => {
  f = await makeFixture();
  roles = await loadRoleTable();
  inventory = loadInventory('examples/ent-pa.yaml');
  work = await tempDir('collabsec-files-');
  for (const id of ['cmm/server', 'tms/server', 'pcp/server']) {
    const exp = expectationFor(inventory.inventory, roles.find((r) => r.id === id)!);
    const cn = exp.cn ?? exp.cnOneOf![0]!;
    names[id] = [...new Set([cn, ...exp.sans.map((s) => s.name)])];
  }
}, 30_000);
afterAll(() => rm(work, { recursive: true, force: true }));

const opts = (o: Partial<LocalFilesOptions> = {}): LocalFilesOptions => ({ inventory, roles, workdir: work, ...o });
const key0600 = async (name: string, text: string) => {
  const p = await put(work, name, text);
  await chmod(p, 0o600);
  return p;
};
const failures = (r: Awaited<ReturnType<typeof checkLocalFiles>>) => r.details?.filter((d) => d.outcome !== 'passed').map((d) => d.text) ?? [];

describe('which steps have file checks', () => {
  it('the local key, CSR and PKCS#12 steps and the CSR downloads (CUCM/IM&P, Expressway, Meeting Server, PCD, PCP), each an automatic check', () => {
    const withFiles = plan.steps.filter(hasFileChecks).map((s) => s.id);
    expect(withFiles).toEqual(['S005', 'S050', 'S082', 'S093', 'S094', 'S098', 'S099', 'S101', 'S108', 'S113']);
    for (const id of withFiles) expect(hasAutomaticCheck(stepOf(id)), id).toBe(true);
  });
});

describe('key (S093)', () => {
  it('a 2048-bit RSA key, owner-only, passes', async () => {
    await key0600('us-cmm-privatekey.pem', await privateKeyPem(f.leafKeys));
    const r = await checkLocalFiles(stepOf('S093'), opts());
    expect(r.outcome, r.summary).toBe('passed');
    expect(r.method).toBe('automatic');
    expect(r.details?.map((d) => d.text)).toEqual(['us-cmm-privatekey.pem: RSA 2048-bit private key', 'us-cmm-privatekey.pem is owner-only (mode 0600)']);
  });

  it('readable by others, too short, not RSA, not a key, garbage, empty or missing: fails, saying which', async () => {
    const cases: [string, () => Promise<unknown>, RegExp][] = [
      ['mode', async () => chmod(await key0600('us-cmm-privatekey.pem', await privateKeyPem(f.leafKeys)), 0o644), /readable by others \(mode 0644\); chmod 600/],
      ['short', async () => key0600('us-cmm-privatekey.pem', await privateKeyPem(await rsaKeys(1024))), /RSA key of 1024 bits; at least 2048/],
      ['ec', async () => key0600('us-cmm-privatekey.pem', await privateKeyPem(await ecKeys())), /is a ec key; the Preferred Architecture uses RSA keys only/],
      ['csr', async () => key0600('us-cmm-privatekey.pem', pem(await csr({ cn: 'x', keys: f.leafKeys }))), /holds a certificate signing request \(CSR\), not an unencrypted private key/],
      ['garbage', async () => key0600('us-cmm-privatekey.pem', 'not a key\n'), /not an unencrypted private key/],
      ['empty', async () => key0600('us-cmm-privatekey.pem', ''), /holds nothing \(the file is empty\)/],
      ['missing', () => rm(`${work}/us-cmm-privatekey.pem`), /us-cmm-privatekey\.pem is not in the work folder/],
    ];
    for (const [what, setUp, message] of cases) {
      await setUp();
      const r = await checkLocalFiles(stepOf('S093'), opts());
      expect(r.outcome, what).toBe('failed');
      expect(failures(r).join('\n'), what).toMatch(message);
    }
  });
});

describe('CSR (S094, S113)', () => {
  beforeAll(async () => {
    await key0600('us-cmm-privatekey.pem', await privateKeyPem(f.leafKeys));
  });

  it('the CSR with the names S095 checks, made from S093\'s key, passes', async () => {
    await put(work, 'us-cmm-certcsr.pem', pem(await csr({ cn: names['cmm/server']![0]!, sans: names['cmm/server'], keys: f.leafKeys, eku: null, ku: null })));
    const r = await checkLocalFiles(stepOf('S094'), opts());
    expect(r.outcome, r.summary).toBe('passed');
    expect(r.details?.map((d) => d.text)).toContain('us-cmm-certcsr.pem was made from us-cmm-privatekey.pem');
  });

  it('made from another key, with another name, a certificate instead, garbage or empty: fails', async () => {
    const cmm = names['cmm/server']!;
    const cases: [string, string, RegExp][] = [
      ['other key', pem(await csr({ cn: cmm[0]!, sans: cmm, keys: f.otherKeys, eku: null, ku: null })), /was not made from us-cmm-privatekey\.pem: its public key differs/],
      ['wrong SAN', pem(await csr({ cn: 'other.ent-pa.com', sans: ['other.ent-pa.com'], keys: f.leafKeys, eku: null, ku: null })), /us-cmm-certcsr\.pem subject-cn: CN is .*other\.ent-pa\.com/],
      ['certificate', pem(await leaf(f.entCa, { cn: cmm[0]!, sans: cmm, keys: f.leafKeys })), /holds an X\.509 certificate, not a certificate signing request/],
      ['garbage', 'garbage\n', /not a certificate signing request/],
      ['empty', '', /holds nothing \(the file is empty\), not a certificate signing request/],
    ];
    for (const [what, text, message] of cases) {
      await put(work, 'us-cmm-certcsr.pem', text);
      const r = await checkLocalFiles(stepOf('S094'), opts());
      expect(r.outcome, what).toBe('failed');
      expect(failures(r).join('\n'), what).toMatch(message);
    }
  });

  it('S113: the downloaded PCP CSR is checked for pcp/server\'s names (no key: it stays on PCP)', async () => {
    const pcp = names['pcp/server']!;
    await put(work, 'us-pcp.csr', pem(await csr({ cn: pcp[0]!, sans: pcp, keys: f.otherKeys, eku: null, ku: null })));
    expect((await checkLocalFiles(stepOf('S113'), opts())).outcome).toBe('passed');
    await put(work, 'us-pcp.csr', pem(await csr({ cn: 'us-pcd.ent-pa.com', sans: ['us-pcd.ent-pa.com'], keys: f.otherKeys, eku: null, ku: null })));
    expect((await checkLocalFiles(stepOf('S113'), opts())).outcome).toBe('failed');
  });
});

describe('downloaded CSRs (S005, S082, S108)', () => {
  /** The names `roleId` expects (CN first) for the expectation node of `target`, as the check takes them. */
  const namesOf = (roleId: string, target?: string): string[] => {
    const role = roles.find((r) => r.id === roleId)!;
    const exp = expectationFor(inventory.inventory, role, target === undefined ? undefined : expectationNode(inventory.inventory, role, target));
    const cn = exp.cn ?? exp.cnOneOf![0]!;
    return [...new Set([cn, ...exp.sans.map((s) => s.name)])];
  };
  const csrFor = async (names: string[], keys = f.otherKeys) => pem(await csr({ cn: names[0]!, sans: names, keys, eku: null, ku: null }));

  it('S005: each publisher\'s two multi-server CSRs, checked against its own roles; one wrong or missing file fails', async () => {
    const units = [
      ['tomcat', 'cucm/tomcat', 'us-cm-pub'],
      ['CallManager', 'cucm/callmanager', 'us-cm-pub'],
      ['cup-xmpp', 'imp/cup-xmpp', 'us-imp-pub'],
      ['cup-xmpp-s2s', 'imp/cup-xmpp-s2s', 'us-imp-pub'],
    ] as const;
    for (const [unit, role, target] of units) await put(work, `${unit}.csr`, await csrFor(namesOf(role, target)));
    const r = await checkLocalFiles(stepOf('S005'), opts());
    expect(r.outcome, r.summary).toBe('passed');
    expect(new Set(r.details!.map((d) => d.target))).toEqual(new Set(['us-cm-pub', 'us-imp-pub']));
    // The IM and Presence CSR saved under the Unified CM name: cup-xmpp's names are not tomcat's.
    await put(work, 'tomcat.csr', await csrFor(namesOf('imp/cup-xmpp', 'us-imp-pub')));
    const wrong = await checkLocalFiles(stepOf('S005'), opts());
    expect(wrong.outcome).toBe('failed');
    expect(wrong.details!.filter((d) => d.outcome === 'failed').every((d) => d.target === 'us-cm-pub' && (d.text ?? '').startsWith('tomcat.csr '))).toBe(true);
    await rm(`${work}/tomcat.csr`);
    expect(failures(await checkLocalFiles(stepOf('S005'), opts())).join('\n')).toMatch(/tomcat\.csr is not in the work folder/);
  });

  it('S082: the Meeting Server CSRs name cms/shared and cms/dbclient and were made from the keys fetched with them', async () => {
    await key0600('CAsignedCluster.key', await privateKeyPem(f.leafKeys));
    await key0600('dbclusterclient.key', await privateKeyPem(f.otherKeys));
    await put(work, 'CAsignedCluster.csr', await csrFor(namesOf('cms/shared'), f.leafKeys));
    await put(work, 'dbclusterclient.csr', await csrFor(namesOf('cms/dbclient'), f.otherKeys));
    const r = await checkLocalFiles(stepOf('S082'), opts());
    expect(r.outcome, r.summary).toBe('passed');
    expect(r.details?.map((d) => d.text)).toContain('dbclusterclient.csr was made from dbclusterclient.key');
    // The shared CSR from the database client's key (the files of two runs mixed up).
    await put(work, 'CAsignedCluster.csr', await csrFor(namesOf('cms/shared'), f.otherKeys));
    const r2 = await checkLocalFiles(stepOf('S082'), opts());
    expect(r2.outcome).toBe('failed');
    expect(failures(r2).join('\n')).toMatch(/CAsignedCluster\.csr was not made from CAsignedCluster\.key/);
  });

  it('S108: the tomcat CSR PCD printed, saved as <host>-tomcat.csr, names pcd/tomcat; a truncated paste or another node\'s CSR fails', async () => {
    const good = await csrFor(namesOf('pcd/tomcat'));
    await put(work, 'us-pcd-tomcat.csr', good);
    expect((await checkLocalFiles(stepOf('S108'), opts())).outcome).toBe('passed');
    // Copied off the terminal without its END line.
    await put(work, 'us-pcd-tomcat.csr', good.split('\n').slice(0, -3).join('\n'));
    expect(failures(await checkLocalFiles(stepOf('S108'), opts())).join('\n')).toMatch(/not a certificate signing request/);
    await put(work, 'us-pcd-tomcat.csr', await csrFor(namesOf('pcp/server')));
    const r = await checkLocalFiles(stepOf('S108'), opts());
    expect(r.outcome).toBe('failed');
    expect(failures(r).join('\n')).toMatch(/us-pcd-tomcat\.csr subject-cn: CN is .*us-pcp\.ent-pa\.com/);
  });
});

describe('PKCS#12 (S101)', () => {
  const tms = () => names['tms/server']!;
  beforeAll(async () => {
    await key0600('us-tms1-privatekey.pem', await privateKeyPem(f.leafKeys));
    await put(work, 'us-tms1.cer', pem(await leaf(f.entCa, { cn: tms()[0]!, sans: tms(), keys: f.leafKeys })));
    await key0600('other-key.pem', await privateKeyPem(f.otherKeys));
    await put(work, 'other.cer', pem(await leaf(f.rogueRoot, { cn: tms()[0]!, sans: tms(), keys: f.otherKeys })));
  }, 30_000);
  /** The bundle as S101 makes it: openssl with the export password on fd 3. */
  const bundle = async (keyFile: string, certFile: string, password = PASSWORD) => {
    await rm(`${work}/us-tms1-cert-key.p12`, { force: true });
    await runLocal(`openssl pkcs12 -export -inkey ${keyFile} -in ${certFile} -out us-tms1-cert-key.p12 -name us-tms1-cert-key`, { cwd: work, password });
  };

  it('opens with the export password and holds S098\'s key with S100\'s certificate', async () => {
    await bundle('us-tms1-privatekey.pem', 'us-tms1.cer');
    const r = await checkLocalFiles(stepOf('S101'), opts({ exportPassword: PASSWORD }));
    expect(r.outcome, r.summary).toBe('passed');
    expect(r.details?.map((d) => d.text)).toEqual([
      'us-tms1-cert-key.p12 opens with the export password (1 key(s), 1 certificate(s))',
      'us-tms1-cert-key.p12 holds the key of us-tms1-privatekey.pem',
      'us-tms1-cert-key.p12 holds the certificate of us-tms1.cer',
      'the certificate in us-tms1-cert-key.p12 matches its key',
    ]);
    // The password typed for the run (the wizard's) works as well as the environment's.
    expect((await checkLocalFiles(stepOf('S101'), opts(), PASSWORD)).outcome).toBe('passed');
    expect(JSON.stringify(r)).not.toContain(PASSWORD);
  });

  it('a wrong export password fails; none leaves it unknown, saying how to give it', async () => {
    await bundle('us-tms1-privatekey.pem', 'us-tms1.cer');
    const wrong = await checkLocalFiles(stepOf('S101'), opts({ exportPassword: 'not-it' }));
    expect(wrong.outcome).toBe('failed');
    expect(failures(wrong).join('\n')).toMatch(/does not open with the export password/);
    const none = await checkLocalFiles(stepOf('S101'), opts());
    expect(none.outcome).toBe('unknown');
    expect(none.summary).toMatch(/set COLLABSEC_EXPORT_PASSWORD/);
  });

  it('a bundle of another key and certificate (another CA), garbage or empty fails', async () => {
    await bundle('other-key.pem', 'other.cer');
    const other = await checkLocalFiles(stepOf('S101'), opts({ exportPassword: PASSWORD }));
    expect(other.outcome).toBe('failed');
    expect(failures(other)).toEqual(['us-tms1-cert-key.p12 does not hold the key of us-tms1-privatekey.pem (alone)', 'us-tms1-cert-key.p12 does not hold the certificate of us-tms1.cer']);
    for (const [what, text] of [['garbage', 'garbage'], ['empty', '']] as const) {
      await put(work, 'us-tms1-cert-key.p12', text);
      const r = await checkLocalFiles(stepOf('S101'), opts({ exportPassword: PASSWORD }));
      expect(r.outcome, what).toBe('failed');
      expect(failures(r).join('\n'), what).toMatch(/does not open with the export password/);
    }
  });
});

describe('file names', () => {
  it('a name that leaves the work folder is refused, never read', async () => {
    const s = stepOf('S093');
    const escaping: PlannedStep = { ...s, checkpoint: { ...s.checkpoint, files: [{ kind: 'key', file: '../us-cmm-privatekey.pem' }] } };
    const r = await checkLocalFiles(escaping, opts());
    expect(r.outcome).toBe('failed');
    expect(r.summary).toContain('../us-cmm-privatekey.pem is not a plain file name in the work folder');
  });
});
