// Every verdict of `checkCertificate` on certificates minted at test time: a good one per role
// family and one certificate per defect, asserting status and message.
import { beforeAll, describe, expect, it } from 'vitest';
import { expectationFor } from '../../src/verify/cert/expectations.js';
import { checkCertificate, type CertCheckInput } from '../../src/verify/cert/report.js';
import { hasFailure, type Report } from '../../src/verify/cert/types.js';
import { D, US_CM, US_IMP, fq, makeFixture, type Fixture } from './fixture.js';
import { EKU, KU, ecKeys, intermediateCa, leaf, csr, rsaKeys, withHash } from './pki.js';

let f: Fixture;
beforeAll(async () => {
  f = await makeFixture();
});

const TOMCAT_CN = `us-cm-pub-ms.${D}`;
const TOMCAT_SANS = [...US_CM, ...US_IMP];

function verdict(r: Report, check: string) {
  const v = r.verdicts.filter((x) => x.check === check);
  expect(v, `verdict ${check} in ${JSON.stringify(r.verdicts, null, 1)}`).toHaveLength(1);
  return v[0]!;
}

async function tomcat(over: Partial<Parameters<typeof leaf>[1]> = {}, input: Partial<CertCheckInput> = {}): Promise<Report> {
  const cert = await leaf(f.entCa, { cn: TOMCAT_CN, sans: TOMCAT_SANS, keys: f.leafKeys, ...over });
  const role = f.role('cucm/tomcat');
  return checkCertificate({
    file: 'tomcat.pem',
    certs: [cert],
    role,
    expectation: expectationFor(f.inv, role),
    chains: [{ file: 'chain.pem', certs: [f.entCa.cert] }],
    anchors: f.anchors,
    ...input,
  });
}

describe('good certificates', () => {
  it('a correct multi-server tomcat passes every check', async () => {
    const r = await tomcat();
    expect(r.verdicts.filter((v) => v.status !== 'pass')).toEqual([]);
    expect(verdict(r, 'key-usage').message).toBe('Key Usage: Digital Signature, Key Encipherment, Data Encipherment (Table 7-10)');
    expect(verdict(r, 'extended-key-usage').message).toBe('Extended Key Usage: TLS Web Server Authentication, TLS Web Client Authentication (Table 7-10)');
    expect(verdict(r, 'subject-cn').message).toBe(`CN is ${TOMCAT_CN}`);
    expect(verdict(r, 'san').message).toContain('all 6 required name(s)');
    expect(verdict(r, 'key').message).toBe('RSA 2048-bit key');
    expect(verdict(r, 'signature').message).toBe('signed with SHA-256');
    expect(verdict(r, 'validity').message).toMatch(/^valid until .* \(364 days\)$/);
    expect(verdict(r, 'wildcard').status).toBe('pass');
    expect(verdict(r, 'chain').message).toBe(
      'verifies to the enterprise root CN=ENT-PA Root CA, O=collabsec test from ca.enterprise.rootCertFile (root.pem): CN=us-cm-pub-ms.ent-pa.com, O=collabsec test → CN=ENT-PA Issuing CA, O=collabsec test → CN=ENT-PA Root CA, O=collabsec test',
    );
    expect(hasFailure(r)).toBe(false);
    expect(r.summary.sans).toContain(`DNS:${fq('us-imp-sub1')}`);
  });

  it('the leaf file may carry its chain after the leaf', async () => {
    const cert = await leaf(f.entCa, { cn: TOMCAT_CN, sans: TOMCAT_SANS, keys: f.leafKeys });
    const role = f.role('cucm/tomcat');
    const r = await checkCertificate({ file: 'full.pem', certs: [cert, f.entCa.cert, f.entRoot.cert], role, anchors: f.anchors });
    expect(r.verdicts.find((v) => v.check === 'chain-order')).toBeUndefined();
    expect(verdict(r, 'chain').status).toBe('pass');
  });

  it('Expressway-E issued by the public CA passes the chain check', async () => {
    const role = f.role('expressway-e/server');
    const exp = expectationFor(f.inv, role, 'us-expe1');
    const cert = await leaf(f.pubCa, { cn: fq('us-expe1'), sans: exp.sans.map((s) => s.name), ku: KU.expressway, keys: f.leafKeys });
    const r = await checkCertificate({ file: 'expe.pem', certs: [cert], role, expectation: exp, chains: [{ file: 'pub.pem', certs: [f.pubCa.cert] }], anchors: f.anchors });
    expect(r.verdicts.filter((v) => v.status !== 'pass')).toEqual([]);
    expect(verdict(r, 'chain').message).toMatch(/^verifies to the public root CN=Public Trust Root/);
  });
});

