// State of simulated VOS nodes. Trust stores, cluster security mode, SIP OAuth mode and the CTL
// are cluster-wide (one VosClusterState shared by publisher and subscribers), as on CUCM where a
// certificate uploaded on the publisher is replicated to every node (seed-outline S002).
import { newKeyPair, selfSigned, type KeyPair } from './pki.js';

export interface VosCert {
  /** "<unit>" for own certs, "<unit>-trust" for trust stores. */
  store: string;
  /** File name, e.g. "tomcat.pem". */
  file: string;
  pem: string;
  /** Text after "<store>/<file>: " in `show cert list` (cli-facts §1.3). */
  description: string;
  issuerCn: string;
}

export interface CtlRecord {
  func: string;
  subject: string;
  host: string;
}

export interface VosClusterState {
  /** processconfig ClusterSecurityMode: 0 non-secure, 1 mixed (cli-facts §1.4). */
  clusterSecurityMode: 0 | 1;
  /** processconfig ClusterSIPOAuthMode: 0 disabled, 1 enabled (cli-facts §1.5). */
  sipOAuthMode: 0 | 1;
  /** Smart Licensing allows export-controlled functionality (mixed mode needs it, cli-facts §1.4). */
  exportControlled: boolean;
  /** Auto-registration enabled on a CM node: adds a line to the mixed-mode warning (cli-facts §1.4). */
  autoRegistration: boolean;
  /** What the pre-flight reads answer (src/lab/vos-preflight.ts); tests set faults here. */
  preflight: VosPreflightState;
  trust: VosCert[];
  /** The CTL file, written by set-cluster mixed-mode / utils ctl update CTLFile. */
  ctl: { records: CtlRecord[]; modified: Date } | undefined;
  nodes: VosNodeState[];
}

/**
 * The cluster's health as the pre-flight reads see it (review-2026 C.4). Defaults are a healthy
 * cluster; each field is a fault a test can inject.
 */
export interface VosPreflightState {
  /** Names and addresses DNS does not answer (`utils network host` prints "No external servers found"). */
  dnsMissing: string[];
  /**
   * The lab's DNS zone beyond the cluster's own nodes: every name of the lab inventory with its
   * address (src/lab/lab.ts fills it; the lab gives 127.0.0.1 to a name the inventory has no address for).
   */
  dns: { name: string; ip: string }[];
  /** Names whose PTR record is missing: a reverse lookup of their address does not name them. */
  ptrMissing: string[];
  /** NTP stratum of the node (`utils ntp status`); undefined = unsynchronised. */
  ntpStratum: number | undefined;
  /** `utils diagnose test` modules that fail, with their failure text (TAC 217581: "Reverse DNS lookup failed"). */
  diagnoseFailures: Record<string, string>;
  /** Replication state of every server in `utils dbreplication runtimestate` (2 = good). */
  replicationState: number;
  /** `utils disaster_recovery history backup`, oldest first. */
  backups: { file: string; result: 'SUCCESS' | 'ERROR' }[];
}

export type ServiceStatus = 'STARTED' | 'STOPPED' | 'STOPPING' | 'STARTING' | 'NOT_ACTIVATED';

export interface VosNodeState {
  hostname: string;
  /** FQDN used as the CN (and SAN) of the node's own certificates and CLI CSRs ([I]); the host name when absent. */
  fqdn?: string;
  role: 'publisher' | 'subscriber';
  /** The node's address as the inventory gives it (the lab's nodes all listen on 127.0.0.1). */
  ip: string;
  /**
   * The VOS release the node runs, as the inventory names it (src/inventory/versions.ts). From
   * 14SU2 `set csr gen` asks `Include OU in CSR (yes|no)?` (cli-facts §1.3, review-2026 A.9).
   */
  release: string;
  /** The organisation unit VOS would put in a CSR ([I] the lab's value; real VOS takes the one set with `set web-security`). */
  orgUnit: string;
  cluster: VosClusterState;
  own: VosCert[];
  /** CSRs by unit, as PEM ("tomcat" → tomcat/tomcat.csr). */
  csrs: Record<string, string>;
  /** Service display name → status (cli-facts §1.6 names are case-sensitive). */
  services: Record<string, ServiceStatus>;
  /**
   * When each running service last reached STARTED (ms since the epoch), shown by the [I]
   * `show process list detail` probe: a restart changes it, a restart never sent does not.
   */
  startedAt: Record<string, number>;
  /** Completed restarts per service, in order (tests check rolling order and health gates). */
  restarts: { service: string; at: number }[];
  /** Simulated duration of `utils service restart` (ms). */
  restartMs: number;
  /**
   * Phones registered to this node while Cisco CallManager runs (`show risdb query phone`). A
   * CallManager restart unregisters them; they come back one by one over `phoneReturnMs` after it
   * is STARTED again (review-2026 B.2: phones re-register minutes after the service is up).
   */
  phones: number;
  phoneReturnMs: number;
  /** When Cisco CallManager last came back from a restart (the phones' return starts there). */
  phonesBackFrom?: number;
  /** Total banner time before the first `admin:` (real boxes take ~8 s, cli-facts §1.1). */
  bannerMs: number;
  /** 'ansi' writes the prompt as "\r\x1b[Kadmin:", as unicon's regex allows (cli-facts §1.1). */
  promptStyle: 'plain' | 'ansi';
  /** The node's key (own certs and CSRs use it; real VOS has one per unit). */
  keys: KeyPair;
}

