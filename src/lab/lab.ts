// `collabsec lab`: every SSH node of the example on 127.0.0.1 — the Unified CM cluster (publisher,
// subscribers, TFTP node), IM and Presence, Unity Connection and PCD (each its own VOS cluster
// state), every IOS router (CUBE, SRST), every Meeting Server node and every Expressway-C/E peer
// (the admin SSH's xAPI shell, one zone configuration per cluster) — an inventory derived from
// the example (addresses and ports rewritten, so it stays valid against the schema), a known_hosts
// file, a throwaway lab CA, and an operator (operator.ts) that does the off-box steps.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument, type Document } from 'yaml';
import { loadInventory, parseInventory } from '../inventory/load.js';
import { dnsNames } from '../inventory/dns.js';
import { fqdnOf } from '../inventory/names.js';
import type { Inventory } from '../inventory/schema.js';
import { axlRelease } from '../inventory/versions.js';
import { defaultSessionDir, defaultSessionName } from '../session/paths.js';
import { loadRoleTable } from '../verify/cert/roles.js';
import { createOperator, type LabOperator } from './operator.js';
import { seedRegistrar } from './ios.js';
import { certInfo, newKeyPair, privateKeyPem, selfSigned } from './pki.js';
import { knownHostsLine, newVosCluster, startCms, startExpressway, startIos, startVos } from './server.js';
import { newExpresswayCluster, seedZones, type ExpresswayCluster, type ExpresswayState } from './expressway.js';
import type { DeviceHandle } from './types.js';
import { cucmProfile, cucProfile, impProfile, pcdProfile, type VosProduct, type VosProfile } from './vos-products.js';
import type { VosClusterState } from './vos-state.js';
import { seedAxl, startAxlSimulator, type AxlSimulator } from './axl/index.js';
import { seedTrunks } from './trunk-seed.js';
import { controlCenterService, type ControlCenterService } from './controlcenter.js';
import { seedCupiState, startCupiSimulator, type CupiSimulator } from './cupi.js';
import { formatPin } from '../transport/tls-pins.js';
import { startLabTls } from './tls-lab.js';
import type { LabTlsService } from './tls-service.js';
import type { AxlVersion } from '../transport/axl/index.js';

export type { LabOperator } from './operator.js';

export interface LabDevice {
  name: string;
  kind: 'vos-publisher' | 'vos-subscriber' | 'ios' | 'cms' | 'expressway';
  /** What the device plays: a VOS product, an IOS router, a Meeting Server node or an Expressway peer. */
  product: VosProduct | 'ios' | 'cms' | 'expressway-c' | 'expressway-e';
  port: number;
  fingerprint: string;
  handle: DeviceHandle;
}

/** The AXL endpoint of one Unified CM cluster's publisher (issue 21). */
export interface LabAxl {
  /** Inventory name of the publisher. */
  node: string;
  port: number;
  /** `sha256:<hex>` of its certificate, as in tlsPinsFile. */
  pin: string;
  /** The simulator: its state (`simulator.state.get('PhoneSecurityProfile', name)`), faults, request log. */
  simulator: AxlSimulator;
}

export interface Lab {
  devices: LabDevice[];
  /** One AXL simulator per Unified CM cluster, on the publisher's httpsPort. */
  axl: LabAxl[];
  /**
   * Control Center Services of each Unified CM publisher, on the same tomcat as its AXL (same
   * port, same certificate), answering from the node's VOS service table (`utils service list`).
   */
  controlcenter: { node: string; service: ControlCenterService }[];
  /** CUPI of the Unity Connection publisher (S042..S044, S125), on its httpsPort; absent without unity. */
  cupi?: { node: string; simulator: CupiSimulator };
  /** TLS ports of the nodes whose certificate the plan probes (CMM, TMS, PCP, PCD tomcat): swap a wrong certificate in for tests. */
  tls: LabTlsService[];
  /** TLS pins (`host:port sha256:<hex>`) of the lab's HTTPS endpoints, like knownHostsFile. */
  tlsPinsFile: string;
  /** Environment variable → generated password (the inventory's passwordEnv names). */
  env: Record<string, string>;
  inventoryFile: string;
  knownHostsFile: string;
  /** Temp folder holding the lab CA (cert + key) and, by default, the outputs. */
  dir: string;
  caCertFile: string;
  caKeyFile: string;
  /** Plays the operator for the off-box steps (CA signing, GUI-only changes, sftp); see operator.ts. */
  operator: LabOperator;
  close(): Promise<void>;
}

