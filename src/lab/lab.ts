// `collabsec lab`: a VOS publisher + subscriber (one cluster state), an IOS CUBE and a CMS node on
// 127.0.0.1, an inventory derived from the example (hosts/ports rewritten, so it stays valid
// against the schema), a known_hosts file, and a throwaway lab CA for the manual signing steps.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument, type Document } from 'yaml';
import { parseInventory } from '../inventory/load.js';
import type { Inventory } from '../inventory/schema.js';
import { newKeyPair, privateKeyPem, selfSigned } from './pki.js';
import { knownHostsLine, newVosCluster, startCms, startIos, startVos } from './server.js';
import type { DeviceHandle } from './types.js';

export interface LabDevice {
  name: string;
  kind: 'vos-publisher' | 'vos-subscriber' | 'ios' | 'cms';
  port: number;
  fingerprint: string;
  handle: DeviceHandle;
}

export interface Lab {
  devices: LabDevice[];
  /** Environment variable → generated password (the inventory's passwordEnv names). */
  env: Record<string, string>;
  inventoryFile: string;
  knownHostsFile: string;
  /** Temp folder holding the lab CA (cert + key) and, by default, the outputs. */
  dir: string;
  caCertFile: string;
  caKeyFile: string;
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

const VOS_SERVICE: Record<string, string> = { callmanager: 'Cisco CallManager', tftp: 'Cisco Tftp', ctimanager: 'Cisco CTIManager' };

function vosServices(services: string[], publisher: boolean): string[] {
  // Tomcat and TVS run everywhere; CAPF is activated on the publisher (seed-outline S021).
  return ['Cisco Tomcat', 'Cisco Trust Verification Service', ...services.map((s) => VOS_SERVICE[s] ?? s), ...(publisher ? ['Cisco Certificate Authority Proxy Function'] : [])];
}

function writePrivate(file: string, text: string): void {
  writeFileSync(file, text, { mode: 0o600 });
  chmodSync(file, 0o600);
}

export async function startLab(opts: { example?: string; inventoryOut?: string; knownHostsOut?: string; bannerMs?: number; restartMs?: number } = {}): Promise<Lab> {
  const example = opts.example ?? join(packageRoot(), 'examples', 'ent-pa.yaml');
  const source: Inventory = parseInventory(readFileSync(example, 'utf8'), example).inventory;
  const cucm = source.cucm[0];
  const router = source.ios[0];
  const cmsNode = source.cms?.nodes[0];
  const sub = cucm?.subscribers[0];
  if (!cucm || !sub || !router || !cmsNode || !source.cms) throw new Error(`${example}: needs a CUCM publisher + subscriber, an IOS router and a CMS node`);

  const dir = mkdtempSync(join(tmpdir(), 'collabsec-lab-'));
  const cred = (k: 'vos' | 'ios' | 'mmp', user: string) => ({
    username: source.credentials[k]?.username ?? user,
    env: source.credentials[k]?.passwordEnv ?? `COLLABSEC_LAB_${k.toUpperCase()}_PASSWORD`,
    password: randomBytes(12).toString('base64url'),
  });
  const vos = cred('vos', 'administrator');
  const ios = cred('ios', 'admin');
  const mmp = cred('mmp', 'admin');

  const cluster = newVosCluster({ autoRegistration: source.features.autoRegistration });
  const timing = { bannerMs: opts.bannerMs ?? 800, restartMs: opts.restartMs ?? 3000, promptStyle: 'ansi' as const };
  const users = (c: typeof vos) => ({ [c.username]: c.password });
  const pub = await startVos({ hostname: cucm.publisher.host, role: 'publisher', users: users(vos), cluster, services: vosServices(cucm.publisher.services, true), ...timing });
  const sb = await startVos({ hostname: sub.host, role: 'subscriber', users: users(vos), cluster, services: vosServices(sub.services, false), ...timing });
  const cube = await startIos({ hostname: router.host, users: users(ios) });
  const cms = await startCms({ hostname: cmsNode.host, users: users(mmp) });

  // Throwaway CAs in the temp folder so the manual signing steps can be rehearsed.
  const caKeys = await newKeyPair();
  const caCertFile = join(dir, 'lab-ca.pem');
  const caKeyFile = join(dir, 'lab-ca.key');
  writeFileSync(caCertFile, await selfSigned(`CN=${source.ca.enterprise.name.replace(/[,=+<>#;"\\]/g, ' ')} (lab)`, caKeys, true), { mode: 0o644 });
  writePrivate(caKeyFile, await privateKeyPem(caKeys));
  const otherRoot = async (name: string) => {
    const file = join(dir, `${name}.pem`);
    writeFileSync(file, await selfSigned(`CN=${name} (lab)`, await newKeyPair(), true));
    return file;
  };

  const doc = parseDocument(readFileSync(example, 'utf8'));
  const at = (path: (string | number)[], value: unknown) => doc.setIn(path, doc.createNode(value));
  at(['cucm', 0, 'publisher', 'ip'], '127.0.0.1');
  at(['cucm', 0, 'publisher', 'sshPort'], pub.port);
  at(['cucm', 0, 'subscribers'], [{ ...stripUndefined(sub), ip: '127.0.0.1', sshPort: sb.port }]);
  at(['ios'], [{ ...stripUndefined(router), ip: '127.0.0.1', sshPort: cube.port }]);
  const allCms = [...new Set(source.cms.nodes.flatMap((n) => n.services))];
  at(['cms', 'nodes'], [{ host: cmsNode.host, ip: '127.0.0.1', sshPort: cms.port, services: allCms }]);
  at(['ca', 'enterprise', 'rootCertFile'], caCertFile);
  if (source.ca.public) at(['ca', 'public', 'rootCertFile'], await otherRoot('public-root'));
  if (source.ca.b2bPartnerRootFiles.length > 0) at(['ca', 'b2bPartnerRootFiles'], [await otherRoot('partner-root')]);
  for (const [k, c] of [['vos', vos], ['ios', ios], ['mmp', mmp]] as const) at(['credentials', k], { username: c.username, passwordEnv: c.env });
  // VOS nodes the lab does not simulate would be contacted for real: leave them out.
  for (const path of [['cucm', 0, 'imp'], ['unity'], ['pcd']]) doc.deleteIn(path);
  const schemaFile = join(packageRoot(), 'schema', 'inventory.schema.json');
  const original = (doc.commentBefore ?? '').replace(/\$schema=\S+/, `$schema=${schemaFile}`);
  doc.commentBefore = `${original}\n\n Generated by \`collabsec lab\` from ${example}:\n every SSH target below is a simulator on 127.0.0.1; it is stale once the lab stops.`;

  const inventoryFile = resolve(opts.inventoryOut ?? join(dir, 'inventory.yaml'));
  const text = stringify(doc);
  parseInventory(text, inventoryFile); // the lab inventory must stay valid against the schema
  writePrivate(inventoryFile, text);

  const devices: LabDevice[] = [
    { name: cucm.publisher.host, kind: 'vos-publisher', port: pub.port, fingerprint: pub.hostKeyFingerprint, handle: pub },
    { name: sub.host, kind: 'vos-subscriber', port: sb.port, fingerprint: sb.hostKeyFingerprint, handle: sb },
    { name: router.host, kind: 'ios', port: cube.port, fingerprint: cube.hostKeyFingerprint, handle: cube },
    { name: cmsNode.host, kind: 'cms', port: cms.port, fingerprint: cms.hostKeyFingerprint, handle: cms },
  ];
  const knownHostsFile = resolve(opts.knownHostsOut ?? join(dir, 'known_hosts'));
  writePrivate(knownHostsFile, `${devices.map((d) => knownHostsLine(d.handle)).join('\n')}\n`);

  return {
    devices,
    env: { [vos.env]: vos.password, [ios.env]: ios.password, [mmp.env]: mmp.password },
    inventoryFile,
    knownHostsFile,
    dir,
    caCertFile,
    caKeyFile,
    close: async () => {
      await Promise.all(devices.map((d) => d.handle.close()));
      rmSync(caKeyFile, { force: true }); // the lab CA dies with the lab
    },
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0))) as Partial<T>;
}

function stringify(doc: Document): string {
  return doc.toString({ lineWidth: 0 });
}
