// A VOS cluster of lab simulators over real SSH on loopback, a plan built for it, and the wizard's
// live ports over them: the same adapter `run --live` uses, with its inventory-derived inputs
// (ports, publishers, credentials) given directly.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { knownHostsLine, newVosCluster, startVos, type DeviceHandle, type VosClusterState, type VosNodeState } from '../../src/lab/server.js';
import type { Action, Plan, PlannedStep, RenderedCommand } from '../../src/plan/types.js';
import { openSession, type Session } from '../../src/session/index.js';
import type { Credential, CredentialKey } from '../../src/wizard/credentials.js';
import { livePorts, type LiveOptions, type LivePorts } from '../../src/wizard/live.js';

export const USER = 'administrator';
export type Vos = DeviceHandle<VosNodeState> & { state: VosNodeState };

export interface Cluster {
  nodes: Record<string, Vos>;
  cluster: VosClusterState;
  dir: string;
  knownHosts: string;
  close(): Promise<void>;
}

/** `names[0]` is the publisher. */
export async function startCluster(names: string[], password: string, opts: { restartMs?: number; mode?: 0 | 1 } = {}): Promise<Cluster> {
  const cluster = newVosCluster({ clusterSecurityMode: opts.mode ?? 0 });
  const devs = await Promise.all(names.map((n, i) => startVos({ hostname: n, role: i === 0 ? 'publisher' : 'subscriber', users: { [USER]: password }, cluster, restartMs: opts.restartMs ?? 150, bannerMs: 0 })));
  const dir = mkdtempSync(path.join(tmpdir(), 'collabsec-live-'));
  const knownHosts = path.join(dir, 'known_hosts');
  writeFileSync(knownHosts, devs.map((d) => `${knownHostsLine(d)}\n`).join(''), { mode: 0o600 });
  return {
    nodes: Object.fromEntries(names.map((n, i) => [n, devs[i]!])),
    cluster,
    dir,
    knownHosts,
    close: async () => {
      await Promise.all(devs.map((d) => d.close()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function cmd(line: string, timeoutMs = 10_000, dialogue: RenderedCommand['dialogue'] = []): RenderedCommand {
  return { line, dialogue, timeoutMs };
}

export function vosAction(node: string, exchanges: RenderedCommand[]): Action {
  return { target: node, host: '127.0.0.1', platform: 'vos', commands: exchanges.map((e) => e.line), exchanges, pasteFiles: [] };
}

/** The wizard tests' step factory: one definition of a minimal PlannedStep. */
export { step } from '../wizard/fixtures.js';

export function plan(steps: PlannedStep[], title = 'Live test rollout'): Plan {
  return { inventoryHash: 'inv', catalogueHash: 'cat', title, summary: [], steps };
}

export const servicesStarted = { command: 'utils service list', parser: 'vos-services-started', args: {} };
export const mixedModeVerify = { command: "run sql select paramname,paramvalue from processconfig where paramname='ClusterSecurityMode'", parser: 'vos-cluster-security-mode', args: { expected: '1' } };
export const mixedModeCommand = cmd('utils ctl set-cluster mixed-mode', 30_000, [{ expect: 'Do you want to continue? (y/n)', answer: 'y' }]);

export function ports(c: Cluster, p: Plan, credentials: Map<CredentialKey, Credential>, over: Partial<LiveOptions> = {}): LivePorts {
  const names = Object.keys(c.nodes);
  return livePorts({
    plan: p,
    credentials,
    nodes: new Map(names.map((n) => [n, { host: '127.0.0.1', port: c.nodes[n]!.port, platform: 'vos' as const }])),
    publishers: new Set(names.slice(0, 1)),
    pasteDir: c.dir,
    knownHostsFile: c.knownHosts,
    transcriptDir: path.join(c.dir, '.collabsec', 'transcripts', 's'),
    transcriptRoot: path.join(c.dir, '.collabsec'),
    confirmHostKey: () => Promise.reject(new Error('unexpected host key question')),
    healthIntervalMs: 50,
    healthTimeoutMs: 1_000,
    ...over,
  });
}

export function creds(password: string): Map<CredentialKey, Credential> {
  return new Map([['vos', { username: USER, password }]]);
}

export function open(c: Cluster, p: Plan, name = 's'): Promise<Session> {
  return openSession({ plan: p, inventoryPath: path.join(c.dir, 'inventory.yaml'), dir: path.join(c.dir, '.collabsec'), name });
}

export async function onDisk(s: Session): Promise<string> {
  return readFile(s.file, 'utf8');
}

/** A Writable that keeps what plain mode prints. */
export function sink(): { out: Writable; text: () => string } {
  let text = '';
  const out = new Writable({
    write(c: Buffer, _e, cb) {
      text += c.toString();
      cb();
    },
  });
  return { out, text: () => text };
}
