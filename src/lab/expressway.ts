// Simulated Cisco Expressway-C / Expressway-E admin SSH: the xAPI shell (cli-facts §4), holding
// the zone configuration of its cluster (zones are cluster-wide: every peer of a cluster shares
// one ExpresswayCluster, as a change on the primary replicates).
//
// What it answers, and from where:
// - No prompt; every response ends with a line `OK`, `ERROR` or `Command not recognized.`
//   (ktbyers/netmiko netmiko/cisco/cisco_tp_tcce.py: strip_prompt / send_command expect_string
//   `^(OK|ERROR|Command not recognized\.)$`, set_base_prompt "Use 'OK' as base_prompt").
// - `xConfiguration <path>` prints one line per leaf under the path, `*c xConfiguration <path>:
//   <value>`: jose-merchan/xconf_to_excel (commit 390d6b1) xconf_to_dict.py reads exactly those
//   `*c` lines; its zone regexes give the paths `Zones Zone N Type`, `Zones Zone N Name`, and
//   xconf2excel.py the per-type leaves (`Neighbor SIP Port`, `TraversalServer SIP TLS Verify
//   Subject Name`, `TraversalClient Collaboration Edge`, `DNS SIP TLS Verify Mode`, `HopCount`,
//   `SIP Mode`, …). Values are quoted as in Cisco doc 212475 (Webex Hybrid Call Service Connect
//   troubleshooting): `*c xConfiguration Zones Zone 6 DNS SIP TLS Verify Mode: "On"`.
// - [I] Numbers are quoted too (212475 quotes an enumeration and a name; no public capture shows a
//   port) — the parser takes either. [I] Leaves print in alphabetical order within a zone (212475
//   shows `… Verify Mode` before `… Verify Subject Name`). [I] The transport value reads `TLS` / `TCP`
//   as the GUI shows it. [I] The command word is case-insensitive (a Cisco lab guide types
//   `xconfiguration Zones Zone …`).
// - The lab is read-only by design (but for the X15.4 EnableServerEkuUpload switch, see xapiRespond): an assignment (`xConfiguration <path>: <value>`, the form of
//   Cisco's ICE passthrough guide `xConfiguration Zones Zone <id> TraversalClient SIP Media
//   ICEPassThrough Support: On`) and every `xCommand` answer ERROR, so a verification that tried
//   to write would fail loudly. [I] `xStatus` answers ERROR too: the lab holds no status. [I] A
//   path with no leaf under it answers ERROR. Anything else is `Command not recognized.`
// - [I] A one-line login banner, then silence (the xapi driver is ready once the banner is quiet).
//
// - The authentication policy is the leaf `<Type> Authentication Mode`, value `DoNotCheckCredentials`
//   for the GUI's "Do not check credentials" (doc 212475 prints it for a TraversalServer and a
//   TraversalClient zone). [I] The other two values read `TreatAsAuthenticated` / `CheckCredentials`
//   (the GUI's "Treat as authenticated" / "Check credentials" in the same spelling).
// - [I] The DefaultZone prints under `xConfiguration Zones` as `Zones DefaultZone <leaf>` with no type
//   word (no public capture found; see src/verify/parsers/expressway.ts). Every Expressway has one
//   (it cannot be deleted: VCS/Expressway admin guides, "Configuring the Default Zone").
//
// The zones the GUI steps edit change only through the lab operator (operator.ts), as the
// person at the web interface would: see setZoneLeaves.
import { compareVersions } from '../catalogue/version.js';
import type { Term } from './term.js';

/** The one leaf the lab lets a client write (review-2026 C.1), and the first release that has it. */
export const SERVER_EKU_UPLOAD = 'XCP TLS Certificate CVS EnableServerEkuUpload';
const SERVER_EKU_FROM = 'X15.4';

export type ZoneType = 'Neighbor' | 'TraversalClient' | 'TraversalServer' | 'DNS' | 'DefaultZone';

export interface ExpresswayCluster {
  /** `Zones Zone N <leaf>` → value, the xConfiguration paths without the `xConfiguration ` word. */
  config: Map<string, string>;
}

export interface ExpresswayState {
  hostname: string;
  cluster: ExpresswayCluster;
}

/** The zone names the lab seeds: the operator edits them by name, as a person picks a zone in the GUI list. */
export const LAB_ZONES = {
  ucTraversalClient: 'UC Traversal (MRA)',
  ucTraversalServer: 'UC Traversal (MRA)',
  b2bNeighbor: 'CUCM Neighbor (B2B)',
  b2bTraversalClient: 'B2B Traversal',
  b2bTraversalServer: 'B2B Traversal',
  b2bDns: 'B2B DNS',
  hybridDns: 'Webex Hybrid DNS',
} as const;

export interface ZoneSeed {
  name: string;
  type: ZoneType;
  /** Type-relative leaves (`SIP Port`, `SIP TLS Verify Mode`, `Collaboration Edge`, …). */
  leaves: Record<string, string>;
}

