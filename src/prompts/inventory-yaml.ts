// Turns the answers of `collabsec init` into an inventory object and YAML with comments. Pure
// (no prompts here) so the same code is exercised by tests without a terminal.
import { Document, isCollection, isMap, isPair, isScalar } from 'yaml';
import type { InventoryInput } from '../inventory/schema.js';

/** The JSON Schema `init` writes beside the inventory; the modeline names it relative to the inventory. */
export const SCHEMA_FILE = 'inventory.schema.json';
export const SCHEMA_MODELINE = `# yaml-language-server: $schema=./${SCHEMA_FILE}`;

export interface NodeAnswer {
  host: string;
  ip: string;
}

/** A login by name; its password lives in the environment variable named here (never in the file). */
export interface CredentialAnswer {
  username: string;
  passwordEnv: string;
}

export type CmsService = 'callbridge' | 'webadmin' | 'webbridge' | 'xmpp' | 'database';
export type IosRole = 'gateway' | 'cube' | 'srst';

export interface IosAnswer extends NodeAnswer {
  roles: IosRole[];
  cn: string;
  trustpoint: string;
  keyLabel: string;
  /** Unified CM addresses for `crypto signaling remote-addr` (CUBE and gateway only). */
  ucmPeers: { ip: string; mask: string }[];
  dialPeers: number[];
  /** Secure SRST only (features.secureSrst). */
  lscIssuerTrustpoint?: string;
}

export interface ExpresswayClusterAnswer {
  clusterName: string;
  nodes: NodeAnswer[];
}

export interface InitAnswers {
  title: string;
  domain: string;
  caName: string;
  rootCertFile: string;
  clusterName: string;
  publisher: NodeAnswer & { services: ('callmanager' | 'tftp' | 'ctimanager')[] };
  subscribers: (NodeAnswer & { services: ('callmanager' | 'tftp' | 'ctimanager')[] })[];
  imp?: { publisher: NodeAnswer; subscribers: NodeAnswer[] };
  vosUser: string;
  vosPasswordEnv: string;
  /** AXL application user (Standard AXL API Access), for the AXL form of the Unified CM steps. */
  axl?: CredentialAnswer;
  unity?: { publisher: NodeAnswer; subscriber?: NodeAnswer; blocked?: string[] };
  expressway?: {
    c: ExpresswayClusterAnswer;
    e: ExpresswayClusterAnswer;
    registrationDomains: string[];
    xmppFederationDomains: string[];
    /** features.b2b: the traversal zone port (the neighbor zone port is the cluster's b2bIncomingPort, 5561). */
    b2bTraversalPort?: number;
  };
  /** The public CA of Expressway-E (required with an Expressway pair, Table 7-5). */
  publicCa?: { name: string; rootCertFile: string };
  ios?: { routers: IosAnswer[]; credential: CredentialAnswer };
  cms?: {
    /** Meeting Server release (src/inventory/versions.ts CMS_RELEASES). */
    version: '2.x' | '3.x';
    xmppDomain?: string;
    commonName?: string;
    csrSubject: { OU: string; O: string; L: string; ST: string; C: string };
    nodes: (NodeAnswer & { services: CmsService[] })[];
    credential: CredentialAnswer;
  };
  cmm?: { host: string };
  tms?: { host: string };
  pcd?: NodeAnswer;
  pcp?: { host: string };
  capfOnlineCa?: { host: string; template: string } & CredentialAnswer;
  features: string[];
  profiles?: { lscTftpEncrypted: string; lsc: string; initial: string; jabber: string };
}

/** Which part of the deployment a feature needs before `init` offers it. */
export type FeatureNeed = 'expressway' | 'srst' | 'ios';

/** Features `init` offers; one whose `needs` is absent from the answers is not offered (and is written false). */
export const initFeatures: readonly { value: string; name: string; checked: boolean; needs?: FeatureNeed }[] = [
  { value: 'mixedMode', name: 'Mixed mode (tokenless CTL): encrypted signalling and media', checked: true },
  { value: 'sipOAuth', name: 'SIP OAuth for Jabber', checked: false },
  { value: 'tftpEncryptedConfig', name: 'TFTP encrypted configuration files', checked: false },
  { value: 'ocsp', name: 'OCSP revocation checking', checked: false },
  { value: 'autoRegistration', name: 'Auto-registration', checked: false },
  { value: 'callAdmissionControl', name: 'Call admission control', checked: false },
  { value: 'capfOnlineCa', name: 'CAPF with an online CA (Microsoft CA) issuing the LSCs', checked: false },
  { value: 'mra', name: 'Mobile and Remote Access through Expressway', checked: true, needs: 'expressway' },
  { value: 'xmppFederation', name: 'XMPP federation through Expressway', checked: false, needs: 'expressway' },
  { value: 'b2b', name: 'Business-to-business calls through Expressway', checked: false, needs: 'expressway' },
  { value: 'secureSrst', name: 'Secure SRST on the SRST routers', checked: true, needs: 'srst' },
];