describe('Key Usage and Extended Key Usage (Tables 7-10, 7-17)', () => {
  it('tomcat without TLS Web Client Authentication fails and says why (L857)', async () => {
    const r = await tomcat({ eku: [EKU.server] });
    const v = verdict(r, 'extended-key-usage');
    expect(v.status).toBe('fail');
    expect(v.message).toBe(
      'Extended Key Usage lacks TLS Web Client Authentication; has TLS Web Server Authentication; required TLS Web Server Authentication, TLS Web Client Authentication (Table 7-10): without TLS Web Client Authentication, server-to-server TLS such as ILS and UDS breaks (L857)',
    );
    expect(hasFailure(r)).toBe(true);
  });

  it('a missing Data Encipherment fails', async () => {
    const r = await tomcat({ ku: KU.expressway });
    expect(verdict(r, 'key-usage')).toEqual({
      check: 'key-usage',
      status: 'fail',
      message: 'Key Usage lacks Data Encipherment; has Digital Signature, Key Encipherment; required Digital Signature, Key Encipherment, Data Encipherment (Table 7-10)',
    });
  });

  it('no Key Usage / no EKU extension at all fails', async () => {
    const r = await tomcat({ ku: null, eku: null });
    expect(verdict(r, 'key-usage').message).toBe('no X509v3 Key Usage extension; cucm/tomcat needs Digital Signature, Key Encipherment, Data Encipherment (Table 7-10)');
    expect(verdict(r, 'extended-key-usage').status).toBe('fail');
    expect(verdict(r, 'extended-key-usage').message).toMatch(/^no X509v3 Extended Key Usage extension; cucm\/tomcat needs TLS Web Server Authentication, TLS Web Client Authentication/);
  });

  it('an extra usage is a warning', async () => {
    const r = await tomcat({ ku: KU.ucm | 2 /* nonRepudiation */ });
    expect(verdict(r, 'key-usage')).toMatchObject({ status: 'warning', message: expect.stringContaining('plus Non Repudiation which the chapter does not list') });
  });

  it('Expressway KU is Table 7-17 (no Data Encipherment needed)', async () => {
    const role = f.role('expressway-c/server');
    const exp = expectationFor(f.inv, role, 'us-expc1');
    const cert = await leaf(f.entCa, { cn: fq('us-expc1'), sans: exp.sans.map((s) => s.name), ku: KU.expressway, keys: f.leafKeys });
    const r = await checkCertificate({ file: 'expc.pem', certs: [cert], role, expectation: exp, chains: [{ file: 'c.pem', certs: [f.entCa.cert] }], anchors: f.anchors });
    expect(verdict(r, 'key-usage').message).toBe('Key Usage: Digital Signature, Key Encipherment (Table 7-17)');
    expect(hasFailure(r)).toBe(false);
  });

  it('CMS database client needs only client authentication (L1351)', async () => {
    const role = f.role('cms/dbclient');
    const cert = await leaf(f.entCa, { cn: 'postgres', keys: f.leafKeys, eku: [EKU.server] });
    const r = await checkCertificate({ file: 'db.cer', certs: [cert], role, expectation: expectationFor(f.inv, role), anchors: f.anchors, chains: [{ file: 'c', certs: [f.entCa.cert] }] });
    expect(verdict(r, 'extended-key-usage').message).toMatch(/^Extended Key Usage lacks TLS Web Client Authentication; has TLS Web Server Authentication; required TLS Web Client Authentication \(L1351\)/);
    expect(verdict(r, 'subject-cn').status).toBe('pass');
  });

  it('CAPF is reference only: checked, with a warning', async () => {
    const role = f.role('cucm/capf');
    const cert = await leaf(f.entCa, { cn: fq('us-cm-pub'), keys: f.leafKeys, ku: 1 | 32, eku: [EKU.server] });
    const r = await checkCertificate({ file: 'capf.pem', certs: [cert], role, expectation: expectationFor(f.inv, role), anchors: f.anchors, chains: [{ file: 'c', certs: [f.entCa.cert] }] });
    expect(verdict(r, 'role')).toMatchObject({ status: 'warning', message: expect.stringContaining('advises keeping CAPF self-signed') });
    expect(verdict(r, 'key-usage').status).toBe('pass');
  });
});

