// Review-2026 C.1 for CUBE: `collabsec cert check --for ios/router` keeps L1277's rule (TLS Web
// Server and Client Authentication), and a certificate without client authentication — what a
// public CA issues from May 2026 (Cisco FN74362; Chrome Root Program Policy 1.8 §1.3.2) — fails
// with the reason: the router is the TLS client of the connections it opens, so mutual TLS toward
// an ITSP needs a private-CA certificate the ITSP trusts, or an ITSP that asks for no client
// certificate. Real certificates from the test PKI; the CUBE's name from the inventory.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import command from '../../src/commands/cert-check.js';
import { makeFixture, type Fixture } from './fixture.js';
import { captureIo } from './io.js';
import { EKU, leaf, pem, put, tempDir } from './pki.js';

let f: Fixture;
let dir: string;
let inv: string;

beforeAll(async () => {
  f = await makeFixture();
  dir = await tempDir();
  const doc = parseDocument(readFileSync(new URL('../../examples/ent-pa.yaml', import.meta.url), 'utf8'));
  doc.setIn(['ca', 'enterprise', 'rootCertFile'], 'root.pem');
  doc.setIn(['ca', 'public', 'rootCertFile'], 'public-root.pem');
  doc.setIn(['ca', 'b2bPartnerRootFiles'], []);
  // The fixture's leaf key is RSA 2048, the default key choice (the example's CUBE chooses 4096).
  doc.deleteIn(['ios', 0, 'key']);
  inv = await put(dir, 'inv.yaml', doc.toString());
  await put(dir, 'root.pem', pem(f.entRoot.cert));
  await put(dir, 'public-root.pem', pem(f.pubRoot.cert));
  await put(dir, 'pub-chain.pem', pem(f.pubCa.cert));
  await put(dir, 'ent-chain.pem', pem(f.entCa.cert));
  const cn = 'US-CUBE1.ent-pa.com';
  await put(dir, 'cube-public-server-only.pem', pem(await leaf(f.pubCa, { cn, keys: f.leafKeys, eku: [EKU.server] })));
  await put(dir, 'cube-private-both.pem', pem(await leaf(f.entCa, { cn, keys: f.leafKeys, eku: [EKU.server, EKU.client] })));
});

async function check(file: string, chain: string) {
  const io = captureIo();
  const code = await command.run(['check', '-i', inv, '--for', 'ios/router', '--node', 'US-CUBE1', '--chain', join(dir, chain), '--json', join(dir, file)], io);
  const j = JSON.parse(io.out()) as { verdicts: { check: string; status: string; message: string }[] };
  return { code, eku: j.verdicts.find((v) => v.check === 'extended-key-usage')!, failed: j.verdicts.filter((v) => v.status === 'fail').map((v) => v.check) };
}

describe('ios/router client authentication (C.1, CUBE toward an ITSP)', () => {
  it('a public-CA certificate with server authentication only fails on client authentication, saying why and what to do', async () => {
    const r = await check('cube-public-server-only.pem', 'pub-chain.pem');
    expect(r.code).toBe(1);
    expect(r.failed).toEqual(['extended-key-usage']);
    expect(r.eku.message).toBe(
      'Extended Key Usage lacks TLS Web Client Authentication; has TLS Web Server Authentication; required TLS Web Server Authentication, TLS Web Client Authentication (L1277): the router is the TLS client of the connections it opens (to Unified CM, or to a TLS ITSP), and a public-CA certificate issued from May 2026 lacks it (Cisco FN74362): for mutual TLS toward an ITSP use a certificate from a private CA the ITSP trusts, or an ITSP that does not require client certificates',
    );
  });
  it('a private-CA certificate with both usages passes', async () => {
    const r = await check('cube-private-both.pem', 'ent-chain.pem');
    expect(r.failed).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.eku.status).toBe('pass');
  });
});