/** The features worth asking about for what the answers describe so far. */
export function offeredFeatures(a: Pick<InitAnswers, 'expressway' | 'ios'>): typeof initFeatures {
  const has = (n: FeatureNeed): boolean =>
    n === 'expressway' ? a.expressway !== undefined : n === 'ios' ? (a.ios?.routers.length ?? 0) > 0 : (a.ios?.routers.some((r) => r.roles.includes('srst')) ?? false);
  return initFeatures.filter((f) => f.needs === undefined || has(f.needs));
}

/** The default Unified CM neighbor port of the B2B zone (the trunk profile's Incoming Port, A-02). */
const B2B_INCOMING_PORT = 5561;

function iosRouter(r: IosAnswer): NonNullable<InventoryInput['ios']>[number] {
  return {
    host: r.host,
    ip: r.ip,
    roles: r.roles,
    cn: r.cn,
    trustpoint: r.trustpoint,
    keyLabel: r.keyLabel,
    ...(r.ucmPeers.length > 0 ? { ucmPeers: r.ucmPeers } : {}),
    ...(r.dialPeers.length > 0 ? { dialPeers: r.dialPeers } : {}),
    ...(r.lscIssuerTrustpoint !== undefined ? { lscIssuerTrustpoint: r.lscIssuerTrustpoint } : {}),
  };
}

export function buildInventory(a: InitAnswers): InventoryInput {
  const credentials: NonNullable<InventoryInput['credentials']> = { vos: { username: a.vosUser, passwordEnv: a.vosPasswordEnv } };
  if (a.ios) credentials.ios = { ...a.ios.credential };
  if (a.cms) credentials.mmp = { ...a.cms.credential };
  if (a.axl) credentials.axl = { ...a.axl };
  const inv: InventoryInput = {
    title: a.title,
    domain: a.domain,
    ca: {
      enterprise: { name: a.caName, rootCertFile: a.rootCertFile },
      ...(a.publicCa ? { public: { ...a.publicCa } } : {}),
    },
    credentials,
    features: Object.fromEntries(initFeatures.map((f) => [f.value, a.features.includes(f.value)])),
    cucm: [
      {
        name: a.clusterName,
        publisher: a.publisher,
        subscribers: a.subscribers,
        ...(a.imp ? { imp: a.imp } : {}),
        ...(a.capfOnlineCa
          ? { capfOnlineCa: { host: a.capfOnlineCa.host, template: a.capfOnlineCa.template, username: a.capfOnlineCa.username, passwordEnv: a.capfOnlineCa.passwordEnv } }
          : {}),
      },
    ],
  };
  if (a.profiles)
    inv.phoneSecurityProfiles = { lscTftpEncrypted: a.profiles.lscTftpEncrypted, lsc: a.profiles.lsc, initial: { name: a.profiles.initial, mode: 'null-string' }, jabber: a.profiles.jabber };
  if (a.unity) inv.unity = { publisher: a.unity.publisher, ...(a.unity.subscriber ? { subscriber: a.unity.subscriber } : {}), restrictionTables: { blocked: a.unity.blocked ?? [] } };
  if (a.expressway) {
    const x = a.expressway;
    inv.expressway = {
      c: { clusterName: x.c.clusterName, nodes: x.c.nodes },
      e: { clusterName: x.e.clusterName, nodes: x.e.nodes },
      registrationDomains: x.registrationDomains,
      xmppFederationDomains: x.xmppFederationDomains,
      ...(x.b2bTraversalPort !== undefined ? { b2b: { neighborZonePort: B2B_INCOMING_PORT, traversalPort: x.b2bTraversalPort } } : {}),
    };
  }
  if (a.ios && a.ios.routers.length > 0) inv.ios = a.ios.routers.map(iosRouter);
  if (a.cms) inv.cms = { version: a.cms.version, ...(a.cms.xmppDomain !== undefined ? { xmppDomain: a.cms.xmppDomain } : { commonName: a.cms.commonName }), csrSubject: { ...a.cms.csrSubject }, nodes: a.cms.nodes };
  if (a.cmm) inv.cmm = { host: a.cmm.host };
  if (a.tms) inv.tms = { host: a.tms.host };
  if (a.pcd) inv.pcd = { host: a.pcd.host, ip: a.pcd.ip };
  if (a.pcp) inv.pcp = { host: a.pcp.host };
  return inv;
}

