// Golden lines for S080–S106 (Meeting Server, Meeting Management, TMS), written by hand from
// ../shared/spec/seed-outline.md Phase D and the example inventory (examples/ent-pa.yaml):
// Meeting Server 3.x (no XMPP server; Web Bridge 3 over C2W, review-2026 A.2: the 2.x lines are
// pinned on chapter-2019 in review-2026-cms.test.ts); CMS nodes us-acano1 (callbridge, webadmin,
// webbridge, database), us-acano2 (callbridge, webadmin, webbridge, database),
// us-cmsdb (database), us-cmscb (callbridge only, a database client); first database node
// us-acano1 = 192.0.2.60; CMM us-cmm; TMS us-tms1. Render corrections: D-08 (S080), D-09 (S089),
// D-13 (S093). The SFTP user is the MMP admin account (`admin`).

const sharedPut = [
  'put CAsignedCluster.key',
  'put CAsignedCluster.cer',
  'put rootCAcert.cer',
  // the database server command (S089) uses the client pair too, so database nodes get it.
  'put dbclusterclient.key',
  'put dbclusterclient.cer',
  'bye',
];

export const expected: { id: string; target: string; lines: string[] }[] = [
  {
    id: 'S080',
    target: 'us-acano1',
    lines: [
      'pki csr CAsignedCluster CN:cms.ent-pa.com OU:"TME" O:"Cisco" L:"San Jose" ST:California C:US subjectAltName:us-acano1.ent-pa.com,us-acano2.ent-pa.com,us-cmsdb.ent-pa.com,us-cmscb.ent-pa.com,cms.ent-pa.com',
    ],
  },
  { id: 'S081', target: 'us-acano1', lines: ['pki csr dbclusterclient CN:postgres'] },
  {
    id: 'S082',
    target: 'us-acano1',
    lines: [
      'sftp admin@us-acano1.ent-pa.com',
      'get CAsignedCluster.key',
      'get CAsignedCluster.csr',
      'get dbclusterclient.key',
      'get dbclusterclient.csr',
      'bye',
    ],
  },
  { id: 'S084', target: 'us-acano1', lines: ['sftp admin@us-acano1.ent-pa.com', ...sharedPut] },
  { id: 'S084', target: 'us-acano2', lines: ['sftp admin@us-acano2.ent-pa.com', ...sharedPut] },
  { id: 'S084', target: 'us-cmsdb', lines: ['sftp admin@us-cmsdb.ent-pa.com', ...sharedPut] },
  { id: 'S084', target: 'us-cmscb', lines: ['sftp admin@us-cmscb.ent-pa.com', ...sharedPut] },
  ...['us-acano1', 'us-acano2'].map((target) => ({
    id: 'S085',
    target,
    lines: ['webadmin disable', 'webadmin certs CAsignedCluster.key CAsignedCluster.cer', 'webadmin enable'],
  })),
  ...['us-acano1', 'us-acano2', 'us-cmscb'].map((target) => ({
    id: 'S086',
    target,
    lines: ['callbridge certs CAsignedCluster.key CAsignedCluster.cer', 'callbridge trust c2w rootCAcert.cer', 'callbridge restart'],
  })),
  ...['us-acano1', 'us-acano2'].map((target) => ({
    id: 'S088',
    target,
    lines: [
      'webbridge3 https certs CAsignedCluster.key CAsignedCluster.cer',
      'webbridge3 c2w certs CAsignedCluster.key CAsignedCluster.cer',
      'webbridge3 c2w trust rootCAcert.cer',
      'webbridge3 restart',
    ],
  })),
  ...['us-acano1', 'us-acano2', 'us-cmsdb'].map((target) => ({
    id: 'S089',
    target,
    lines: ['database cluster certs CAsignedCluster.key CAsignedCluster.cer dbclusterclient.key dbclusterclient.cer rootCAcert.cer'],
  })),
  { id: 'S090', target: 'us-cmscb', lines: ['database cluster certs dbclusterclient.key dbclusterclient.cer rootCAcert.cer'] },
  { id: 'S091', target: 'us-acano1', lines: ['database cluster status', 'database cluster initialize'] },
  { id: 'S091', target: 'us-acano2', lines: ['database cluster status', 'database cluster join 192.0.2.60'] },
  { id: 'S091', target: 'us-cmsdb', lines: ['database cluster status', 'database cluster join 192.0.2.60'] },
  { id: 'S091', target: 'us-cmscb', lines: ['database cluster status', 'database cluster connect 192.0.2.60'] },
  { id: 'S093', target: 'operator', lines: ['openssl genrsa -out us-cmm-privatekey.pem 2048'] },
  // Review A.3: the SAN is always on the line (browsers reject CN-only server certificates).
  { id: 'S094', target: 'operator', lines: ['openssl req -new -key us-cmm-privatekey.pem -out us-cmm-certcsr.pem -addext "subjectAltName=DNS:us-cmm.ent-pa.com"'] },
  { id: 'S098', target: 'operator', lines: ['openssl genrsa -out us-tms1-privatekey.pem 2048'] },
  { id: 'S099', target: 'operator', lines: ['openssl req -new -key us-tms1-privatekey.pem -out us-tms1-certcsr.pem -addext "subjectAltName=DNS:us-tms1.ent-pa.com"'] },
  {
    id: 'S101',
    target: 'operator',
    // Review A.4: 3DES/SHA-1 so that Windows Server 2016 and older import the bundle.
    lines: ['openssl pkcs12 -export -keypbe PBE-SHA1-3DES -certpbe PBE-SHA1-3DES -macalg sha1 -inkey us-tms1-privatekey.pem -in us-tms1.cer -out us-tms1-cert-key.p12 -name us-tms1-cert-key'],
  },
];

/** None of S080–S106 is left out of the example plan: every feature and product is on. */
// S087 (XMPP server) is Meeting Server 2.x only; the example runs 3.x.
export const absent: string[] = ['S087'];
