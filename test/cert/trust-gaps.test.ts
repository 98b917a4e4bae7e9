// A root file the inventory names that cannot be loaded (issue 25): `cert check` names the field
// and the path ("the file named by the inventory is missing"), never "the inventory names no
// root"; the wizard's strict mode fails the chain instead of warning.
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { loadInventory, type LoadedInventory } from '../../src/inventory/load.js';
import { checkFiles } from '../../src/verify/cert/check-files.js';
import { makeFixture, US_CM, US_IMP, type Fixture } from './fixture.js';
import { leaf, pem, put, tempDir } from './pki.js';

let f: Fixture;
let dir: string;
let inventory: LoadedInventory;
beforeAll(async () => {
  f = await makeFixture();
  dir = await tempDir('collabsec-trustgap-');
  const doc = parseDocument(readFileSync('examples/ent-pa.yaml', 'utf8'));
  doc.setIn(['ca', 'enterprise', 'rootCertFile'], 'gone/root.pem');
  doc.setIn(['ca', 'public', 'rootCertFile'], 'public-root.pem');
  doc.setIn(['ca', 'b2bPartnerRootFiles'], []);
  inventory = loadInventory(await put(dir, 'inv.yaml', doc.toString()));
  await put(dir, 'public-root.pem', pem(f.pubRoot.cert));
  await put(dir, 'tomcat.pem', pem(await leaf(f.entCa, { cn: 'us-cm-pub-ms.ent-pa.com', sans: [...US_CM, ...US_IMP], keys: f.leafKeys })));
  await put(dir, 'chain.pem', pem(f.entCa.cert, f.entRoot.cert));
}, 30_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

const run = (strict: boolean) =>
  checkFiles({ file: `${dir}/tomcat.pem`, role: f.role('cucm/tomcat'), inventory, node: 'us', chainFiles: [`${dir}/chain.pem`], ...(strict ? { strictChain: { supply: 'name it' } } : {}) });

describe('a missing root file named by the inventory', () => {
  it('cert check: the trust and chain verdicts name the field and path; a warning', async () => {
    const r = await run(false);
    const chain = r.verdicts.find((v) => v.check === 'chain');
    expect(chain?.status).toBe('warning');
    expect(chain?.message).toMatch(/the file named by the inventory is missing: ca\.enterprise\.rootCertFile is gone\/root\.pem \(\/.*gone\/root\.pem\)/);
    expect(r.verdicts.map((v) => v.message).join('\n')).not.toContain('names no');
    expect(r.verdicts.find((v) => v.check === 'trust')?.message).toMatch(/^the file named by the inventory is missing: ca\.enterprise\.rootCertFile/);
  });

  it('the wizard (strict): the chain that cannot be compared fails', async () => {
    const r = await run(true);
    expect(r.verdicts.find((v) => v.check === 'chain')?.status).toBe('fail');
  });
});