export const VOS_SERVICES = [
  'Cisco Tomcat',
  'Cisco CallManager',
  'Cisco Tftp',
  'Cisco CTIManager',
  'Cisco Certificate Authority Proxy Function',
  'Cisco Trust Verification Service',
] as const;

export const CAPF = 'Cisco Certificate Authority Proxy Function';

/** Units that have an own certificate and a <unit>-trust store ([I] list, CUCM 12.5 defaults). */
export const VOS_UNITS = ['tomcat', 'CallManager', 'CAPF', 'TVS', 'ipsec', 'ITLRecovery'];

export function newVosCluster(init: Partial<Omit<VosClusterState, 'nodes' | 'trust'>> = {}): VosClusterState {
  return {
    clusterSecurityMode: 0,
    sipOAuthMode: 0,
    exportControlled: true,
    autoRegistration: false,
    ctl: undefined,
    preflight: { dnsMissing: [], dns: [], ptrMissing: [], ntpStratum: 3, diagnoseFailures: {}, replicationState: 2, backups: [{ file: '2026-12-11-02-00-00.tar', result: 'SUCCESS' }] },
    ...init,
    trust: [],
    nodes: [],
  };
}

export async function newVosNode(opts: {
  hostname: string;
  fqdn?: string;
  role: 'publisher' | 'subscriber';
  /** Default 127.0.0.1, where the lab's simulators listen. */
  ip?: string;
  /** VOS release (default 12.5, the chapter's: no OU question). */
  release?: string;
  cluster?: VosClusterState;
  services?: string[];
  /** Services the node has, listed "Not Activated" unless in `services` (default: VOS_SERVICES, the CUCM set). */
  installed?: readonly string[];
  /** Own-certificate units (default: VOS_UNITS, the CUCM set). */
  units?: readonly string[];
  restartMs?: number;
  phones?: number;
  phoneReturnMs?: number;
  bannerMs?: number;
  promptStyle?: 'plain' | 'ansi';
}): Promise<VosNodeState> {
  const cluster = opts.cluster ?? newVosCluster();
  const keys = await newKeyPair();
  // CAPF runs on the publisher only (seed-outline S021), so subscribers default without it.
  const installed = opts.installed ?? VOS_SERVICES;
  const active = opts.services ?? installed.filter((s) => opts.role === 'publisher' || s !== CAPF);
  const services: Record<string, ServiceStatus> = {};
  for (const s of new Set([...installed, ...active])) services[s] = active.includes(s) ? 'STARTED' : 'NOT_ACTIVATED';
  const own: VosCert[] = [];
  const name = opts.fqdn ?? opts.hostname;
  for (const unit of opts.units ?? VOS_UNITS) {
    const pem = await selfSigned(`CN=${unit === 'tomcat' || unit === 'CallManager' ? name : `${unit}-${name}`}`, keys);
    // cli-facts §1.3: "tomcat/tomcat.pem: Self-signed certificate generated by system"
    own.push({ store: unit, file: `${unit}.pem`, pem, description: 'Self-signed certificate generated by system', issuerCn: opts.hostname });
  }
  const node: VosNodeState = {
    hostname: opts.hostname,
    ...(opts.fqdn !== undefined ? { fqdn: opts.fqdn } : {}),
    role: opts.role,
    ip: opts.ip ?? '127.0.0.1',
    release: opts.release ?? '12.5',
    orgUnit: 'Collaboration',
    cluster,
    own,
    csrs: {},
    services,
    startedAt: Object.fromEntries(Object.entries(services).filter(([, st]) => st === 'STARTED').map(([n]) => [n, Date.now()])),
    restarts: [],
    restartMs: opts.restartMs ?? 100,
    phones: opts.phones ?? 0,
    phoneReturnMs: opts.phoneReturnMs ?? 0,
    bannerMs: opts.bannerMs ?? 50,
    promptStyle: opts.promptStyle ?? 'plain',
    keys,
  };
  // [I] each node's self-signed tomcat/CallManager certs sit in the cluster trust stores.
  for (const unit of ['tomcat', 'CallManager']) {
    const c = own.find((o) => o.store === unit);
    if (c) cluster.trust.push({ ...c, store: `${unit}-trust`, file: `${opts.hostname}.pem` });
  }
  cluster.nodes.push(node);
  return node;
}
