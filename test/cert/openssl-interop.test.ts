// Interop: a root → intermediate → tomcat chain and CSR made by the openssl CLI (as an enterprise
// CA operator would), checked end to end through checkFiles, including a DER copy and a .p7b.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseInventory } from '../../src/inventory/load.js';
import { checkFiles } from '../../src/verify/cert/check-files.js';
import { findRole, loadRoleTable, type Role } from '../../src/verify/cert/roles.js';
import { hasFailure } from '../../src/verify/cert/types.js';
import { US_CM, US_IMP } from './fixture.js';
import { put, tempDir } from './pki.js';

let dir: string;
let role: Role;
const ssl = (...args: string[]) => execa('openssl', args, { cwd: dir });

beforeAll(async () => {
  dir = await tempDir('collabsec-openssl-');
  role = findRole(await loadRoleTable(), 'cucm/tomcat')!;
  await put(dir, 'ca.ext', 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n');
  const sans = [...US_CM, ...US_IMP].map((n) => `DNS:${n}`).join(',');
  await put(dir, 'tomcat.ext', `keyUsage=critical,digitalSignature,keyEncipherment,dataEncipherment\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=${sans}\n`);
  await put(dir, 'noclient.ext', `keyUsage=critical,digitalSignature,keyEncipherment,dataEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=${sans}\n`);
  await ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'root.key', '-out', 'root.pem', '-days', '30', '-subj', '/O=ENT-PA/CN=ENT-PA Root CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  await ssl('req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'int.key', '-out', 'int.csr', '-subj', '/O=ENT-PA/CN=ENT-PA Issuing CA');
  await ssl('x509', '-req', '-in', 'int.csr', '-CA', 'root.pem', '-CAkey', 'root.key', '-CAcreateserial', '-days', '20', '-sha256', '-extfile', 'ca.ext', '-out', 'int.pem');
  await ssl('req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'tomcat.key', '-out', 'tomcat.csr', '-subj', '/O=ENT-PA/CN=us-cm-pub-ms.ent-pa.com', '-addext', `subjectAltName=${sans}`);
  await ssl('x509', '-req', '-in', 'tomcat.csr', '-CA', 'int.pem', '-CAkey', 'int.key', '-CAcreateserial', '-days', '10', '-sha256', '-extfile', 'tomcat.ext', '-out', 'tomcat.pem');
  await ssl('x509', '-req', '-in', 'tomcat.csr', '-CA', 'int.pem', '-CAkey', 'int.key', '-CAcreateserial', '-days', '10', '-sha1', '-extfile', 'noclient.ext', '-out', 'bad.pem');
  await ssl('x509', '-in', 'tomcat.pem', '-outform', 'DER', '-out', 'tomcat.der');
  await ssl('crl2pkcs7', '-nocrl', '-certfile', 'int.pem', '-certfile', 'root.pem', '-out', 'chain.p7b', '-outform', 'DER');
  const example = readFileSync(new URL('../../examples/ent-pa.yaml', import.meta.url), 'utf8').replace(/rootCertFile: \S+/, 'rootCertFile: root.pem');
  await put(dir, 'inv.yaml', example);
});

const inventory = () => parseInventory(readFileSync(join(dir, 'inv.yaml'), 'utf8'), join(dir, 'inv.yaml'));

describe('certificates issued by the openssl CLI', () => {
  it('pass, in PEM and DER, with a PEM or PKCS#7 chain; expiring within 30 days warns', async () => {
    for (const [file, chain] of [['tomcat.pem', 'int.pem'], ['tomcat.der', 'chain.p7b']] as const) {
      const r = await checkFiles({ file: join(dir, file), role, inventory: inventory(), chainFiles: [join(dir, chain)], csrFile: join(dir, 'tomcat.csr') });
      const notPass = r.verdicts.filter((v) => v.status !== 'pass').map((v) => v.check);
      // The public and partner root files of the example do not exist here, and the certificate lives 10 days.
      expect(notPass.sort(), JSON.stringify(r.verdicts, null, 1)).toEqual(['trust', 'trust', 'validity']);
      expect(hasFailure(r)).toBe(false);
      expect(r.verdicts.find((v) => v.check === 'chain')?.message).toMatch(/^verifies to the enterprise root O=ENT-PA, CN=ENT-PA Root CA from ca.enterprise.rootCertFile \(root.pem\): O=ENT-PA, CN=us-cm-pub-ms.ent-pa.com → O=ENT-PA, CN=ENT-PA Issuing CA → O=ENT-PA, CN=ENT-PA Root CA$/);
    }
  });

  it('an openssl CSR is inspected: SANs requested, no KU/EKU requested (warnings)', async () => {
    const r = await checkFiles({ file: join(dir, 'tomcat.csr'), role, inventory: inventory() });
    expect(r.summary.sans).toHaveLength(6);
    expect(r.verdicts.find((v) => v.check === 'san')?.status).toBe('pass');
    expect(r.verdicts.find((v) => v.check === 'extended-key-usage')?.status).toBe('warning');
    expect(hasFailure(r)).toBe(false);
  });

  it('SHA-1 and a missing client EKU fail', async () => {
    const r = await checkFiles({ file: join(dir, 'bad.pem'), role, inventory: inventory(), chainFiles: [join(dir, 'int.pem')] });
    const failed = r.verdicts.filter((v) => v.status === 'fail').map((v) => v.check);
    expect(failed.sort()).toEqual(['extended-key-usage', 'signature']);
  });
});
