// A small estate on 127.0.0.1 for `collabsec certs`: the lab's TLS services (src/lab/tls-service.ts)
// presenting a good certificate, one about to expire, an expired, a self-signed, a wrong-name and
// a foreign-CA one, plus a port that hangs, one that answers in plain text and one where nothing
// listens — and an inventory whose nodes' tlsPorts point at them, trusting the lab's root.
import { mkdtemp, writeFile } from 'node:fs/promises';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueCertificate, makeCsr, newKeyPair, privateKeyPem, selfSigned, type KeyPair } from '../../src/lab/pki.js';
import { startTlsService, type LabTlsService, type Presented } from '../../src/lab/tls-service.js';

export const DOMAIN = 'lab.example';
const fqdn = (h: string) => `${h}.${DOMAIN}`;

export interface Estate {
  dir: string;
  inventory: string;
  /** Node → the verdict its one port must get. */
  expected: Record<string, string>;
  close(): Promise<void>;
}

async function signed(ca: { certPem: string; keys: KeyPair }, host: string, days: number): Promise<Presented> {
  const keys = await newKeyPair();
  const certPem = await issueCertificate({
    csrPem: await makeCsr(`CN=${fqdn(host)}`, keys, [fqdn(host)]),
    caCertPem: ca.certPem,
    caKeys: ca.keys,
    // Table 7-10's usages, which every role on these ports accepts.
    keyUsage: ['digitalSignature', 'keyEncipherment', 'dataEncipherment'],
    extendedKeyUsage: ['serverAuth', 'clientAuth'],
    days,
  });
  return { certPem: `${certPem.trimEnd()}\n${ca.certPem}`, keyPem: await privateKeyPem(keys) };
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)));
}

export async function startEstate(): Promise<Estate> {
  const dir = await mkdtemp(join(tmpdir(), 'collabsec-certs-'));
  const caKeys = await newKeyPair();
  const ca = { certPem: await selfSigned('CN=Lab Enterprise Root CA', caKeys, true), keys: caKeys };
  await writeFile(join(dir, 'root.pem'), ca.certPem);

  const services: LabTlsService[] = [];
  const tlsOn = async (host: string, initial?: Presented) => {
    const s = await startTlsService({ node: host, fqdn: fqdn(host), ca, ...(initial !== undefined ? { initial } : {}) });
    services.push(s);
    return s;
  };
  const good = await tlsOn('us-cm-pub', await signed(ca, 'us-cm-pub', 400));
  const expiring = await tlsOn('us-tms', await signed(ca, 'us-tms', 10));
  const expired = await tlsOn('us-cm-sub2', await signed(ca, 'us-cm-sub2', 400));
  await expired.swap('expired');
  const self = await tlsOn('us-cmm', await signed(ca, 'us-cmm', 400));
  await self.swap('self-signed');
  const foreign = await tlsOn('us-pcp', await signed(ca, 'us-pcp', 400));
  await foreign.swap('other-ca');
  const misnamed = await tlsOn('us-cm-sub3', await signed(ca, 'us-cm-sub3', 400));
  await misnamed.swap('wrong-san');

  // Accepts and never says a word: the probe must give up on its own budget.
  const sockets = new Set<net.Socket>();
  const hang = net.createServer((s) => void sockets.add(s));
  // Answers the ClientHello with an HTTP error, as a plain-HTTP service on a TLS port does.
  const plain = net.createServer((s) => {
    sockets.add(s);
    s.once('data', () => s.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n'));
  });
  const hangPort = await listen(hang);
  const plainPort = await listen(plain);
  // A port nothing listens on any more.
  const gone = net.createServer();
  const refusedPort = await listen(gone);
  await new Promise((r) => gone.close(r));

  const at = (port: number, catalogue = 8443) => `{ "${catalogue}": ${port} }`;
  const yaml = `title: Certificates lab
domain: ${DOMAIN}
ca:
  enterprise: { name: Lab Enterprise Root CA, rootCertFile: root.pem }
features: { mixedMode: false }
cucm:
  - name: us
    publisher: { host: us-cm-pub, ip: 127.0.0.1, services: [tftp], tlsPorts: ${at(good.port)} }
    subscribers:
      - { host: us-cm-sub1, ip: 127.0.0.1, services: [], tlsPorts: ${at(refusedPort)} }
      - { host: us-cm-sub2, ip: 127.0.0.1, services: [], tlsPorts: ${at(expired.port)} }
      - { host: us-cm-sub3, ip: 127.0.0.1, services: [], tlsPorts: ${at(misnamed.port)} }
unity:
  publisher: { host: us-cuc, ip: 127.0.0.1, tlsPorts: ${at(plainPort)} }
  restrictionTables: { blocked: ['9011*'] }
cmm: { host: us-cmm, ip: 127.0.0.1, tlsPorts: ${at(self.port, 443)} }
tms: { host: us-tms, ip: 127.0.0.1, tlsPorts: ${at(expiring.port, 443)} }
pcd: { host: us-pcd, ip: 127.0.0.1, tlsPorts: ${at(hangPort, 443)} }
pcp: { host: us-pcp, ip: 127.0.0.1, tlsPorts: ${at(foreign.port, 443)} }
`;
  const inventory = join(dir, 'inventory.yaml');
  await writeFile(inventory, yaml);
  return {
    dir,
    inventory,
    expected: {
      'us-cm-pub': 'ok',
      'us-cm-sub1': 'refused',
      'us-cm-sub2': 'expired',
      'us-cm-sub3': 'wrong-name',
      'us-cuc': 'plain-text',
      'us-cmm': 'self-signed',
      'us-tms': 'expiring',
      'us-pcd': 'timeout',
      'us-pcp': 'wrong-chain',
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await Promise.all([...services.map((s) => s.close()), new Promise((r) => hang.close(r)), new Promise((r) => plain.close(r))]);
    },
  };
}
