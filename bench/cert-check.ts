// Time to check one certificate with a 3-certificate chain (leaf → intermediate → root), as a
// ratio to `openssl verify` on the same files in the same run. Ours reads and parses the files
// every time and runs every check (KU/EKU, names, key, hash, validity, order, chain signatures);
// openssl's time includes starting its process, which is what an operator would otherwise pay.
import { webcrypto } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as x509 from '@peculiar/x509';
import { execa } from 'execa';
import { expectCertificate, expectChain, loadFile } from '../src/verify/cert/load.js';
import { checkCertificate } from '../src/verify/cert/report.js';
import { findRole, loadRoleTable } from '../src/verify/cert/roles.js';
import { hasFailure } from '../src/verify/cert/types.js';
import { median } from './common.js';

const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
const DAY = 86_400_000;
const ITERATIONS = 40;

async function keys() {
  return webcrypto.subtle.generateKey({ ...RSA, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) }, true, ['sign', 'verify']);
}

async function makeChain(dir: string): Promise<{ root: string; inter: string; leaf: string }> {
  const [rootKeys, interKeys, leafKeys] = await Promise.all([keys(), keys(), keys()]);
  const notBefore = new Date(Date.now() - DAY);
  const ca = [new x509.BasicConstraintsExtension(true, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true)];
  const root = await x509.X509CertificateGenerator.createSelfSigned({ serialNumber: '01', name: 'CN=Bench Root', notBefore, notAfter: new Date(Date.now() + 3650 * DAY), keys: rootKeys, signingAlgorithm: RSA, extensions: ca });
  const inter = await x509.X509CertificateGenerator.create({
    serialNumber: '02', subject: 'CN=Bench Issuing CA', issuer: root.subject, notBefore, notAfter: new Date(Date.now() + 1825 * DAY),
    publicKey: interKeys.publicKey, signingKey: rootKeys.privateKey, signingAlgorithm: RSA, extensions: ca,
  });
  const nodes = ['us-cm-pub', 'us-cm-sub1', 'us-cm-sub2', 'us-imp-pub'].map((h) => ({ type: 'dns' as const, value: `${h}.ent-pa.com` }));
  const leaf = await x509.X509CertificateGenerator.create({
    serialNumber: '03', subject: 'CN=us-cm-pub-ms.ent-pa.com', issuer: inter.subject, notBefore, notAfter: new Date(Date.now() + 365 * DAY),
    publicKey: leafKeys.publicKey, signingKey: interKeys.privateKey, signingAlgorithm: RSA,
    extensions: [
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment | x509.KeyUsageFlags.dataEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
      new x509.SubjectAlternativeNameExtension(nodes),
    ],
  });
  const files = { root: path.join(dir, 'root.pem'), inter: path.join(dir, 'inter.pem'), leaf: path.join(dir, 'leaf.pem') };
  await Promise.all([fs.writeFile(files.root, root.toString('pem')), fs.writeFile(files.inter, inter.toString('pem')), fs.writeFile(files.leaf, leaf.toString('pem'))]);
  return files;
}

export async function benchCertCheck(): Promise<{ name: string; value: number; unit: string; note?: string }[]> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'collabsec-bench-cert-'));
  try {
    const files = await makeChain(dir);
    const role = findRole(await loadRoleTable(), 'cucm/tomcat');
    if (!role) throw new Error('role cucm/tomcat missing from steps/certificates.yaml');

    const ours = async () => {
      const [leafFile, interFile, rootFile] = await Promise.all([loadFile(files.leaf), loadFile(files.inter), loadFile(files.root)]);
      const [root] = expectChain(rootFile);
      const report = await checkCertificate({
        file: files.leaf, certs: expectCertificate(leafFile), role,
        chains: [{ file: files.inter, certs: expectChain(interFile) }],
        anchors: root ? [{ kind: 'enterprise', source: 'bench', cert: root }] : [],
      });
      if (hasFailure(report)) throw new Error(`bench certificate failed its check: ${JSON.stringify(report.verdicts)}`);
    };
    const openssl = async () => {
      const r = await execa('openssl', ['verify', '-CAfile', files.root, '-untrusted', files.inter, files.leaf], { reject: false });
      if (r.exitCode !== 0) throw new Error(`openssl verify failed: ${String(r.stderr)}`);
    };

    // Warm up both (module JIT, page cache), then interleave so load changes hit both equally.
    await ours();
    await openssl();
    const tOurs: number[] = [];
    const tSsl: number[] = [];
    for (let i = 0; i < ITERATIONS; i++) {
      let t = performance.now();
      await ours();
      tOurs.push(performance.now() - t);
      t = performance.now();
      await openssl();
      tSsl.push(performance.now() - t);
    }
    const a = median(tOurs);
    const b = median(tSsl);
    return [
      { name: 'cert check, 1 certificate + 3-certificate chain', value: Number(a.toFixed(2)), unit: 'ms', note: `median of ${ITERATIONS}, files read and parsed each time` },
      { name: 'openssl verify, same files', value: Number(b.toFixed(2)), unit: 'ms', note: 'median, includes process start' },
      { name: 'cert check / openssl verify', value: Number((a / b).toFixed(3)), unit: 'ratio', note: '< 1 means faster than spawning openssl verify' },
    ];
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