function addZone(cluster: ExpresswayCluster, index: number, z: ZoneSeed): void {
  const base = `Zones Zone ${index}`;
  // Leaves common to every zone type (xconf2excel.py reads Name, Type, HopCount, SIP Mode, H323 Mode).
  const leaves: [string, string][] = [
    ['Name', z.name],
    ['Type', z.type],
    ['HopCount', '15'], // 15 is the default hop count (Expressway REST API reference, zones)
    ['SIP Mode', 'On'],
    ['H323 Mode', 'Off'],
    ...Object.entries(z.leaves).map(([k, v]): [string, string] => [`${z.type} ${k}`, v]),
  ];
  for (const [k, v] of leaves.sort((a, b) => a[0].localeCompare(b[0], 'en'))) cluster.config.set(`${base} ${k}`, v);
}

/** The DefaultZone leaves the lab holds (`Zones DefaultZone <leaf>`). */
export const DEFAULT_ZONE_LEAVES = ['Authentication Mode', 'SIP Media Encryption Mode'] as const;

/**
 * A cluster with its DefaultZone and the given zones. [I] Before the rollout the DefaultZone treats
 * incoming calls as authenticated (the toll-fraud exposure S057/S061 close) and leaves media
 * encryption on Auto (212475's spelling of a media encryption mode value).
 */
export function newExpresswayCluster(zones: ZoneSeed[], defaultZone: Record<string, string> = {}, release = 'X15'): ExpresswayCluster {
  const cluster: ExpresswayCluster = { config: new Map() };
  // Review-2026 C.1: X15.4 has the switch that lets an Expressway-E take a server-EKU-only
  // certificate (Cisco tech note 225693, FN74362); [I] it reads Off until set, and X15.5, where it
  // is deprecated, still has it. Earlier releases have no such leaf.
  if (compareVersions(release, SERVER_EKU_FROM) >= 0) cluster.config.set(SERVER_EKU_UPLOAD, 'Off');
  const dz = { 'Authentication Mode': 'TreatAsAuthenticated', 'SIP Media Encryption Mode': 'Auto', ...defaultZone };
  for (const k of DEFAULT_ZONE_LEAVES) cluster.config.set(`Zones DefaultZone ${k}`, dz[k]);
  zones.forEach((z, i) => addZone(cluster, i + 1, z));
  return cluster;
}

/**
 * The zones as they stand before the security rollout: they exist (MRA and B2B already carry
 * calls) but the B2B zones run SIP over TCP without TLS verify, the MRA traversal server expects
 * the first Expressway-C peer's own name, and no DNS zone has TLS verify off yet.
 * [I] The lab's choice of zones and names; leaf names are xconf2excel.py's.
 */
export function seedZones(
  role: 'c' | 'e',
  o: { neighborPort: number; traversalPort: number; cPeerFqdn: string },
): ZoneSeed[] {
  // The MRA traversal zones may not share the B2B traversal port (Table 7-19), so they take another.
  const ucPort = String(o.traversalPort === 7003 ? 7001 : 7003);
  const b2b = String(o.traversalPort);
  // [I] The lab's choice: the MRA traversal zones still check credentials (S054/S055 set Do not check
  // credentials); the B2B zones already do not.
  const uc = { 'Authentication Mode': 'CheckCredentials' };
  const b2bAuth = { 'Authentication Mode': 'DoNotCheckCredentials' };
  if (role === 'c')
    return [
      { name: LAB_ZONES.ucTraversalClient, type: 'TraversalClient', leaves: { ...uc, 'Collaboration Edge': 'On', 'SIP Port': ucPort, 'SIP Transport': 'TLS', 'SIP TLS Verify Mode': 'On' } },
      { name: LAB_ZONES.b2bNeighbor, type: 'Neighbor', leaves: { ...b2bAuth, 'SIP Port': String(o.neighborPort), 'SIP Transport': 'TCP', 'SIP TLS Verify Mode': 'Off' } },
      { name: LAB_ZONES.b2bTraversalClient, type: 'TraversalClient', leaves: { ...b2bAuth, 'Collaboration Edge': 'Off', 'SIP Port': b2b, 'SIP Transport': 'TCP', 'SIP TLS Verify Mode': 'Off' } },
    ];
  return [
    // The UC traversal zone is implicitly TLS with verification (the chapter, S054's note).
    { name: LAB_ZONES.ucTraversalServer, type: 'TraversalServer', leaves: { ...uc, 'Collaboration Edge': 'On', 'SIP Port': ucPort, 'SIP Transport': 'TLS', 'SIP TLS Verify Mode': 'On', 'SIP TLS Verify Subject Name': o.cPeerFqdn } },
    { name: LAB_ZONES.b2bTraversalServer, type: 'TraversalServer', leaves: { ...b2bAuth, 'Collaboration Edge': 'Off', 'SIP Port': b2b, 'SIP Transport': 'TCP', 'SIP TLS Verify Mode': 'Off', 'SIP TLS Verify Subject Name': '' } },
    // A Webex hybrid DNS zone keeps TLS verify On with Cisco's subject name (doc 212475): S062's check needs only some DNS zone Off.
    { name: LAB_ZONES.hybridDns, type: 'DNS', leaves: { 'SIP TLS Verify Mode': 'On', 'SIP TLS Verify Subject Name': 'callservice.ciscospark.com' } },
    { name: LAB_ZONES.b2bDns, type: 'DNS', leaves: { 'SIP TLS Verify Mode': 'On', 'SIP TLS Verify Subject Name': '' } },
  ];
}

