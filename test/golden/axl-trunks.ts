// Hand-written golden AXL requests of the trunk steps (issue 21 slice 2), from Tables 7-11 and
// 7-12: each trunk the inventory names moves to the secure profile of S016 for its peer type, SRTP
// allowed, every destination on 5061 — UpdateSipTrunkReq order (name, securityProfileName,
// srtpAllowed, destinations) — and is reset afterwards.
import type { AxlGolden } from './axl.js';

const pub = { host: '192.0.2.10', port: 8443, version: '15.0' };
const tail = 'srtpAllowed=true destinations.destination[].port=5061';

export const trunkExpected: AxlGolden[] = [
  { id: 'S046', target: 'us-cm-pub', endpoint: pub, lines: [`updateSipTrunk name=US-CUC-SIP-Trunk securityProfileName=Secure-SIP-Trunk-Unity-Connection ${tail}`] },
  { id: 'S063', target: 'us-cm-pub', endpoint: pub, lines: [`updateSipTrunk name=US-EXPC-B2B-SIP-Trunk securityProfileName=Secure-SIP-Trunk-Expressway-B2B ${tail}`] },
  { id: 'S079', target: 'us-cm-pub', endpoint: pub, lines: [`updateSipTrunk name=US-CUBE1-SIP-Trunk securityProfileName=Secure-SIP-Trunk-IOS-Gateway ${tail}`] },
  { id: 'S092', target: 'us-cm-pub', endpoint: pub, lines: [`updateSipTrunk name=US-CMS-SIP-Trunk securityProfileName=Secure-SIP-Trunk-Meeting-Server ${tail}`] },
  { id: 'S117', target: 'us-cm-pub', endpoint: pub, lines: [`updateSipTrunk name=US-EMEA-SIP-ICT securityProfileName=Secure-SIP-Trunk-Intercluster ${tail}`] },
];
