// One shared test PKI per test file: enterprise root → issuing CA, a public root → public issuing
// CA, a rogue root, and a leaf key pair reused by most certificates (RSA keygen is the slow part).
import { readFileSync } from 'node:fs';
import { parseInventory } from '../../src/inventory/load.js';
import type { Inventory } from '../../src/inventory/schema.js';
import type { Anchor } from '../../src/verify/cert/chain.js';
import { findRole, loadRoleTable, type Role } from '../../src/verify/cert/roles.js';
import { intermediateCa, rootCa, rsaKeys, type Issuer, type Keys } from './pki.js';

export interface Fixture {
  entRoot: Issuer;
  entCa: Issuer;
  pubRoot: Issuer;
  pubCa: Issuer;
  rogueRoot: Issuer;
  leafKeys: Keys;
  otherKeys: Keys;
  anchors: Anchor[];
  inv: Inventory;
  role: (id: string) => Role;
}

export const D = 'ent-pa.com';
export const fq = (h: string) => `${h}.${D}`;
/** Example inventory's us cluster: every Unified CM and IM and Presence node (tomcat SANs). */
export const US_CM = ['us-cm-pub', 'us-cm-sub1', 'us-cm-sub2', 'us-cm-tftp1'].map(fq);
export const US_IMP = ['us-imp-pub', 'us-imp-sub1'].map(fq);

export function exampleInventory(): Inventory {
  const file = new URL('../../examples/ent-pa.yaml', import.meta.url);
  return parseInventory(readFileSync(file, 'utf8'), file.pathname).inventory;
}

export async function makeFixture(): Promise<Fixture> {
  const [entRoot, pubRoot, rogueRoot, leafKeys, otherKeys] = await Promise.all([
    rootCa('ENT-PA Root CA'),
    rootCa('Public Trust Root'),
    rootCa('Rogue Root'),
    rsaKeys(),
    rsaKeys(),
  ]);
  const [entCa, pubCa] = await Promise.all([intermediateCa('ENT-PA Issuing CA', entRoot), intermediateCa('Public Issuing CA', pubRoot)]);
  const roles = await loadRoleTable();
  return {
    entRoot,
    entCa,
    pubRoot,
    pubCa,
    rogueRoot,
    leafKeys,
    otherKeys,
    anchors: [
      { kind: 'enterprise', source: 'ca.enterprise.rootCertFile (root.pem)', cert: entRoot.cert },
      { kind: 'public', source: 'ca.public.rootCertFile (public.pem)', cert: pubRoot.cert },
    ],
    inv: exampleInventory(),
    role: (id) => {
      const r = findRole(roles, id);
      if (!r) throw new Error(`no role ${id}`);
      return r;
    },
  };
}