describe('names (Tables 7-6, 7-16; S080)', () => {
  it('a CN without -ms fails', async () => {
    const r = await tomcat({ cn: fq('us-cm-pub') });
    expect(verdict(r, 'subject-cn')).toEqual({ check: 'subject-cn', status: 'fail', message: `CN is us-cm-pub.ent-pa.com; expected ${TOMCAT_CN} for Unified CM cluster us` });
  });

  it('a node missing from the SAN fails, naming it', async () => {
    const r = await tomcat({ sans: TOMCAT_SANS.filter((s) => s !== fq('us-imp-sub1')) });
    const v = verdict(r, 'san');
    expect(v.status).toBe('fail');
    expect(v.message).toMatch(/^SAN lacks us-imp-sub1\.ent-pa\.com \(IM and Presence node\); SAN has us-cm-pub\.ent-pa\.com, /);
  });

  it('CMS shared needs its CN (3.x: the cluster name) as CN and SAN, and every node', async () => {
    const role = f.role('cms/shared');
    const nodes = ['us-acano1', 'us-acano2', 'us-cmsdb', 'us-cmscb'].map(fq);
    const good = await leaf(f.entCa, { cn: 'cms.ent-pa.com', sans: [...nodes, 'cms.ent-pa.com'], keys: f.leafKeys });
    const bad = await leaf(f.entCa, { cn: 'cms.ent-pa.com', sans: nodes, keys: f.leafKeys });
    const exp = expectationFor(f.inv, role);
    const base = { role, expectation: exp, anchors: f.anchors, chains: [{ file: 'c', certs: [f.entCa.cert] }] };
    expect(hasFailure(await checkCertificate({ file: 'good', certs: [good], ...base }))).toBe(false);
    const r = await checkCertificate({ file: 'bad', certs: [bad], ...base });
    expect(verdict(r, 'san').message).toMatch(/^SAN lacks cms\.ent-pa\.com \(the shared certificate CN, also required as SAN \(D-10\)\)/);
  });

  it('Expressway-C without the PSP names fails (MRA on)', async () => {
    const role = f.role('expressway-c/server');
    const cert = await leaf(f.entCa, { cn: fq('us-expc1'), sans: [fq('us-expc1'), 'us-expc.ent-pa.com'], ku: KU.expressway, keys: f.leafKeys });
    const r = await checkCertificate({ file: 'c', certs: [cert], role, expectation: expectationFor(f.inv, role, 'us-expc1'), anchors: f.anchors, chains: [{ file: 'c', certs: [f.entCa.cert] }] });
    const v = verdict(r, 'san');
    expect(v.status).toBe('fail');
    expect(v.message).toContain('UDT-Encrypted-LSC-TFTPenc.ent-pa.com (phone security profile name for MRA (Table 7-16))');
    expect(v.message).toContain('conference-2-us-imp-pub.ent-pa.com (IM and Presence chat node alias (Table 7-16))');
    expect(v.message).not.toContain('UDT-Jabber-SIPOAuth');
  });

  it('wildcards are refused except on CMS, where they warn', async () => {
    const r = await tomcat({ sans: [...TOMCAT_SANS, `*.${D}`] });
    expect(verdict(r, 'wildcard')).toEqual({
      check: 'wildcard',
      status: 'fail',
      message: 'wildcard name *.ent-pa.com: wildcard certificates are not supported for Unified CM and IM and Presence (only CMS accepts them, L397)',
    });
    const role = f.role('cms/shared');
    const cms = await leaf(f.entCa, { cn: `*.${D}`, sans: [`*.${D}`], keys: f.leafKeys });
    const c = await checkCertificate({ file: 'w', certs: [cms], role, anchors: f.anchors, chains: [{ file: 'c', certs: [f.entCa.cert] }] });
    expect(verdict(c, 'wildcard').status).toBe('warning');
  });
});

