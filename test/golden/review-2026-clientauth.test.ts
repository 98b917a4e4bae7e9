// Review 2026 C.1 (rest), pinned per Expressway release: every step where an Expressway presents a
// certificate as TLS client (MRA traversal, federation, the B2B traversal and DNS zones, the
// neighbour zone to Unified CM) and the CUBE's TLS toward an ITSP says what certificate it needs.
// Sources: Cisco FN74362 rev 1.2 (public CAs stop issuing client authentication from May 2026; the
// mTLS uses of the Expressway certificate), tech note 225482 (X15.4 changes MRA only; before X15.4
// Expressway-C checks client authentication on the Expressway-E certificate in the MRA SIP
// signalling; Expressway-C always needs it), tech note 225693 (X15.5 client certificate store at
// Maintenance > Security > Client certificate; `xConfiguration SIP TLS Certificate ExtendedKeyUsage
// Checking Mode`), Chrome Root Program Policy 1.8 §1.3.2 (serverAuth only from 15 March 2027).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/catalogue/root.js';
import { parseInventory } from '../../src/inventory/load.js';
import { buildTopology } from '../../src/inventory/topology.js';
import { buildPlan } from '../../src/plan/build.js';
import type { Plan } from '../../src/plan/types.js';
import { catalogue, planOf } from './harness.js';

type Inv = { expressway: { version: string }; ios: { roles: string[] }[]; features: Record<string, boolean> };
const release = (v: string, edit?: (i: Inv) => void) =>
  planOf<Inv>((i) => {
    i.expressway.version = v;
    edit?.(i);
  });
function example(name: string): Plan {
  const file = join(packageRoot(), 'examples', name);
  const loaded = parseInventory(readFileSync(file, 'utf8'), file);
  return buildPlan(buildTopology(loaded), catalogue, { inventoryHash: loaded.hash });
}
/** The C.1 lines of every step: its warnings and instructions that cite the field notice or the tech notes. */
function c1(p: Plan): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const s of p.steps) {
    const t = [...s.warnings, ...s.instructions].filter((w) => /FN74362|225482|225693/.test(w));
    if (t.length > 0) out[s.id] = t;
  }
  return out;
}

// CUBE toward a TLS ITSP: on every inventory with a CUBE, whatever the releases.
const CUBE_S068 =
  'CUBE toward a TLS ITSP: the CUBE is the TLS client when it opens the connection, and an ITSP that requires mutual TLS checks its certificate for TLS Web Client Authentication. Public CAs stop issuing that usage from May 2026 (Cisco FN74362; Chrome Root Program Policy 1.8: server authentication only for certificates issued from 15 March 2027), so a public-CA certificate issued after the cut-over cannot do mutual TLS toward the ITSP: use a certificate from a private CA the ITSP trusts (both usages), or agree with the ITSP that it does not require client certificates.';
const CUBE_S071 =
  'A public-CA trustpoint toward the ITSP: a certificate a public CA issued from May 2026 has TLS Web Server Authentication only (Cisco FN74362), and the CUBE presents it as TLS client on the calls it sends; an ITSP that requires mutual TLS refuses it. Use a certificate from a private CA the ITSP trusts for that trustpoint, or an ITSP that does not require client certificates (S068).';
const CUBE = { S068: [CUBE_S068], S071: [CUBE_S071] };

// X14–X15.3 (FN74362's affected releases).
const S051_PRE =
  'Required in each issued certificate: Key Usage Digital Signature, Key Encipherment; Extended Key Usage TLS Web Server Authentication, TLS Web Client Authentication (Table 7-17). Public CAs stop issuing TLS Web Client Authentication from May 2026 (Cisco FN74362): have the Expressway-E certificate issued while the CA still includes it, or upgrade to X15.4 or later first.';
const S055_PRE = (v: string) =>
  `On ${v} Expressway-C also checks the Expressway-E certificate in the MRA SIP signalling and needs TLS Web Client Authentication in it: an Expressway-E certificate without it (a public CA's from May 2026, Cisco FN74362) makes MRA registration fail (Cisco tech note 225482). X15.4 or later on both clusters removes that check.`;
const S056_PRE =
  'Federation: the Expressway-E is the TLS client of the sessions it opens and presents its server certificate; a partner that requires client certificates needs TLS Web Client Authentication in it, which public CAs stop issuing from May 2026 (Cisco FN74362). Renew while the CA still issues it, take a certificate with both usages from a root the partners trust (FN74362 names DigiCert Assured ID Root G2 and IdenTrust Public Sector Root CA 1), or upgrade to X15.5.';