/** The zones of a cluster by index: name and type. */
export function zoneList(cluster: ExpresswayCluster): { index: number; name: string; type: string }[] {
  const out: { index: number; name: string; type: string }[] = [];
  for (const [path, value] of cluster.config) {
    const m = /^Zones Zone (\d+) Name$/.exec(path);
    if (m) out.push({ index: Number(m[1]), name: value, type: cluster.config.get(`Zones Zone ${m[1]} Type`) ?? '' });
  }
  return out;
}

/**
 * A GUI edit of one zone (Configuration > Zones > Zones, the zone picked by name and type): sets
 * type-relative leaves. Returns false when the cluster has no such zone or a leaf does not exist
 * for that zone type (the GUI shows no such field).
 */
export function setZoneLeaves(cluster: ExpresswayCluster, name: string, type: ZoneType, leaves: Record<string, string>): boolean {
  // The DefaultZone is not in the zone list: its leaves sit under `Zones DefaultZone` with no type word.
  const base = type === 'DefaultZone' ? (name === 'DefaultZone' ? 'Zones DefaultZone' : undefined) : zoneBase(cluster, name, type);
  if (base === undefined) return false;
  const paths = Object.entries(leaves).map(([k, v]) => [`${base} ${k}`, v] as const);
  if (paths.some(([p]) => !cluster.config.has(p))) return false;
  for (const [p, v] of paths) cluster.config.set(p, v);
  return true;
}

function zoneBase(cluster: ExpresswayCluster, name: string, type: ZoneType): string | undefined {
  const zone = zoneList(cluster).find((z) => z.name === name && z.type === type);
  return zone === undefined ? undefined : `Zones Zone ${zone.index} ${type}`;
}

const words = (s: string) => s.split(/\s+/).filter((w) => w !== '');

/** The `*c` lines under `path` (word by word, any case), or undefined when nothing is there. */
function configLines(cluster: ExpresswayCluster, path: string): string[] | undefined {
  const want = words(path).map((w) => w.toLowerCase());
  const out: string[] = [];
  for (const [p, v] of cluster.config) {
    const have = words(p);
    if (want.length > have.length || want.some((w, i) => have[i]!.toLowerCase() !== w)) continue;
    out.push(`*c xConfiguration ${p}: "${v}"`);
  }
  return out.length > 0 ? out : undefined;
}

/** One command line → the response lines, terminator included; null for `exit`, [] for an empty line. */
export function xapiRespond(state: ExpresswayState, line: string): string[] | null {
  const text = line.trim();
  if (text === '') return []; // [I] an empty line answers nothing (the driver's exit sends one)
  const [cmd = '', ...rest] = words(text);
  const word = cmd.toLowerCase();
  if (word === 'exit') return null; // [I] ends the session
  if (word === 'xconfiguration') {
    // An assignment `<path>: <value>` changes the configuration: the lab refuses every write but
    // the X15.4 EnableServerEkuUpload switch (S052 on an Expressway-E, review-2026 C.1), On or Off,
    // on a release that has it. [I] An accepted assignment answers `OK` alone.
    if (text.includes(':')) {
      const m = /^xconfiguration\s+(.+?)\s*:\s*(\S+)$/i.exec(text);
      const path = m ? words(m[1] ?? '').join(' ') : '';
      if (m && path.toLowerCase() === SERVER_EKU_UPLOAD.toLowerCase() && state.cluster.config.has(SERVER_EKU_UPLOAD) && /^(On|Off)$/.test(m[2] ?? '')) {
        state.cluster.config.set(SERVER_EKU_UPLOAD, m[2]!);
        return ['OK'];
      }
      return ['ERROR'];
    }
    const lines = configLines(state.cluster, rest.join(' '));
    return lines === undefined ? ['ERROR'] : [...lines, 'OK'];
  }
  if (word === 'xcommand' || word === 'xstatus') return ['ERROR'];
  return ['Command not recognized.'];
}

export async function xapiShell(state: ExpresswayState, term: Term): Promise<void> {
  term.writeLines([`Welcome to ${state.hostname}`]); // [I]
  for (;;) {
    const line = await term.readLine();
    if (term.closed) return;
    if (line === null) continue;
    const out = xapiRespond(state, line);
    if (out === null) return;
    term.writeLines(out);
  }
}
