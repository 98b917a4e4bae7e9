// Review 2026 A.14: the key algorithm and size an inventory chooses per product, and each choice a
// product cannot make refused before any plan, naming the field and the reason (src/inventory/keys.ts).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { InventoryError, parseInventory } from '../../src/inventory/load.js';
import { keyChoice } from '../../src/inventory/keys.js';

const example = readFileSync(new URL('../../examples/ent-pa.yaml', import.meta.url), 'utf8');
function patched(edit: (doc: ReturnType<typeof parseDocument>) => void): string {
  const doc = parseDocument(example);
  edit(doc);
  return doc.toString();
}

function problemsOf(text: string): { path: string; message: string }[] {
  try {
    parseInventory(text, 'inv.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(InventoryError);
    return (err as InventoryError).problems.map((p) => ({ path: p.path, message: p.message }));
  }
  throw new Error('inventory unexpectedly valid');
}

const withKey = (path: (string | number)[], key: Record<string, unknown>) => patched((d) => d.setIn([...path, 'key'], key));

describe('inventory key choices (review 2026 A.14)', () => {
  it('absent means RSA 2048 on every product', () => {
    const inv = parseInventory(patched(() => undefined), 'inv.yaml').inventory;
    expect(keyChoice(inv.cucm[0]!.key)).toEqual({ algorithm: 'rsa', size: 2048 });
    expect(keyChoice(inv.cms?.key)).toEqual({ algorithm: 'rsa', size: 2048 });
  });

  it('accepts what each product can generate', () => {
    const text = patched((d) => {
      d.setIn(['ios', 0, 'key'], { algorithm: 'ecdsa', curve: 'P-384' });
      d.setIn(['ios', 1, 'key'], { size: 3072 });
      d.setIn(['cucm', 0, 'key'], { size: 4096 });
      d.setIn(['unity', 'key'], { algorithm: 'rsa', size: 3072 });
      d.setIn(['cms', 'key'], { size: 2048 });
      d.setIn(['cmm', 'key'], { size: 4096 });
      d.setIn(['tms', 'key'], { size: 3072 });
    });
    const inv = parseInventory(text, 'inv.yaml').inventory;
    expect(keyChoice(inv.ios[0]!.key)).toEqual({ algorithm: 'ecdsa', curve: 'P-384' });
    expect(keyChoice(inv.ios[1]!.key)).toEqual({ algorithm: 'rsa', size: 3072 });
    expect(keyChoice(inv.tms?.key)).toEqual({ algorithm: 'rsa', size: 3072 });
  });

  it.each([
    [['cucm', 0], { algorithm: 'ecdsa', curve: 'P-256' }, 'cucm[0].key.algorithm', 'ECDSA cannot be chosen here: Unified CM: the runbook\'s CSRs are for the RSA units'],
    [['unity'], { algorithm: 'ecdsa', curve: 'P-256' }, 'unity.key.algorithm', 'ECDSA cannot be chosen here: Unity Connection:'],
    [['cms'], { size: 4096 }, 'cms.key.size', 'RSA 4096 cannot be chosen here: Meeting Server: `pki csr` (S080/S081) takes no key size'],
    [['cms'], { algorithm: 'ecdsa', curve: 'P-256' }, 'cms.key.algorithm', 'ECDSA cannot be chosen here: Meeting Server: `pki csr` (S080/S081) takes no key type'],
    [['cmm'], { algorithm: 'ecdsa', curve: 'P-384' }, 'cmm.key.algorithm', 'ECDSA cannot be chosen here: Meeting Management:'],
    [['tms'], { algorithm: 'ecdsa', curve: 'P-256' }, 'tms.key.algorithm', 'ECDSA cannot be chosen here: TMS:'],
  ])('refuses %j %j at %s, with the reason', (where, key, path, message) => {
    const p = problemsOf(withKey(where as (string | number)[], key));
    expect(p).toHaveLength(1);
    expect(p[0]!.path).toBe(path);
    expect(p[0]!.message.startsWith(message)).toBe(true);
  });

  it('refuses 3072/4096 on Unified CM 12.5, naming the release', () => {
    const p = problemsOf(patched((d) => {
      d.setIn(['cucm', 0, 'version'], '12.5');
      d.setIn(['cucm', 0, 'key'], { size: 4096 });
    }));
    expect(p).toEqual([
      {
        path: 'cucm[0].key.size',
        message: 'RSA 4096 cannot be chosen here: Unified CM 12.5: collabsec offers a Generate CSR Key Length of 3072 or 4096 from release 14 (review-2026 C.3); on 12.5 it is 2048; choose 2048',
      },
    ]);
  });

  it('refuses a size on ECDSA, a curve on RSA, ECDSA without a curve and unknown sizes', () => {
    expect(problemsOf(withKey(['ios', 0], { algorithm: 'ecdsa', size: 4096, curve: 'P-256' }))).toEqual([
      { path: 'ios[0].key.size', message: 'size is for algorithm rsa; an ECDSA key takes curve (P-256 or P-384)' },
    ]);
    expect(problemsOf(withKey(['ios', 0], { curve: 'P-256' }))).toEqual([
      { path: 'ios[0].key.curve', message: 'a curve is for algorithm ecdsa; an RSA key takes size (2048, 3072 or 4096)' },
    ]);
    expect(problemsOf(withKey(['ios', 0], { algorithm: 'ecdsa' }))).toEqual([{ path: 'ios[0].key.curve', message: 'algorithm ecdsa needs a curve: P-256 or P-384' }]);
    expect(problemsOf(withKey(['ios', 0], { size: 1024 }))).toEqual([{ path: 'ios[0].key.size', message: 'an RSA key size: 2048, 3072 or 4096' }]);
    expect(problemsOf(withKey(['ios', 0], { algorithm: 'ecdsa', curve: 'P-521' }))).toEqual([{ path: 'ios[0].key.curve', message: 'an ECDSA curve: P-256 or P-384' }]);
  });
});