/** Folder of the collabsec package (works from src/ under vitest and from dist/). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'examples'))) return dir;
    dir = dirname(dir);
  }
  throw new Error('collabsec lab: cannot find the package folder (examples/ent-pa.yaml)');
}

function writePrivate(file: string, text: string): void {
  writeFileSync(file, text, { mode: 0o600 });
  chmodSync(file, 0o600);
}

type Path = (string | number)[];
interface NodeRef {
  host: string;
  fqdn?: string | undefined;
}
interface VosSpec {
  node: NodeRef;
  path: Path;
  role: 'publisher' | 'subscriber';
  /** The node's VOS release from the inventory (its cluster's, Unity Connection's or PCD's). */
  release: string;
  product: VosProduct;
  cluster: VosClusterState;
  profile: VosProfile;
}

/** Every VOS node of the inventory, each with its product's cluster state (shared within a cluster only). */
function vosSpecs(inv: Inventory): VosSpec[] {
  const out: VosSpec[] = [];
  inv.cucm.forEach((c, i) => {
    const cm = newVosCluster({ autoRegistration: inv.features.autoRegistration });
    out.push({ node: c.publisher, path: ['cucm', i, 'publisher'], role: 'publisher', release: c.version, product: 'cucm', cluster: cm, profile: cucmProfile(c.publisher.services, true) });
    c.subscribers.forEach((n, j) => out.push({ node: n, path: ['cucm', i, 'subscribers', j], role: 'subscriber', release: c.version, product: 'cucm', cluster: cm, profile: cucmProfile(n.services, false) }));
    if (c.imp) {
      // IM and Presence has its own trust stores (S003 uploads the root there too).
      const imp = newVosCluster();
      const p = impProfile(inv.features.xmppFederation);
      out.push({ node: c.imp.publisher, path: ['cucm', i, 'imp', 'publisher'], role: 'publisher', release: c.version, product: 'imp', cluster: imp, profile: p });
      c.imp.subscribers.forEach((n, j) => out.push({ node: n, path: ['cucm', i, 'imp', 'subscribers', j], role: 'subscriber', release: c.version, product: 'imp', cluster: imp, profile: p }));
    }
  });
  if (inv.unity) {
    const cuc = newVosCluster();
    out.push({ node: inv.unity.publisher, path: ['unity', 'publisher'], role: 'publisher', release: inv.unity.version, product: 'cuc', cluster: cuc, profile: cucProfile() });
    if (inv.unity.subscriber) out.push({ node: inv.unity.subscriber, path: ['unity', 'subscriber'], role: 'subscriber', release: inv.unity.version, product: 'cuc', cluster: cuc, profile: cucProfile() });
  }
  if (inv.pcd) out.push({ node: inv.pcd, path: ['pcd'], role: 'publisher', release: inv.pcd.version, product: 'pcd', cluster: newVosCluster(), profile: pcdProfile() });
  return out;
}

interface ExpresswaySpec {
  host: string;
  path: Path;
  role: 'c' | 'e';
  cluster: ExpresswayCluster;
}

/** Every Expressway peer, each cluster's zones seeded from the inventory's B2B ports and names. */
function expresswaySpecs(inv: Inventory): ExpresswaySpec[] {
  const exp = inv.expressway;
  if (!exp) return [];
  const cPeer = exp.c.nodes[0];
  // Without B2B the lab still seeds its zones, on the defaults the schema and Expressway use.
  const seed = { neighborPort: exp.b2b?.neighborZonePort ?? 5561, traversalPort: exp.b2b?.traversalPort ?? 7001, cPeerFqdn: cPeer ? fqdnOf(cPeer, inv.domain) : exp.c.clusterName };
  return (['c', 'e'] as const).flatMap((role) => {
    const cluster = newExpresswayCluster(seedZones(role, seed), {}, exp.version);
    return exp[role].nodes.map((n, i): ExpresswaySpec => ({ host: n.host, path: ['expressway', role, 'nodes', i], role, cluster }));
  });
}

