// Golden lines for S034–S035 (SRST) and S049–S079 (Collaboration Edge: Expressway and IOS),
// written by hand from the seed outline and the example inventory (examples/ent-pa.yaml):
//   CUBE US-CUBE1: key label CUBE, trustpoint CUBE-Certificate, CN US-CUBE1.ent-pa.com,
//     Unified CM peers 192.0.2.11 / 192.0.2.12 mask 255.255.255.255 ([UnifiedCMIPAddress1/2] [mask]),
//     dial-peer 300, trusted list 203.0.113.10 255.255.255.255, not a registrar, no srtp pass-thru.
//   SRST router US-SRST1: key label SRST, trustpoint SRST-Certificate, CN US-SRST1.ent-pa.com,
//     LSC issuer trustpoint LSC-ISSUER.
// Expressway steps (S049–S062) and the Unified CM trunk steps (S063, S079) are GUI steps without
// commands, so they have no entry here.

export const expected: { id: string; target: string; lines: string[] }[] = [
  {
    // S034: the S064–S069 procedure with the SRST router's own values (L1050–1054).
    id: 'S034',
    target: 'US-SRST1',
    lines: [
      'crypto key generate rsa general-keys label SRST modulus 2048',
      'crypto pki trustpoint SRST-Certificate',
      'enrollment terminal pem',
      'subject-name CN=US-SRST1.ent-pa.com',
      'revocation-check none',
      'rsakeypair SRST',
      'hash sha256',
      'crypto pki authenticate SRST-Certificate',
      'crypto pki enroll SRST-Certificate',
      'crypto pki import SRST-Certificate certificate',
    ],
  },
  {
    // S035: suggested pattern - new trustpoint, enrollment terminal, revocation-check none, authenticate;
    // then the credentials service on the router's address and S034's trustpoint (review-2026 B.6,
    // cli-facts §2.7 "Secure SRST (SCCP) credentials service").
    id: 'S035',
    target: 'US-SRST1',
    lines: [
      'crypto pki trustpoint LSC-ISSUER',
      'enrollment terminal',
      'revocation-check none',
      'crypto pki authenticate LSC-ISSUER',
      'credentials',
      'ip source-address 192.0.2.51 port 2445',
      'trustpoint SRST-Certificate',
    ],
  },
  { id: 'S064', target: 'US-CUBE1', lines: ['crypto key generate rsa general-keys label CUBE modulus 4096'] },
  {
    id: 'S065',
    target: 'US-CUBE1',
    lines: [
      'crypto pki trustpoint CUBE-Certificate',
      'enrollment terminal pem',
      'subject-name CN=US-CUBE1.ent-pa.com',
      'revocation-check none',
      'rsakeypair CUBE',
      'hash sha256',
    ],
  },
  { id: 'S066', target: 'US-CUBE1', lines: ['crypto pki authenticate CUBE-Certificate'] },
  { id: 'S067', target: 'US-CUBE1', lines: ['crypto pki enroll CUBE-Certificate'] },
  { id: 'S069', target: 'US-CUBE1', lines: ['crypto pki import CUBE-Certificate certificate'] },
  {
    // S071: recommended render (D-17, A-09), features.iosDefaultTrustpoint is on in the example.
    id: 'S071',
    target: 'US-CUBE1',
    lines: ['sip-ua', 'crypto signaling default trustpoint CUBE-Certificate'],
  },
  {
    id: 'S072',
    target: 'US-CUBE1',
    lines: ['dial-peer voice 300 voip', 'session protocol sipv2', 'session transport tcp tls'],
  },
  {
    id: 'S073',
    target: 'US-CUBE1',
    lines: [
      'sip-ua',
      'crypto signaling remote-addr 192.0.2.11 255.255.255.255 trustpoint CUBE-Certificate',
      'crypto signaling remote-addr 192.0.2.12 255.255.255.255 trustpoint CUBE-Certificate',
    ],
  },
  { id: 'S074', target: 'US-CUBE1', lines: ['voice service voip', 'sip', 'srtp-auth sha1-80'] },
  {
    // S076: on the dial-peer toward Unified CM, not under voice service voip (review 2026 A.5).
    id: 'S076',
    target: 'US-CUBE1',
    lines: ['dial-peer voice 300 voip', 'srtp fallback', 'voice-class sip srtp negotiate cisco'],
  },
  {
    // S077: the verbatim block, then the suggested trusted-list entry for the example's extra peer.
    id: 'S077',
    target: 'US-CUBE1',
    lines: ['voice service voip', ' ip address trusted authenticate', ' ip address trusted list', '  ipv4 203.0.113.10 255.255.255.255'],
  },
  {
    // S078: the outline's suggestion (no registrar server), US-CUBE1 is not a registrar.
    id: 'S078',
    target: 'US-CUBE1',
    lines: ['voice service voip', ' sip', '  no registrar server'],
  },
];

/**
 * Steps of S034–S035 / S049–S079 that are not in the example plan:
 * S070 applies only when the Unified CM certificates are not CA-signed (features.cucmCaSigned is on),
 * S075 only on a router with srtpPassThru (off on US-CUBE1).
 */
export const absent: string[] = ['S070', 'S075'];