const comments: Record<string, string> = {
  title: ' Written by `collabsec init`. Check it with `collabsec plan --inventory <this file>`.\n Commented lines are optional settings at their defaults: uncomment one to change it.',
  ca: ' Root CA files are read relative to this file; put the PEM beside it.',
  credentials: ' Secrets never live here: name an environment variable, or collabsec asks at run time.',
  features: ' Every feature the schema knows; see examples/ent-pa.yaml for a deployment with all of them on.',
  cucm: ' Unified CM cluster: the publisher first; services decide which certificates and restarts apply.',
  phoneSecurityProfiles: ' Table 7-13 names (no trailing "f").',
  unity: ' Cisco Unity Connection.',
  expressway: ' Cisco Expressway-C and Expressway-E clusters.',
  ios: ' Cisco IOS gateways, CUBE and SRST routers.',
  cms: ' Cisco Meeting Server.',
  cmm: ' Cisco Meeting Management.',
  tms: ' Cisco TelePresence Management Suite.',
  pcd: ' Cisco Prime Collaboration Deployment.',
  pcp: ' Cisco Prime Collaboration Provisioning.',
};

/**
 * Optional settings shown as commented lines inside the section they belong to, at their
 * defaults (the schema's own, or examples/ent-pa.yaml's where the schema has none).
 */
function optionalLines(inv: InventoryInput): [path: (string | number)[], lines: string[]][] {
  const out: [(string | number)[], string[]][] = [
    [['credentials'], [
      ...(inv.expressway ? ['expressway: { username: admin, passwordEnv: COLLABSEC_EXPRESSWAY_PASSWORD }   # with expressway.adminSsh: true'] : []),
      ...(inv.credentials?.axl ? [] : ['axl: { username: axl-collabsec, passwordEnv: COLLABSEC_AXL_PASSWORD }   # AXL application user']),
    ]],
    [['credentials', 'ios'], ['enableSecretEnv: COLLABSEC_IOS_ENABLE_SECRET   # when the login lands at ">" (user EXEC)']],
    [['features'], ['cucmCaSigned: true                 # off: S070 imports the Unified CM certificates on IOS', 'iosDefaultTrustpoint: true         # A-09: crypto signaling default trustpoint']],
    [['cucm', 0], [
      "version: '15'                      # 12.5, 14 or 15",
      `b2bIncomingPort: ${B2B_INCOMING_PORT}`,
      'sipTrunks: { unity: [], cms: [], b2b: [], ios: [], intercluster: [] }   # existing trunk names, for AXL',
      'ldapDirectories: []                # existing LDAP directory agreements S014 moves to TLS',
      'srstReferences: []                 # SRST references of the secure SRST routers (S036)',
      'certificateMonitor: { notifyDays: 60, notifyFrequencyDays: 1, emails: [] }',
    ]],
  ];
  if (inv.unity) out.push([['unity'], ['portGroup: PhoneSystem-1']]);
  if (inv.expressway)
    out.push([['expressway'], ['chatNodeAliases: []', 'adminSsh: false                    # verify the zone steps over the admin SSH (credentials.expressway)']]);
  inv.ios?.forEach((_, i) => out.push([['ios', i], ['sshPort: 22', 'trustedList: []', 'srtpPassThru: false', 'registrar: false']]));
  if (inv.cms) out.push([['cms'], ['sharedBaseName: CAsignedCluster', 'dbClientBaseName: dbclusterclient', 'rootCaFileName: rootCAcert.cer']]);
  const fqdnOf = (host: string): string => `fqdn: ${host}.${inv.domain}               # the default`;
  if (inv.cmm) out.push([['cmm'], [fqdnOf(inv.cmm.host), 'ip: <management IPv4 address>', 'cdrReceiverAddress: <FQDN of the CDR receiver>']]);
  for (const k of ['tms', 'pcp'] as const) {
    const s = inv[k];
    if (s) out.push([[k], [fqdnOf(s.host), 'ip: <management IPv4 address>']]);
  }
  if (inv.pcd) out.push([['pcd'], [fqdnOf(inv.pcd.host)]]);
  return out;
}

export function inventoryYaml(inv: InventoryInput): string {
  const doc = new Document(inv);
  if (isMap(doc.contents))
    for (const item of doc.contents.items) {
      if (!isPair(item) || !isScalar(item.key)) continue;
      const c = comments[String(item.key.value)];
      if (c !== undefined) item.key.commentBefore = c;
    }
  for (const [path, lines] of optionalLines(inv)) {
    const node = doc.getIn(path, true);
    if (lines.length > 0 && isCollection(node)) node.comment = lines.map((l) => ` ${l}`).join('\n');
  }
  // The modeline first: yaml-language-server (VS Code) resolves it against this file's folder.
  return `${SCHEMA_MODELINE}\n${doc.toString({ lineWidth: 110 })}`;
}
