// What templates may reference, per target group. The catalogue loader rejects any template
// variable that is not declared here, so a typo in steps/ or templates/ fails at load, not in a
// change window. test/inventory/shapes.test.ts proves the topology contexts match these shapes.
import type { Shape } from '../catalogue/shape.js';

const S = 'string' as const;
const B = 'boolean' as const;
const list = (s: Shape): Shape => ({ $list: s });
const nodeBase = { name: S, host: S, fqdn: S, ip: S };

const globals: Record<string, Shape> = {
  title: S,
  domain: S,
  ca: {
    enterprise: { name: S, rootCertFile: S },
    public: { name: S, rootCertFile: S },
    b2bPartnerRootFiles: list(S),
  },
  features: {
    mra: B, xmppFederation: B, b2b: B, secureSrst: B, capfOnlineCa: B, tftpEncryptedConfig: B, sipOAuth: B,
    mixedMode: B, ocsp: B, callAdmissionControl: B, autoRegistration: B, cucmCaSigned: B, iosDefaultTrustpoint: B,
  },
  releases: list({ product: S, release: S }),
  has: {
    imp: B, unity: B, unitySubscriber: B, expressway: B, ios: B, iosVoice: B, cube: B, srst: B, cms: B, cmsDbClients: B, cmsDbClientCert: B, cmm: B, tms: B,
    pcd: B, pcp: B, remoteClusters: B, ldap: B, psp: B,
  },
  psp: { lscTftpEncrypted: S, lsc: S, initial: S, initialMode: S, jabber: S, mraNames: list(S) },
  ldap: { servers: list(S), port: S, first: S },
  unity: { publisher: nodeBase, msCn: S, portGroup: S, version: S, keyLength: S, nodes: list(S), tftp: list(S), restriction: { blocked: list(S), tables: list(S) } },
  expressway: {
    version: S,
    adminSsh: B,
    c: { clusterName: S, nodes: list(S) },
    e: { clusterName: S, nodes: list(S) },
    registrationDomains: list(S),
    xmppFederationDomains: list(S),
    chatNodeAliases: list(S),
    b2bNeighborPort: S,
    b2bTraversalPort: S,
  },
  ios: { cns: list(S), trunkCns: list(S) },
  cms: {
    version: S,
    commonName: S,
    commonNameIs: S,
    sharedServices: S,
    subject: { OU: S, O: S, L: S, ST: S, C: S },
    shared: S,
    dbClient: S,
    rootCa: S,
    sans: list(S),
    csrNode: S,
    firstDb: { host: S, ip: S },
    callBridgeNodes: list(S),
    sftpUser: S,
  },
  cmm: { ...nodeBase, keyFile: S, keyBits: S, csrFile: S, certFile: S, cdrReceiver: S, csrSan: S },
  tms: { ...nodeBase, keyFile: S, keyBits: S, csrFile: S, certFile: S, p12File: S, p12Name: S, csrSan: S },
  pcd: { ...nodeBase, version: S },
  csr: { includeOU: B, ouAnswer: S },
  pcp: nodeBase,
  remote: { cns: list(S), names: list(S) },
};

const cluster: Shape = {
  name: S,
  publisher: nodeBase,
  msCn: S,
  nodes: list(S),
  b2bIncomingPort: S,
  tsp: { unity: S, cms: S, b2b: S, ios: S, intercluster: S },
  trunks: { unity: list(S), cms: list(S), b2b: list(S), ios: list(S), intercluster: list(S) },
  ldapDirectories: list(S),
  srstReferences: list(S),
  autoRegPools: list({ name: S, css: S }),
  inboundCss: list({ trunk: S, css: S }),
  voicemailCss: list({ trunk: S, css: S, reroute: S }),
  phones: {
    waveSize: S,
    max: S,
    assign: list({ devicePool: S, namePattern: S, models: list(S), profile: S, lsc: B }),
    firstLsc: list({ devicePool: S, namePattern: S, models: list(S), profile: S, lsc: B }),
  },
  version: S,
  dnsLookups: list({ query: S, expect: S }),
  axlVersion: S,
  keyLength: S,
  capf: { host: S, port: S, template: S, type: S, username: S },
  monitor: { notifyDays: S, frequencyDays: S, emails: list(S) },
  imp: { publisher: nodeBase, msCn: S, nodes: list(S) },
};

const cucmNode: Shape = { node: { ...nodeBase, services: { callmanager: B, tftp: B, ctimanager: B }, publisher: B }, cluster };
const impNode: Shape = { node: { ...nodeBase, publisher: B }, cluster };
/** Unified CM and IM and Presence nodes together: multi-server certificate work and restarts. */
const ucmImpNode: Shape = {
  node: {
    ...nodeBase,
    services: { callmanager: B, tftp: B, ctimanager: B },
    publisher: B,
    imp: B,
    ms: { first: S, second: S, firstRole: S, secondRole: S, msCn: S, probe: S },
  },
  cluster,
};
const cucNode: Shape = { node: { ...nodeBase, publisher: B, dns: list({ query: S, expect: S }) } };
const expNode: Shape = { node: { ...nodeBase, role: S, primary: B, csr: { altNames: S, pspNames: S }, certRole: S, probePort: S } };
const iosNode: Shape = {
  node: {
    ...nodeBase,
    cn: S, version: S, trustpoint: S, keyLabel: S,
    key: { rsa: B, ecdsa: B, size: S, keypair: S, type: S, text: S },
    ucmPeers: list({ ip: S, mask: S }),
    dialPeers: list(S),
    trustedList: list({ ip: S, mask: S }),
    lscIssuerTrustpoint: S, srtpPassThru: B, registrar: B, srst: B, cube: B, gateway: B,
  },
};
const cmsNode: Shape = {
  node: {
    ...nodeBase,
    services: { callbridge: B, webadmin: B, webbridge: B, xmpp: B, database: B },
    dbClient: B, firstDb: B, csrNode: B,
  },
};
const plainNode: Shape = { node: nodeBase };

/** Shape of the group-specific part of each group's context (globals are added by the loader). */
const groupShapes: Record<string, Shape> = {
  operator: { node: { name: S } },
  'cucm-publisher': cucmNode,
  'cucm-node': cucmNode,
  'imp-publisher': impNode,
  'ucm-imp-node': ucmImpNode,
  'ucm-imp-publisher': ucmImpNode,
  'imp-node': impNode,
  'cuc-publisher': cucNode,
  'cuc-node': cucNode,
  'exp-node': expNode,
  'expc-node': expNode,
  'expe-node': expNode,
  'expc-primary': expNode,
  'expe-primary': expNode,
  'ios-router': iosNode,
  'cms-node': cmsNode,
  'cms-csr-node': cmsNode,
  cmm: plainNode,
  tms: plainNode,
  pcp: plainNode,
  pcd: plainNode,
};

/** Full shape per group: globals plus the group's own context. */
export const targetShapes: Record<string, Shape> = Object.fromEntries(
  Object.entries(groupShapes).map(([g, s]) => [g, { ...globals, ...(s as Record<string, Shape>) }]),
);