const S062_PRE =
  'Outgoing B2B calls: the Expressway-E is the TLS client and presents its server certificate; a partner that requires mutual TLS needs TLS Web Client Authentication in it, which public CAs stop issuing from May 2026 (Cisco FN74362). Renew while the CA still issues it, take a certificate with both usages from a root the partners trust (FN74362), or upgrade to X15.5.';
const S127_PRE = (v: string) =>
  `On ${v} an MRA registration also needs TLS Web Client Authentication in the Expressway-E certificate (Expressway-C checks it in the MRA SIP signalling, Cisco tech note 225482): an Expressway-E certificate a public CA issued from May 2026 lacks it (Cisco FN74362) and MRA registrations fail; X15.4 or later on both Expressway clusters lifts the check.`;

// X14–X15.4: Expressway-C presents its (only) server certificate as TLS client.
const S054_UPTO154 =
  "Expressway-C is the TLS client of this zone and presents its server certificate, which must carry TLS Web Client Authentication (Table 7-17; the enterprise CA issues it, S051). X15.4's server-only upload is for Expressway-E only (Cisco tech note 225482).";
const S059_UPTO154 =
  'Expressway-C is the TLS client of this traversal zone and presents its server certificate, which must carry TLS Web Client Authentication (Table 7-17; the enterprise CA issues it, S051; Cisco FN74362).';

// X15.4: EnableServerEkuUpload covers MRA only.
const S051_X154 =
  'Required: Key Usage Digital Signature, Key Encipherment. Expressway-C: Extended Key Usage TLS Web Server Authentication and TLS Web Client Authentication (Table 7-17; the enterprise CA issues both). Expressway-E (X15.4): TLS Web Server Authentication is enough once S052 has set EnableServerEkuUpload On; a public CA no longer issues TLS Web Client Authentication from May 2026 (Cisco FN74362).';
const S055_X154 =
  'On X15.4 the Expressway-E needs TLS Web Server Authentication only for this zone: Expressway-C no longer checks client authentication in the MRA SIP signalling; Expressway-C and Expressway-E must both run X15.4 (Cisco FN74362, tech note 225482).';
const S056_X154 =
  'Federation on X15.4: the server-only certificate S052 allows covers MRA only; the Expressway-E still presents it as TLS client of the sessions it opens, and a partner that requires client certificates refuses it (Cisco tech note 225482). Keep a certificate with TLS Web Client Authentication while federation needs it, or upgrade to X15.5.';
const S062_X154 =
  'Outgoing B2B calls on X15.4: the server-only certificate S052 allows covers MRA only; the Expressway-E still presents it as TLS client, and a partner that requires mutual TLS refuses it (Cisco tech note 225482).';

// X15.5: the client certificate store.
const S051_X155 =
  'Required: Key Usage Digital Signature, Key Encipherment. Expressway-C: Extended Key Usage TLS Web Server Authentication and TLS Web Client Authentication (Table 7-17; the enterprise CA issues both). Expressway-E (X15.5): the server certificate needs TLS Web Server Authentication only; where it is the TLS client it presents the separate client certificate (Maintenance > Security > Client certificate), which needs TLS Web Client Authentication from a CA its peers trust, or is a copy of the server certificate for peers that do not check client authentication (Cisco tech note 225693).';
const S054_X155 =
  'Expressway-C is the TLS client of this zone and presents the certificate of its client certificate store (Maintenance > Security > Client certificate), which must carry TLS Web Client Authentication: the enterprise-CA certificate (S051). Without it the zone fails while Expressway-E checks the usage, and the SSH tunnels (port 2222), MRA sign-in and the WebRTC proxy fail even with the check off (Cisco tech note 225693).';
const S055_X155 =
  'On X15.5 the Expressway-E presents its server certificate here (server authentication only is enough) and checks the client certificate of Expressway-C (`xConfiguration SIP TLS Certificate ExtendedKeyUsage Checking Mode`, default On): keep it On with an Expressway-C client certificate that carries TLS Web Client Authentication (S054); turning it Off brings the zone up, but not the SSH tunnels (Cisco tech note 225693).';