export async function startLab(
  opts: {
    example?: string;
    inventoryOut?: string;
    knownHostsOut?: string;
    bannerMs?: number;
    restartMs?: number;
    /** How long the phones of a Unified CM node take to re-register after a CallManager restart (default 2 s; 0 in a fast lab). */
    phoneReturnMs?: number;
    /** Checks every AXL request (tests pass the XSD validation of test/support/axl-schema.ts). */
    axlValidate?: (xml: string, version: AxlVersion) => string[] | Promise<string[]>;
    /** Session whose work folder the operator writes to (default: the inventory's default session, as `collabsec run` picks it). */
    session?: string;
  } = {},
): Promise<Lab> {
  const example = opts.example ?? join(packageRoot(), 'examples', 'ent-pa.yaml');
  const source: Inventory = parseInventory(readFileSync(example, 'utf8'), example).inventory;
  if (source.cucm.length === 0) throw new Error(`${example}: needs a Unified CM cluster`);

  const dir = mkdtempSync(join(tmpdir(), 'collabsec-lab-'));
  const cred = (k: 'vos' | 'ios' | 'mmp' | 'expressway' | 'axl' | 'cupi', user: string) => ({
    username: source.credentials[k]?.username ?? user,
    env: source.credentials[k]?.passwordEnv ?? `COLLABSEC_LAB_${k.toUpperCase()}_PASSWORD`,
    password: randomBytes(12).toString('base64url'),
  });
  const vos = cred('vos', 'administrator');
  const ios = cred('ios', 'admin');
  const mmp = cred('mmp', 'admin');
  const xapi = cred('expressway', 'admin');
  const axl = cred('axl', 'axl-collabsec');
  const cupi = cred('cupi', 'cuc-admin');
  const users = (c: typeof vos) => ({ [c.username]: c.password });
  const timing = { bannerMs: opts.bannerMs ?? 800, restartMs: opts.restartMs ?? 3000, promptStyle: 'ansi' as const };

  // Every simulator starts at once (each generates its keys): startLab stays quick.
  const specs = vosSpecs(source);
  const vosStarts = specs.map((v) =>
    startVos({
      hostname: v.node.host,
      fqdn: fqdnOf(v.node, source.domain),
      role: v.role,
      release: v.release,
      users: users(vos),
      cluster: v.cluster,
      services: v.profile.active,
      installed: v.profile.installed,
      units: v.profile.units,
      // review-2026 B.2: a few phones on each node that runs CallManager, back a while after its restart.
      // A fast lab (restartMs under a second, as the walk uses) has them back with the service, so
      // that the 10 s registration poll does not add to every restart of a whole-plan run.
      ...(v.profile.active.includes('Cisco CallManager') ? { phones: 4, phoneReturnMs: opts.phoneReturnMs ?? (timing.restartMs >= 1000 ? 2000 : 0) } : {}),
      ...timing,
    }),
  );
  const iosStarts = source.ios.map((r) => startIos({ hostname: r.host, users: users(ios) }));
  const cmsNodes = source.cms?.nodes ?? [];
  const cmsStarts = cmsNodes.map((n) => startCms({ hostname: n.host, users: users(mmp), release: source.cms!.version }));
  // One zone configuration per Expressway cluster, shared by its peers (zones replicate from the primary).
  const expSpecs = expresswaySpecs(source);
  const expStarts = expSpecs.map((e) => startExpressway({ hostname: e.host, users: users(xapi), cluster: e.cluster }));
  const caStart = (async () => {
    const keys = await newKeyPair();
    return { keys, pem: await selfSigned(`CN=${source.ca.enterprise.name.replace(/[,=+<>#;"\\]/g, ' ')} (lab)`, keys, true) };
  })();
  const publicStart = (async () => {
    const keys = await newKeyPair();
    return { keys, pem: await selfSigned(`CN=public-root (lab)`, keys, true) };
  })();
  // AXL answers on each cluster's publisher (the client talks to the publisher only).
  const axlStarts = source.cucm.map((c) =>
    startAxlSimulator({ users: users(axl), cucmVersion: axlRelease(c.version), commonName: fqdnOf(c.publisher, source.domain), ...(opts.axlValidate ? { validate: opts.axlValidate } : {}) }),
  );
  // CUPI answers on the Unity Connection publisher (the steps target it only), seeded like a fresh
  // install integrated with the first cluster's call-processing nodes (TLS port not set yet).
  const firstCluster = source.cucm[0]!;
  const cupiStart = source.unity
    ? startCupiSimulator({
        users: users(cupi),
        commonName: fqdnOf(source.unity.publisher, source.domain),
        state: seedCupiState({ portGroup: source.unity.portGroup, callManagers: [firstCluster.publisher, ...firstCluster.subscribers].filter((n) => n.services.includes('callmanager')).map((n) => fqdnOf(n, source.domain)) }),
      })
    : Promise.resolve(undefined);
  const [vosHandles, iosHandles, cmsHandles, expHandles, ca, publicCa, axlSims, cupiSim] = await Promise.all([Promise.all(vosStarts), Promise.all(iosStarts), Promise.all(cmsStarts), Promise.all(expStarts), caStart, publicStart, Promise.all(axlStarts), cupiStart]);
  // A CUBE / gateway the inventory says is no registrar starts as one, so S078 has a line to remove.
  source.ios.forEach((r, i) => {
    if ((r.roles.includes('cube') || r.roles.includes('gateway')) && !r.registrar) seedRegistrar(iosHandles[i]!.state);
  });

  // Throwaway CAs in the temp folder so the manual signing steps can be rehearsed.
  const caCertFile = join(dir, 'lab-ca.pem');
  const caKeyFile = join(dir, 'lab-ca.key');
  writeFileSync(caCertFile, ca.pem, { mode: 0o644 });
  writePrivate(caKeyFile, await privateKeyPem(ca.keys));
  const writeRoot = (name: string, pem: string) => {
    const file = join(dir, `${name}.pem`);
    writeFileSync(file, pem);
    return file;
  };

  const doc = parseDocument(readFileSync(example, 'utf8'));
  const at = (path: Path, value: unknown) => doc.setIn(path, doc.createNode(value));
  const point = (path: Path, port: number) => {
    at([...path, 'ip'], '127.0.0.1');
    at([...path, 'sshPort'], port);
  };
  specs.forEach((v, i) => point(v.path, vosHandles[i]!.port));
  source.ios.forEach((_r, i) => point(['ios', i], iosHandles[i]!.port));
  cmsNodes.forEach((_n, i) => point(['cms', 'nodes', i], cmsHandles[i]!.port));
  expSpecs.forEach((e, i) => point(e.path, expHandles[i]!.port));
  axlSims.forEach((sim, i) => at(['cucm', i, 'publisher', 'httpsPort'], sim.port)); // ip: 127.0.0.1 already (point)
  if (cupiSim) at(['unity', 'publisher', 'httpsPort'], cupiSim.port);
  at(['ca', 'enterprise', 'rootCertFile'], caCertFile);
  const tlsServices = await startLabTls({ source, ca: { certPem: ca.pem, keys: ca.keys }, vos: new Map(specs.map((v, i) => [v.node.host, vosHandles[i]!.state])), at });
  // The trust-store checks (S002, S003, S025, S027, S037, S110) find the root by its subject CN
  // (review 2026 A.1): the lab inventory names the lab CA as its certificate does.
  at(['ca', 'enterprise', 'name'], certInfo(ca.pem)?.cn ?? source.ca.enterprise.name);
  if (source.ca.public) at(['ca', 'public', 'rootCertFile'], writeRoot('public-root', publicCa.pem));
  if (source.ca.b2bPartnerRootFiles.length > 0) at(['ca', 'b2bPartnerRootFiles'], [writeRoot('partner-root', await selfSigned('CN=partner-root (lab)', await newKeyPair(), true))]);
  for (const [k, c] of [['vos', vos], ['ios', ios], ['mmp', mmp], ['expressway', xapi], ['axl', axl]] as const) at(['credentials', k], { username: c.username, passwordEnv: c.env });
  if (source.unity) at(['credentials', 'cupi'], { username: cupi.username, passwordEnv: cupi.env });
  // Every Expressway peer answers its admin SSH here: the zone checkpoints are read by machine.
  if (source.expressway) at(['expressway', 'adminSsh'], true);
  const schemaFile = join(packageRoot(), 'schema', 'inventory.schema.json');
  const original = (doc.commentBefore ?? '').replace(/\$schema=\S+/, `$schema=${schemaFile}`);
  doc.commentBefore = `${original}\n\n Generated by \`collabsec lab\` from ${example}:\n every SSH target below is a simulator on 127.0.0.1; it is stale once the lab stops.`;

  const inventoryFile = resolve(opts.inventoryOut ?? join(dir, 'inventory.yaml'));
  const text = stringify(doc);
  parseInventory(text, inventoryFile); // the lab inventory must stay valid against the schema
  writePrivate(inventoryFile, text);

  const devices: LabDevice[] = [
    ...specs.map((v, i): LabDevice => {
      const h = vosHandles[i]!;
      return { name: v.node.host, kind: v.role === 'publisher' ? 'vos-publisher' : 'vos-subscriber', product: v.product, port: h.port, fingerprint: h.hostKeyFingerprint, handle: h };
    }),
    ...source.ios.map((r, i): LabDevice => {
      const h = iosHandles[i]!;
      return { name: r.host, kind: 'ios', product: 'ios', port: h.port, fingerprint: h.hostKeyFingerprint, handle: h };
    }),
    ...cmsNodes.map((n, i): LabDevice => {
      const h = cmsHandles[i]!;
      return { name: n.host, kind: 'cms', product: 'cms', port: h.port, fingerprint: h.hostKeyFingerprint, handle: h };
    }),
    ...expSpecs.map((e, i): LabDevice => {
      const h = expHandles[i]!;
      return { name: e.host, kind: 'expressway', product: `expressway-${e.role}`, port: h.port, fingerprint: h.hostKeyFingerprint, handle: h };
    }),
  ];
  const knownHostsFile = resolve(opts.knownHostsOut ?? join(dir, 'known_hosts'));
  writePrivate(knownHostsFile, `${devices.map((d) => knownHostsLine(d.handle)).join('\n')}\n`);
  const tlsPinsFile = join(dir, 'tls_pins');
  writePrivate(tlsPinsFile, [...axlSims, ...(cupiSim ? [cupiSim] : [])].map((sim) => formatPin(sim.host, sim.port, sim.pin)).join(''));
  const labAxl = source.cucm.map((c, i): LabAxl => ({ node: c.publisher.host, port: axlSims[i]!.port, pin: axlSims[i]!.pin, simulator: axlSims[i]! }));
  // The AXL user has the Serviceability role too: credentials.controlcenter defaults to credentials.axl.
  const labCcs = source.cucm.map((c, i) => {
    const node = vosHandles[specs.findIndex((v) => v.node === c.publisher)]!.state;
    const service = controlCenterService({ users: users(axl), node });
    axlSims[i]!.mount(service.route);
    return { node: c.publisher.host, service };
  });
  source.cucm.forEach((c, i) => seedAxl(axlSims[i]!.state, source, c));
  source.cucm.forEach((c, i) => seedTrunks(axlSims[i]!.state, source, c));

  const loaded = loadInventory(inventoryFile);
  // The lab's DNS: every name the rollout resolves, at its lab address (127.0.0.1 where the
  // inventory gives none), known to every simulated VOS cluster (P012, P013 read it).
  const zone = dnsNames(loaded.inventory).map((n) => ({ name: n.name, ip: n.ip ?? '127.0.0.1' }));
  for (const cluster of new Set(specs.map((v) => v.cluster))) cluster.preflight.dns = zone;
  const operator = createOperator({
    inventory: loaded,
    roles: await loadRoleTable(),
    workdir: join(defaultSessionDir(inventoryFile), 'workdirs', opts.session ?? defaultSessionName(inventoryFile)),
    ca: { certPem: ca.pem, keys: ca.keys },
    publicCa: { certPem: publicCa.pem, keys: publicCa.keys },
    vos: new Map(specs.map((v, i) => [v.node.host, { state: vosHandles[i]!.state, product: v.product }])),
    ios: new Map(source.ios.map((r, i) => [r.host, iosHandles[i]!.state])),
    cms: new Map(cmsNodes.map((n, i) => [n.host, cmsHandles[i]!.state])),
    expressway: new Map(expSpecs.map((e, i): [string, ExpresswayState] => [e.host, expHandles[i]!.state])),
    axl: new Map(labAxl.map((a) => [a.node, a.simulator.state])),
    tls: new Map(tlsServices.map((t) => [t.node, t])),
  });

  return {
    devices,
    env: { [vos.env]: vos.password, [ios.env]: ios.password, [mmp.env]: mmp.password, ...(expSpecs.length > 0 ? { [xapi.env]: xapi.password } : {}), [axl.env]: axl.password, ...(cupiSim ? { [cupi.env]: cupi.password } : {}) },
    axl: labAxl,
    controlcenter: labCcs,
    ...(cupiSim && source.unity ? { cupi: { node: source.unity.publisher.host, simulator: cupiSim } } : {}),
    tlsPinsFile,
    inventoryFile,
    knownHostsFile,
    dir,
    caCertFile,
    caKeyFile,
    operator,
    tls: tlsServices,
    close: async () => {
      await Promise.all([...devices.map((d) => d.handle.close()), ...axlSims.map((s) => s.close()), ...(cupiSim ? [cupiSim.close()] : []), ...tlsServices.map((t) => t.close())]);
      rmSync(caKeyFile, { force: true }); // the lab CA dies with the lab
    },
  };
}

function stringify(doc: Document): string {
  return doc.toString({ lineWidth: 0 });
}
