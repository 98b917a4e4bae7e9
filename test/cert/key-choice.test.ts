// Review 2026 A.14: certificate and CSR checks follow the key the inventory chooses for the product
// (expectation.key): a smaller RSA key, another algorithm or curve fails naming the field; a larger
// RSA key passes; without a choice the chapter's rule (RSA >= 2048) and its message stay.
import { describe, expect, it } from 'vitest';
import { checkKey } from '../../src/verify/cert/checks.js';
import { expectationFor } from '../../src/verify/cert/expectations.js';
import { makeFixture } from './fixture.js';
import { ecKeys, leaf, rsaKeys } from './pki.js';

describe('key checks follow the inventory choice', async () => {
  const f = await makeFixture();
  const cube = f.inv.ios.findIndex((r) => r.host === 'US-CUBE1');
  const want = expectationFor(f.inv, f.role('ios/router'), 'US-CUBE1').key;
  const rsa2048 = await leaf(f.entCa, { cn: 'US-CUBE1.ent-pa.com', keys: f.leafKeys });

  it('the example CUBE expects RSA 4096 from ios[0].key; a 2048-bit certificate fails, saying so', () => {
    expect(want).toEqual({ choice: { algorithm: 'rsa', size: 4096 }, field: `ios[${cube}].key` });
    expect(checkKey(rsa2048, want)).toEqual({ check: 'key', status: 'fail', message: 'RSA key is 2048 bits; ios[0].key chooses RSA 4096: make the key again with 4096 bits' });
  });

  it('a larger RSA key than chosen passes; without a choice the chapter rule applies', async () => {
    const big = await leaf(f.entCa, { cn: 'x', keys: await rsaKeys(3072) });
    expect(checkKey(big, { choice: { algorithm: 'rsa', size: 2048 }, field: 'cmm.key' })).toMatchObject({ status: 'pass', message: 'RSA 3072-bit key, at least the RSA 2048 cmm.key chooses' });
    expect(expectationFor(f.inv, f.role('cmm/server')).key).toBeUndefined();
    expect(checkKey(rsa2048)).toEqual({ check: 'key', status: 'pass', message: 'RSA 2048-bit key' });
  });

  it('ECDSA: the chosen curve passes, RSA or another curve fails', async () => {
    const ec = await leaf(f.entCa, { cn: 'x', keys: await ecKeys() });
    expect(checkKey(ec, { choice: { algorithm: 'ecdsa', curve: 'P-256' }, field: 'ios[0].key' })).toMatchObject({ status: 'pass', message: 'ECDSA P-256 key, as ios[0].key chooses' });
    expect(checkKey(ec, { choice: { algorithm: 'ecdsa', curve: 'P-384' }, field: 'ios[0].key' })).toMatchObject({ status: 'fail', message: 'key is EC prime256v1; ios[0].key chooses ECDSA P-384: make the key again with that curve' });
    expect(checkKey(rsa2048, { choice: { algorithm: 'ecdsa', curve: 'P-256' }, field: 'ios[0].key' })).toMatchObject({ status: 'fail', message: 'key is RSA 2048-bit; ios[0].key chooses ECDSA P-256: make the key again with that curve' });
    expect(checkKey(ec, { choice: { algorithm: 'rsa', size: 2048 }, field: 'tms.key' })).toMatchObject({ status: 'fail', message: 'key is EC prime256v1; tms.key chooses RSA 2048-bit' });
  });
});