const S056_X155 =
  'Federation on X15.5: the Expressway-E presents the certificate of its client certificate store (Maintenance > Security > Client certificate) on the sessions it opens. That store takes only a certificate with TLS Web Client Authentication, from a CA the partner domains trust; a copy of the server-only public certificate (Upload server certificate file as client certificate) works only with partners that do not check client authentication (Cisco tech note 225693).';
const S058_X155 =
  "On X15.5 the Expressway-C presents its client certificate (Maintenance > Security > Client certificate) on the connections it opens to Unified CM and its server certificate on those Unified CM opens (Cisco tech note 225693): the client certificate must carry TLS Web Client Authentication and the name Unified CM's trunk profile checks (us-expc.ent-pa.com, S063), as the enterprise-CA certificate of S051 does.";
const S059_X155 =
  'Expressway-C is the TLS client of this traversal zone and presents the certificate of its client certificate store (Maintenance > Security > Client certificate), which must carry TLS Web Client Authentication: the enterprise-CA certificate of S051 (Cisco FN74362, tech note 225693).';
const S060_X155 =
  'On X15.5 the Expressway-E checks that the client certificate Expressway-C presents carries TLS Web Client Authentication (`xConfiguration SIP TLS Certificate ExtendedKeyUsage Checking Mode`, default On; Cisco tech note 225693) and names us-expc.ent-pa.com: the Expressway-C client certificate of S059.';
const S062_X155 =
  'Outgoing B2B calls on X15.5: the Expressway-E presents the certificate of its client certificate store (Maintenance > Security > Client certificate); for partners that require mutual TLS it needs TLS Web Client Authentication from a CA they trust, and a copy of the server-only public certificate (Upload server certificate file as client certificate) works only with partners that do not check client authentication (Cisco tech note 225693).';
const S127_X155 =
  'On X15.5 MRA sign-in also needs TLS Web Client Authentication in the Expressway-C client certificate (S054): without it the SSH tunnels between Expressway-C and Expressway-E stay down (Cisco tech note 225693).';

describe('C.1 (rest): client authentication per Expressway release, in every step where an Expressway is TLS client', () => {
  it('chapter-2019 (X12.5): no Expressway line changes; only the CUBE lines', () => {
    expect(c1(example('chapter-2019.yaml'))).toEqual(CUBE);
  });
  it.each(['X14', 'X15'])('%s: Table 7-17 with the May 2026 warning wherever a public certificate is a TLS client; MRA needs client authentication on Expressway-E', (v) => {
    expect(c1(release(v))).toEqual({
      S051: [S051_PRE],
      S054: [S054_UPTO154],
      S055: [S055_PRE(v)],
      S056: [S056_PRE],
      S059: [S059_UPTO154],
      S062: [S062_PRE],
      ...CUBE,
      S127: [S127_PRE(v)],
    });
  });
  it('X15.4: MRA takes a server-only Expressway-E certificate; federation and outgoing B2B still present it as TLS client', () => {
    expect(c1(release('X15.4'))).toEqual({
      S051: [S051_X154],
      S054: [S054_UPTO154],
      S055: [S055_X154],
      S056: [S056_X154],
      S059: [S059_UPTO154],
      S062: [S062_X154],
      ...CUBE,
    });
  });
  it('X15.5: each TLS-client step names the client certificate store and what it must hold', () => {
    expect(c1(release('X15.5'))).toEqual({
      S051: [S051_X155],
      S054: [S054_X155],
      S055: [S055_X155],
      S056: [S056_X155],
      S058: [S058_X155],
      S059: [S059_X155],
      S060: [S060_X155],
      S062: [S062_X155],
      ...CUBE,
      S127: [S127_X155],
    });
  });
  it('the lines follow the features: without MRA, federation and B2B only S051 and the CUBE lines remain', () => {
    const p = release('X15.5', (i) => {
      i.features.mra = false;
      i.features.xmppFederation = false;
      i.features.b2b = false;
    });
    expect(c1(p)).toEqual({ S051: [S051_X155], ...CUBE });
  });
  it('without a CUBE (the router only a gateway) the ITSP lines are gone', () => {
    const p = release('X15.5', (i) => (i.ios[0]!.roles = ['gateway']));
    const lines = c1(p);
    expect(lines.S068).toBeUndefined();
    expect(lines.S071).toBeUndefined();
    expect(lines.S062).toEqual([S062_X155]);
  });
});