describe('key, signature, validity', () => {
  it('an RSA 1024 key fails', async () => {
    const small = await rsaKeys(1024);
    const r = await tomcat({ keys: small });
    expect(verdict(r, 'key')).toEqual({ check: 'key', status: 'fail', message: 'RSA key is 1024 bits; at least 2048 bits are required (Key Length ≥ 2048)' });
  });

  it('an EC key fails (the PA is RSA only)', async () => {
    const r = await tomcat({ keys: await ecKeys() });
    expect(verdict(r, 'key').message).toBe('key is EC prime256v1; the Preferred Architecture uses RSA keys only (ECDSA is deliberately excluded)');
  });

  it('a SHA-1 signature fails', async () => {
    const r = await tomcat({ hash: 'SHA-1', signingKey: await withHash(f.entCa.keys, 'SHA-1') });
    expect(verdict(r, 'signature')).toEqual({ check: 'signature', status: 'fail', message: 'signed with SHA-1 (RSASSA-PKCS1-v1_5); SHA-256 or stronger is required (Hash Algorithm SHA256)' });
    expect(verdict(r, 'chain').status).toBe('pass');
  });

  it('expired, not yet valid, and expiring soon', async () => {
    const day = 86_400_000;
    const expired = await tomcat({ notBefore: new Date(Date.now() - 400 * day), notAfter: new Date(Date.now() - 2 * day) });
    expect(verdict(expired, 'validity')).toMatchObject({ status: 'fail', message: expect.stringMatching(/^expired on \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) });
    const future = await tomcat({ notBefore: new Date(Date.now() + 2 * day) });
    expect(verdict(future, 'validity')).toMatchObject({ status: 'fail', message: expect.stringMatching(/^not yet valid: valid from /) });
    const soon = await tomcat({ notAfter: new Date(Date.now() + 10 * day + 3_600_000) });
    expect(verdict(soon, 'validity')).toMatchObject({ status: 'warning', message: expect.stringMatching(/^expires in 10 day\(s\), on .* \(within the 30-day threshold\)$/) });
    const soonButLowThreshold = await tomcat({ notAfter: new Date(Date.now() + 10 * day + 3_600_000) }, { expiryDays: 5 });
    expect(verdict(soonButLowThreshold, 'validity').status).toBe('pass');
  });

  it('a CA certificate given as the server certificate fails', async () => {
    const r = await tomcat({ ca: true });
    expect(verdict(r, 'not-ca')).toMatchObject({ status: 'fail', message: expect.stringContaining('is a CA certificate (Basic Constraints CA:TRUE') });
  });
});

describe('CSR match (--csr)', () => {
  it('passes for the CSR of the same key and fails for another key', async () => {
    const mine = await csr({ cn: TOMCAT_CN, keys: f.leafKeys });
    const other = await csr({ cn: TOMCAT_CN, keys: f.otherKeys });
    const ok = await tomcat({}, { csr: { file: 'tomcat.csr', csr: mine } });
    expect(verdict(ok, 'csr-match')).toEqual({ check: 'csr-match', status: 'pass', message: 'public key matches tomcat.csr' });
    const bad = await tomcat({}, { csr: { file: 'old.csr', csr: other } });
    expect(verdict(bad, 'csr-match')).toEqual({
      check: 'csr-match',
      status: 'fail',
      message: "the certificate's public key differs from the key in old.csr: it was not issued for this CSR (or the CSR was regenerated since)",
    });
  });

  it('warns when the CA dropped a usage the CSR asked for', async () => {
    const asked = await csr({ cn: TOMCAT_CN, keys: f.leafKeys, eku: [EKU.server, EKU.client] });
    const r = await tomcat({ eku: [EKU.server] }, { csr: { file: 'tomcat.csr', csr: asked } });
    expect(verdict(r, 'csr-usages')).toMatchObject({ status: 'warning', message: expect.stringContaining('requested TLS Web Client Authentication but the certificate does not carry it') });
  });
});

describe('chain', () => {
  it('a missing intermediate fails, naming the issuer', async () => {
    const r = await tomcat({}, { chains: [] });
    expect(verdict(r, 'chain')).toEqual({
      check: 'chain',
      status: 'fail',
      message: 'chain incomplete after CN=us-cm-pub-ms.ent-pa.com, O=collabsec test: the issuer of CN=us-cm-pub-ms.ent-pa.com, O=collabsec test (CN=ENT-PA Issuing CA, O=collabsec test) was not supplied; give it with --chain',
    });
  });

  it('without a trusted root an incomplete chain is only a warning', async () => {
    const r = await tomcat({}, { chains: [], anchors: [] });
    expect(verdict(r, 'chain').status).toBe('warning');
    const withChain = await tomcat({}, { anchors: [] });
    expect(verdict(withChain, 'chain')).toMatchObject({ status: 'warning', message: expect.stringContaining('(CN=ENT-PA Root CA, O=collabsec test) was not supplied') });
  });

  it('a chain to another root fails', async () => {
    const rogueCa = await intermediateCa('ENT-PA Issuing CA', f.rogueRoot);
    const cert = await leaf(rogueCa, { cn: TOMCAT_CN, sans: TOMCAT_SANS, keys: f.leafKeys });
    const role = f.role('cucm/tomcat');
    const r = await checkCertificate({ file: 't', certs: [cert], role, chains: [{ file: 'rogue.pem', certs: [rogueCa.cert, f.rogueRoot.cert] }], anchors: f.anchors });
    expect(verdict(r, 'chain').message).toMatch(/^chains to CN=Rogue Root, O=collabsec test, not to the enterprise root CN=ENT-PA Root CA, O=collabsec test that the inventory says is in the trust store/);
  });

  it('an impostor intermediate with the right name but another key fails', async () => {
    const impostor = await intermediateCa('ENT-PA Issuing CA', f.entRoot);
    const r = await tomcat({}, { chains: [{ file: 'chain.pem', certs: [impostor.cert] }] });
    expect(verdict(r, 'chain').message).toContain('has the right name but its key did not sign');
  });

  it('Expressway-E chaining to the enterprise root is a warning (Table 7-5)', async () => {
    const role = f.role('expressway-e/server');
    const exp = expectationFor(f.inv, role, 'us-expe1');
    const cert = await leaf(f.entCa, { cn: fq('us-expe1'), sans: exp.sans.map((s) => s.name), ku: KU.expressway, keys: f.leafKeys });
    const r = await checkCertificate({ file: 'e', certs: [cert], role, expectation: exp, chains: [{ file: 'c', certs: [f.entCa.cert] }], anchors: f.anchors });
    expect(verdict(r, 'chain')).toMatchObject({ status: 'warning', message: expect.stringContaining('must use a public CA trusted by endpoint firmware (Table 7-5)') });
    expect(hasFailure(r)).toBe(false);
  });

  it('Expressway-E to an unknown root: fail when the inventory names the public root, warning when it does not', async () => {
    const role = f.role('expressway-e/server');
    const rogueCa = await intermediateCa('Rogue Issuing CA', f.rogueRoot);
    const cert = await leaf(rogueCa, { cn: fq('us-expe1'), ku: KU.expressway, keys: f.leafKeys });
    const chains = [{ file: 'rogue.pem', certs: [rogueCa.cert, f.rogueRoot.cert] }];
    const r = await checkCertificate({ file: 'e', certs: [cert], role, chains, anchors: f.anchors });
    expect(verdict(r, 'chain').message).toMatch(/^chains to CN=Rogue Root, O=collabsec test, not to the public root in ca\.public\.rootCertFile \(public\.pem\)/);
    expect(verdict(r, 'chain').status).toBe('fail');
    const w = await checkCertificate({ file: 'e', certs: [cert], role, chains, anchors: f.anchors.filter((a) => a.kind === 'enterprise') });
    expect(verdict(w, 'chain')).toMatchObject({ status: 'warning', message: expect.stringContaining("which the inventory does not name (ca.public.rootCertFile); confirm it is on the endpoints' Certificate Authority Trust List") });
  });

  it('Expressway-C from the public CA is a warning (the PA assumes the enterprise CA)', async () => {
    const role = f.role('expressway-c/server');
    const cert = await leaf(f.pubCa, { cn: fq('us-expc1'), ku: KU.expressway, keys: f.leafKeys });
    const r = await checkCertificate({ file: 'c', certs: [cert], role, chains: [{ file: 'p', certs: [f.pubCa.cert] }], anchors: f.anchors });
    expect(verdict(r, 'chain')).toMatchObject({ status: 'warning', message: expect.stringContaining('the Preferred Architecture assumes the enterprise CA for Expressway-C (Table 7-5)') });
  });

  it('a self-signed certificate fails', async () => {
    const self = { cert: await leaf({ cert: { subject: `CN=${TOMCAT_CN}, O=collabsec test` } as never, keys: f.leafKeys }, { cn: TOMCAT_CN, sans: TOMCAT_SANS, keys: f.leafKeys }), keys: f.leafKeys };
    const role = f.role('cucm/tomcat');
    const r = await checkCertificate({ file: 's', certs: [self.cert], role, anchors: f.anchors });
    expect(verdict(r, 'chain').message).toBe('is self-signed (CN=us-cm-pub-ms.ent-pa.com, O=collabsec test); Unified CM and IM and Presence tomcat must be signed by the enterprise CA (Table 7-5)');
  });

  it('an expired intermediate fails', async () => {
    const old = await intermediateCa('Old Issuing CA', f.entRoot, { notAfter: new Date(Date.now() - 86_400_000) });
    const cert = await leaf(old, { cn: TOMCAT_CN, sans: TOMCAT_SANS, keys: f.leafKeys });
    const r = await checkCertificate({ file: 't', certs: [cert], role: f.role('cucm/tomcat'), chains: [{ file: 'c', certs: [old.cert] }], anchors: f.anchors });
    const chain = r.verdicts.filter((v) => v.check === 'chain');
    expect(chain[0]).toMatchObject({ status: 'fail', message: expect.stringMatching(/^CA certificate CN=Old Issuing CA, O=collabsec test expired on /) });
  });

  it('PCP refuses an intermediate (L528)', async () => {
    const role = f.role('pcp/server');
    const cert = await leaf(f.entCa, { cn: fq('us-pcp'), sans: [fq('us-pcp')], keys: f.leafKeys });
    const r = await checkCertificate({ file: 'p', certs: [cert], role, expectation: expectationFor(f.inv, role), chains: [{ file: 'c', certs: [f.entCa.cert] }], anchors: f.anchors });
    expect(r.verdicts.find((v) => v.check === 'chain' && v.status === 'fail')?.message).toMatch(/^Prime Collaboration Provisioning does not support certificate chains \(L528\)/);
    const direct = await leaf(f.entRoot, { cn: fq('us-pcp'), sans: [fq('us-pcp')], keys: f.leafKeys });
    const ok = await checkCertificate({ file: 'p', certs: [direct], role, expectation: expectationFor(f.inv, role), anchors: f.anchors });
    expect(hasFailure(ok)).toBe(false);
  });

  it('a chain in the wrong order: leaf not first fails, a root-first chain file warns', async () => {
    const cert = await leaf(f.entCa, { cn: TOMCAT_CN, sans: TOMCAT_SANS, keys: f.leafKeys });
    const role = f.role('cucm/tomcat');
    const r = await checkCertificate({ file: 'bundle.pem', certs: [f.entCa.cert, cert], role, anchors: f.anchors });
    expect(verdict(r, 'chain-order')).toMatchObject({
      status: 'fail',
      message: 'bundle.pem starts with CA certificate CN=ENT-PA Issuing CA, O=collabsec test; the server certificate (CN=us-cm-pub-ms.ent-pa.com, O=collabsec test) is number 2: put it first, followed by its issuers',
    });
    const w = await tomcat({}, { chains: [{ file: 'chain.pem', certs: [f.entRoot.cert, f.entCa.cert] }] });
    expect(verdict(w, 'chain-order')).toMatchObject({ status: 'warning', message: expect.stringContaining('chain.pem: certificate 1 (CN=ENT-PA Root CA, O=collabsec test) is a root but more certificates follow it') });
    expect(verdict(w, 'chain').status).toBe('pass');
  });
});
