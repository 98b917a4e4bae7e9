// The Cisco-aware adapter between the inventory and the generic engine: it turns the inventory
// into named target groups ("cucm-publisher", "cms-node", …), each target carrying the render
// context its templates see. The engine only knows "groups of targets with a context"; all
// knowledge of which node runs what lives here and in steps/ + templates/.
import type { Platform } from '../plan/types.js';
import { dnsNames } from './dns.js';
import { fqdnOf, multiServerCn } from './names.js';

/**
 * `DNS:a,DNS:b` for `openssl req -addext "subjectAltName=…"` (review A.3): lower-cased and without
 * repeats, in the order opensslRequestArgs (src/verify/cert/expectations.ts) gives a live run.
 */
function sanList(names: readonly string[]): string {
  return [...new Set(names.map((n) => n.toLowerCase()))].map((n) => `DNS:${n}`).join(',');
}
import { keyChoice, keyText, type KeyInput } from './keys.js';
import type { LoadedInventory } from './load.js';
import type { Inventory } from './schema.js';

export interface TargetNode {
  /** Unique name shown in the plan (the node's host name, or "operator"). */
  name: string;
  host?: string;
  port?: number;
  platform?: Platform;
  /** HTTPS administration port (AXL on a Unified CM publisher). */
  httpsPort?: number;
  /** Where the node's TLS ports really answer (catalogue port → port), e.g. behind a NAT or in the lab. */
  tlsPorts?: Record<string, number>;
  /**
   * The node of its cluster that runs first and alone in a step on several of the cluster's nodes:
   * a VOS publisher (Unified CM, IM and Presence, Unity Connection), which holds the cluster's
   * writable database and is where cluster-wide changes start. Said here, where node roles are
   * known, so the engine never guesses a role from a group or host name.
   */
  runsFirst?: boolean;
  /** Group-specific render context; merged over the globals. */
  context: Record<string, unknown>;
}

export interface Topology {
  globals: Record<string, unknown>;
  groups: Record<string, TargetNode[]>;
}

type Node = { host: string; fqdn?: string | undefined; ip?: string | undefined; sshPort?: number | undefined; httpsPort?: number | undefined; tlsPorts?: Record<string, number> | undefined };

const msCn = multiServerCn;

/** AXL schema versions by Unified CM release (cisco-axl ships schema/12.5, 14.0, 15.0). */
const AXL_SCHEMA_VERSION: Record<'12.5' | '14' | '14SU2' | '15', string> = { '12.5': '12.5', '14': '14.0', '14SU2': '14.0', '15': '15.0' };

function baseNode(n: Node, domain: string): Record<string, unknown> {
  return { name: n.host, host: n.host, fqdn: fqdnOf(n, domain), ip: n.ip ?? '' };
}

function target(n: Node, platform: Platform | undefined, context: Record<string, unknown>, runsFirst = false): TargetNode {
  const t: TargetNode = { name: n.host, host: n.ip, port: n.sshPort ?? 22, platform, context };
  if (runsFirst) t.runsFirst = true;
  if (n.httpsPort !== undefined) t.httpsPort = n.httpsPort;
  if (n.tlsPorts !== undefined) t.tlsPorts = n.tlsPorts;
  return t;
}

/**
 * A router's key pair as its lines need it (review-2026 A.14): the generate line's kind and size
 * (modulus bits, or the ec keysize 256/384), the trustpoint's keypair keyword, the `show crypto key
 * mypubkey` / `crypto key zeroize` type word, and the text the checkpoint shows.
 */
function iosKey(k: KeyInput) {
  const c = keyChoice(k);
  const rsa = c.algorithm === 'rsa';
  return {
    rsa,
    ecdsa: !rsa,
    size: rsa ? String(c.size) : c.curve.slice(2),
    keypair: rsa ? 'rsakeypair' : 'eckeypair',
    type: rsa ? 'rsa' : 'ec',
    text: rsa ? `${c.size} bits` : `ECDSA ${c.curve}`,
  };
}

/** RSA modulus in bits, as a GUI Key Length or `openssl genrsa` takes it (the schema refuses ECDSA there). */
function rsaBits(k: KeyInput): string {
  const c = keyChoice(k);
  return c.algorithm === 'rsa' ? String(c.size) : keyText(c);
}

function globalsOf(loaded: LoadedInventory): Record<string, unknown> {
  const inv = loaded.inventory;
  const d = inv.domain;
  // File paths stay as written (relative to the inventory): the plan must not carry machine paths;
  // whoever reads the file resolves it against LoadedInventory.dir.
  const abs = (p: string) => p;
  const psp = inv.phoneSecurityProfiles;
  const ldapPorts = (inv.ldap?.servers ?? []).map((s) => (s.kind === 'gc' ? 3269 : 636));
  const exp = inv.expressway;
  const cms = inv.cms;
  // The schema requires exactly one of the two (src/inventory/schema.ts).
  const commonName = cms?.commonName ?? cms?.xmppDomain ?? '';
  const dbNodes = cms?.nodes.filter((n) => n.services.includes('database')) ?? [];
  const firstDb = dbNodes[0];
  const hasDbClients = cms?.nodes.some((n) => n.services.includes('callbridge') && !n.services.includes('database')) ?? false;
  const simple = (s: Node | undefined) => (s ? { ...baseNode(s, d) } : undefined);
  return {
    title: inv.title,
    domain: d,
    ca: {
      // vosTrustFileName is deprecated (review 2026 A.1) and offered to no template.
      enterprise: { name: inv.ca.enterprise.name, rootCertFile: abs(inv.ca.enterprise.rootCertFile) },
      public: inv.ca.public ? { ...inv.ca.public, rootCertFile: abs(inv.ca.public.rootCertFile) } : undefined,
      b2bPartnerRootFiles: inv.ca.b2bPartnerRootFiles.map(abs),
    },
    features: inv.features,
    /** The releases the inventory names, one row per product, for the plan header (issue 23). */
    releases: releasesOf(inv),
    has: {
      imp: inv.cucm.some((c) => c.imp !== undefined),
      unity: inv.unity !== undefined,
      unitySubscriber: inv.unity?.subscriber !== undefined,
      expressway: exp !== undefined,
      ios: inv.ios.length > 0,
      iosVoice: inv.ios.some((r) => r.roles.includes('cube') || r.roles.includes('gateway')),
      /** A CUBE: its TLS toward an ITSP meets the public CAs' end of client authentication (review-2026 C.1). */
      cube: inv.ios.some((r) => r.roles.includes('cube')),
      srst: inv.ios.some((r) => r.roles.includes('srst')),
      cms: cms !== undefined,
      cmsDbClients: hasDbClients,
      /** The database-client pair is needed by client-only nodes and by clustered database servers (S089 uses it too, A-10). */
      cmsDbClientCert: hasDbClients || dbNodes.length >= 2,
      cmm: inv.cmm !== undefined,
      tms: inv.tms !== undefined,
      pcd: inv.pcd !== undefined,
      pcp: inv.pcp !== undefined,
      remoteClusters: inv.remoteClusters.length > 0,
      ldap: inv.ldap !== undefined,
      psp: psp !== undefined,
    },
    psp: psp
      ? {
          lscTftpEncrypted: psp.lscTftpEncrypted,
          lsc: psp.lsc,
          initial: psp.initial.name,
          initialMode: psp.initial.mode === 'null-string' ? 'By Null String' : 'By Authentication String',
          jabber: psp.jabber,
          /** Encrypted profiles used by MRA endpoints: the Expressway-C SAN list (D-04); Jabber excluded. */
          mraNames: [psp.lscTftpEncrypted, psp.lsc, psp.initial.name],
        }
      : undefined,
    ldap: inv.ldap
      ? { servers: inv.ldap.servers.map((s) => s.fqdn), port: String(ldapPorts[0] ?? 636), first: inv.ldap.servers[0]?.fqdn }
      : undefined,
    unity: inv.unity
      ? {
          publisher: baseNode(inv.unity.publisher, d),
          msCn: msCn(inv.unity.publisher, d),
          portGroup: inv.unity.portGroup,
          version: inv.unity.version,
          keyLength: rsaBits(inv.unity.key),
          nodes: [inv.unity.publisher, ...(inv.unity.subscriber ? [inv.unity.subscriber] : [])].map((n) => fqdnOf(n, d)),
          // S044: the port group's TFTP servers, from which Unity Connection downloads the CallManager
          // certificates (L1098): the TFTP nodes of the first Unified CM cluster [I: the one Unity
          // Connection integrates with; the inventory has no link between them], by FQDN.
          tftp: [inv.cucm[0]!.publisher, ...inv.cucm[0]!.subscribers].filter((n) => n.services.includes('tftp')).map((n) => fqdnOf(n, d)),
          // S125: the patterns to block and the tables to add them to (empty: every table a class of service uses).
          restriction: { blocked: inv.unity.restrictionTables.blocked, tables: inv.unity.restrictionTables.tables },
        }
      : undefined,
    expressway: exp
      ? {
          version: exp.version,
          adminSsh: exp.adminSsh,
          c: { clusterName: exp.c.clusterName, nodes: exp.c.nodes.map((n) => fqdnOf(n, d)) },
          e: { clusterName: exp.e.clusterName, nodes: exp.e.nodes.map((n) => fqdnOf(n, d)) },
          registrationDomains: exp.registrationDomains,
          xmppFederationDomains: exp.xmppFederationDomains,
          chatNodeAliases: exp.chatNodeAliases,
          b2bNeighborPort: String(exp.b2b?.neighborZonePort ?? 5561),
          b2bTraversalPort: exp.b2b ? String(exp.b2b.traversalPort) : undefined,
        }
      : undefined,
    ios: {
      cns: inv.ios.map((r) => r.cn),
      /** CNs of the routers a Unified CM trunk reaches (CUBEs and gateways; not SRST-only routers). */
      trunkCns: inv.ios.filter((r) => r.roles.includes('cube') || r.roles.includes('gateway')).map((r) => r.cn),
    },
    cms: cms
      ? {
          version: cms.version,
          /** CN and last SAN of the shared certificate (schema: commonName, or the 2.x XMPP domain). */
          commonName,
          /** What that name is, for the step texts: 2.x's XMPP domain (D-10); 3.x has no XMPP server. */
          commonNameIs: cms.xmppDomain !== undefined ? 'the XMPP domain' : 'the cluster name',
          /** The services the shared certificate serves, as the release names them (3.x: Web Bridge 3, no XMPP). */
          sharedServices: sharedServiceNames(cms),
          subject: cms.csrSubject,
          shared: cms.sharedBaseName,
          dbClient: cms.dbClientBaseName,
          rootCa: cms.rootCaFileName,
          /** SAN: every node FQDN, then the CN (L1350, D-08/D-10), once. */
          sans: [...new Set([...cms.nodes.map((n) => fqdnOf(n, d)), commonName])],
          csrNode: cms.nodes[0]?.host,
          firstDb: firstDb ? { host: firstDb.host, ip: firstDb.ip } : undefined,
          callBridgeNodes: cms.nodes.filter((n) => n.services.includes('callbridge')).map((n) => fqdnOf(n, d)),
          /** SFTP to the MMP uses the MMP admin account (cli-facts §3). */
          sftpUser: inv.credentials.mmp?.username ?? 'admin',
        }
      : undefined,
    cmm: inv.cmm
      ? {
          ...simple(inv.cmm),
          keyFile: `${inv.cmm.host}-privatekey.pem`,
          keyBits: rsaBits(inv.cmm.key),
          csrFile: `${inv.cmm.host}-certcsr.pem`,
          certFile: `${inv.cmm.host}.cer`,
          cdrReceiver: inv.cmm.cdrReceiverAddress ?? fqdnOf(inv.cmm, d),
          /** S094 -addext value (review A.3): the browsed FQDN and the CDR receiver address (L1435). */
          csrSan: sanList([fqdnOf(inv.cmm, d), inv.cmm.cdrReceiverAddress ?? fqdnOf(inv.cmm, d)]),
        }
      : undefined,
    tms: inv.tms
      ? {
          ...simple(inv.tms),
          keyFile: `${inv.tms.host}-privatekey.pem`,
          keyBits: rsaBits(inv.tms.key),
          csrFile: `${inv.tms.host}-certcsr.pem`,
          certFile: `${inv.tms.host}.cer`,
          p12File: `${inv.tms.host}-cert-key.p12`,
          p12Name: `${inv.tms.host}-cert-key`,
          /** S099 -addext value (review A.3): browsers match the SAN, not the CN. */
          csrSan: sanList([fqdnOf(inv.tms, d)]),
        }
      : undefined,
    pcd: inv.pcd ? { ...baseNode(inv.pcd, d), version: inv.pcd.version } : undefined,
    // Review-2026 A.9: the answer to VOS 14SU2+'s `Include OU in CSR (yes|no)?`, as typed.
    csr: { includeOU: inv.csr.includeOU, ouAnswer: inv.csr.includeOU ? 'yes' : 'no' },
    pcp: simple(inv.pcp),
    remote: { cns: inv.remoteClusters.map((r) => r.callManagerCn), names: inv.remoteClusters.map((r) => r.name) },
  };
}

/**
 * The `utils network host` lookups of every name the rollout resolves (src/inventory/dns.ts), as
 * query and expected answer: the name to its address and the address back to the name (PTR), or,
 * for a name the inventory gives no address for, the name to `any` address (the vos-network-host
 * parser's word for it).
 */
function dnsLookups(inv: Inventory, cluster: Inventory['cucm'][number]): { query: string; expect: string }[] {
  return dnsNames(inv, cluster).flatMap((n) =>
    n.ip === undefined
      ? [{ query: n.name, expect: 'any' }]
      : [
          { query: n.name, expect: n.ip },
          { query: n.ip, expect: n.name },
        ],
  );
}

/** "us 15" for one item, "us 15, emea 14" for several; a product absent from the inventory has no row. */
function releasesOf(inv: Inventory): { product: string; release: string }[] {
  const rows: { product: string; release: string }[] = [];
  const named = (items: { name: string; version: string }[]) =>
    items.length === 1 || new Set(items.map((i) => i.version)).size === 1 ? (items[0]?.version ?? '') : items.map((i) => `${i.name} ${i.version}`).join(', ');
  rows.push({ product: inv.cucm.some((c) => c.imp) ? 'Unified CM and IM and Presence' : 'Unified CM', release: named(inv.cucm) });
  if (inv.unity) rows.push({ product: 'Unity Connection', release: inv.unity.version });
  if (inv.expressway) rows.push({ product: 'Expressway', release: inv.expressway.version });
  if (inv.cms) rows.push({ product: 'Meeting Server', release: inv.cms.version });
  if (inv.ios.length > 0) rows.push({ product: 'IOS-XE', release: named(inv.ios.map((r) => ({ name: r.host, version: r.version }))) });
  // PCD runs VOS: its own release decides its CSR dialogue (S107).
  if (inv.pcd) rows.push({ product: 'Prime Collaboration Deployment', release: inv.pcd.version });
  return rows;
}

type PhoneSelection = NonNullable<Inventory['cucm'][number]['phones']>['firstLsc'][number];

/**
 * The phone moves of S032/S033 with their profile names resolved: `lsc` says whether an LSC is
 * requested (Install/Upgrade). A selection with neither pool nor pattern lists every phone (`%`).
 */
function phonePlanOf(c: Inventory['cucm'][number], psp: Inventory['phoneSecurityProfiles']) {
  const p = c.phones;
  const sel = (g: PhoneSelection) => ({
    devicePool: g.devicePool ?? '',
    namePattern: g.namePattern ?? (g.devicePool === undefined ? '%' : ''),
    models: g.models,
  });
  const names = psp ? { lscTftpEncrypted: psp.lscTftpEncrypted, lsc: psp.lsc, initial: psp.initial.name, jabber: psp.jabber } : undefined;
  return {
    waveSize: String(p?.waveSize ?? 50),
    max: String(p?.max ?? 10000),
    assign:
      names === undefined
        ? []
        : (p?.assign ?? []).map((g) => ({ ...sel(g), profile: names[g.profile], lsc: g.installLsc ?? (g.profile === 'lsc' || g.profile === 'lscTftpEncrypted') })),
    firstLsc: names === undefined ? [] : (p?.firstLsc ?? []).map((g) => ({ ...sel(g), profile: names.initial, lsc: true })),
  };
}

function cucmGroups(inv: Inventory, groups: Record<string, TargetNode[]>): void {
  const d = inv.domain;
  for (const c of inv.cucm) {
    const all = [c.publisher, ...c.subscribers];
    const cluster = {
      name: c.name,
      publisher: baseNode(c.publisher, d),
      msCn: msCn(c.publisher, d),
      nodes: all.map((n) => fqdnOf(n, d)),
      b2bIncomingPort: String(c.b2bIncomingPort),
      tsp: c.trunkSecurityProfiles,
      trunks: c.sipTrunks,
      ldapDirectories: c.ldapDirectories,
      srstReferences: c.srstReferences,
      // A list of zero or one, so that the AXL object iterates over it (absent: no AXL form).
      autoRegPools: c.autoRegistrationDevicePool ? [{ name: c.autoRegistrationDevicePool.name, css: c.autoRegistrationDevicePool.callingSearchSpace }] : [],
      phones: phonePlanOf(c, inv.phoneSecurityProfiles),
      // Toll-fraud CSSs (S120, S126): lists of zero or one, so that each AXL object iterates over them.
      inboundCss: [
        ...(c.restrictedCss.pstnInbound ? c.sipTrunks.ios.map((trunk) => ({ trunk, css: c.restrictedCss.pstnInbound! })) : []),
        ...(c.restrictedCss.expresswayInbound ? c.sipTrunks.b2b.map((trunk) => ({ trunk, css: c.restrictedCss.expresswayInbound! })) : []),
      ],
      voicemailCss: c.restrictedCss.voicemail ? c.sipTrunks.unity.map((trunk) => ({ trunk, css: c.restrictedCss.voicemail!, reroute: c.restrictedCss.voicemailReroute ?? '' })) : [],
      version: c.version,
      // P012: the names this cluster's publisher asks DNS for, forward and reverse (src/inventory/dns.ts).
      dnsLookups: dnsLookups(inv, c),
      // Generate CSR Key Length of the cluster's multi-server CSRs (S004, review-2026 A.14).
      keyLength: rsaBits(c.key),
      // The AXL schema namespace of that release (http://www.cisco.com/AXL/API/<axlVersion>).
      axlVersion: AXL_SCHEMA_VERSION[c.version],
      capf: c.capfOnlineCa
        ? { host: c.capfOnlineCa.host, port: String(c.capfOnlineCa.port), template: c.capfOnlineCa.template, type: c.capfOnlineCa.type, username: c.capfOnlineCa.username }
        : undefined,
      monitor: {
        notifyDays: String(c.certificateMonitor.notifyDays),
        frequencyDays: String(c.certificateMonitor.notifyFrequencyDays),
        emails: c.certificateMonitor.emails,
      },
      imp: c.imp
        ? {
            publisher: baseNode(c.imp.publisher, d),
            msCn: msCn(c.imp.publisher, d),
            nodes: [c.imp.publisher, ...c.imp.subscribers].map((n) => fqdnOf(n, d)),
          }
        : undefined,
    };
    const add = (g: string, t: TargetNode) => (groups[g] ??= []).push(t);
    const none = { callmanager: false, tftp: false, ctimanager: false };
    // Multi-server certificates per publisher (Tables 7-6, 7-9): two units each, with their roles.
    // probe: port and openssl s_client options where the first unit's certificate is served (S008
    // checkpoint, review A.12): tomcat on 8443; cup-xmpp on the XMPP client port 5222 after STARTTLS
    // (TAC 116339 "XMPP Federation Between CUPS and Other Servers": clients 5222, federation 5269;
    // steps/tls-ports.yaml imp-node), not on 8443, where IM and Presence serves its tomcat certificate.
    const cucmUnits = { first: 'tomcat', second: 'CallManager', firstRole: 'cucm/tomcat', secondRole: 'cucm/callmanager', msCn: cluster.msCn, probe: '8443' };
    // The node contexts spelled out, baseNode's keys first in its order, not spread from it: once
    // per node of every cluster (600 on a 500-node inventory), and a spread on V8's interpreter
    // copies key by key (issue 25). The same keys in the same order as { ...baseNode(n, d), … }.
    for (const n of all) {
      const services = { callmanager: n.services.includes('callmanager'), tftp: n.services.includes('tftp'), ctimanager: n.services.includes('ctimanager') };
      const publisher = n === c.publisher;
      const fqdn = fqdnOf(n, d);
      const ip = n.ip ?? '';
      const t = target(n, 'vos', { node: { name: n.host, host: n.host, fqdn, ip, services, publisher }, cluster }, publisher);
      add('cucm-node', t);
      if (publisher) add('cucm-publisher', t);
      const u = target(n, 'vos', { node: { name: n.host, host: n.host, fqdn, ip, services, publisher, imp: false, ms: cucmUnits }, cluster }, publisher);
      add('ucm-imp-node', u);
      if (publisher) add('ucm-imp-publisher', u);
    }
    if (c.imp) {
      const impUnits = { first: 'cup-xmpp', second: 'cup-xmpp-s2s', firstRole: 'imp/cup-xmpp', secondRole: 'imp/cup-xmpp-s2s', msCn: msCn(c.imp.publisher, d), probe: '5222 -starttls xmpp' };
      for (const n of [c.imp.publisher, ...c.imp.subscribers]) {
        const publisher = n === c.imp.publisher;
        const fqdn = fqdnOf(n, d);
        const ip = n.ip ?? '';
        const t = target(n, 'vos', { node: { name: n.host, host: n.host, fqdn, ip, publisher }, cluster }, publisher);
        add('imp-node', t);
        if (publisher) add('imp-publisher', t);
        const u = target(n, 'vos', { node: { name: n.host, host: n.host, fqdn, ip, services: none, publisher, imp: true, ms: impUnits }, cluster }, publisher);
        add('ucm-imp-node', u);
        if (publisher) add('ucm-imp-publisher', u);
      }
    }
  }
}

function otherGroups(inv: Inventory, groups: Record<string, TargetNode[]>): void {
  const d = inv.domain;
  const add = (g: string, t: TargetNode) => (groups[g] ??= []).push(t);
  if (inv.unity) {
    const u = inv.unity;
    for (const n of [u.publisher, ...(u.subscriber ? [u.subscriber] : [])]) {
      const base = baseNode(n, d) as { fqdn: string; ip: string };
      // Its own name forward and its address back, each on the node itself (like P001/P002).
      const dns = [
        { query: base.fqdn, expect: base.ip },
        { query: base.ip, expect: base.fqdn },
      ];
      const t = target(n, 'vos', { node: { ...baseNode(n, d), publisher: n === u.publisher, dns } }, n === u.publisher);
      add('cuc-node', t);
      if (n === u.publisher) add('cuc-publisher', t);
    }
  }
  if (inv.expressway) {
    const exp = inv.expressway;
    const f = inv.features;
    // Table 7-16: the SANs each role's CSR needs for the enabled features.
    const sans = {
      c: [...(f.mra || f.xmppFederation || f.b2b ? [exp.c.clusterName] : []), ...(f.xmppFederation ? exp.chatNodeAliases : [])],
      e: [...(f.mra ? exp.registrationDomains : []), ...(f.xmppFederation ? [...exp.xmppFederationDomains, ...exp.chatNodeAliases] : [])],
    };
    const psp = inv.phoneSecurityProfiles;
    const pspNames = f.mra && psp ? [psp.lscTftpEncrypted, psp.lsc, psp.initial.name].join(', ') : 'not applicable';
    for (const role of ['c', 'e'] as const) {
      exp[role].nodes.forEach((n, i) => {
        const csr = { altNames: sans[role].length ? [...new Set(sans[role])].join(', ') : 'none', pspNames: role === 'c' ? pspNames : 'not applicable' };
        // probePort (S052 check, review A.8): a port the node really serves with its server
        // certificate — Expressway-C has no MRA listener on 8443, so its SIP TLS 5061; Expressway-E
        // its MRA 8443 when MRA is on, else SIP TLS 5061 (steps/tls-ports.yaml expc-node/expe-node).
        const probePort = role === 'e' && f.mra ? '8443' : '5061';
        const t = target(n, exp.adminSsh ? 'xapi' : undefined, {
          node: { ...baseNode(n, d), role: role === 'c' ? 'Expressway-C' : 'Expressway-E', primary: i === 0, csr, certRole: `expressway-${role}/server`, probePort },
        });
        add('exp-node', t);
        add(`exp${role}-node`, t);
        if (i === 0) add(`exp${role}-primary`, t);
      });
    }
  }
  for (const r of inv.ios) {
    add(
      'ios-router',
      target(r, 'ios', {
        node: {
          ...baseNode(r, d),
          cn: r.cn,
          version: r.version,
          trustpoint: r.trustpoint,
          keyLabel: r.keyLabel,
          key: iosKey(r.key),
          ucmPeers: r.ucmPeers,
          dialPeers: r.dialPeers.map(String),
          trustedList: r.trustedList.map((e) => ({ ip: e.ip, mask: e.mask ?? '255.255.255.255' })),
          lscIssuerTrustpoint: r.lscIssuerTrustpoint,
          srtpPassThru: r.srtpPassThru,
          registrar: r.registrar,
          srst: r.roles.includes('srst'),
          cube: r.roles.includes('cube'),
          gateway: r.roles.includes('gateway'),
        },
      }),
    );
  }
  if (inv.cms) {
    const firstDb = inv.cms.nodes.find((n) => n.services.includes('database'));
    inv.cms.nodes.forEach((n, i) => {
      const s = (x: string) => n.services.includes(x as never);
      const services = { callbridge: s('callbridge'), webadmin: s('webadmin'), webbridge: s('webbridge'), xmpp: s('xmpp'), database: s('database') };
      const t = target(n, 'mmp', {
        node: { ...baseNode(n, d), services, dbClient: services.callbridge && !services.database, firstDb: n === firstDb, csrNode: i === 0 },
      });
      add('cms-node', t);
      if (i === 0) add('cms-csr-node', t);
    });
  }
  for (const key of ['cmm', 'tms', 'pcp'] as const) {
    const s = inv[key];
    if (s) add(key, target(s, undefined, { node: baseNode(s, d) }));
  }
  if (inv.pcd) add('pcd', target(inv.pcd, 'vos', { node: baseNode(inv.pcd, d) }));
}

export function buildTopology(loaded: LoadedInventory): Topology {
  const groups: Record<string, TargetNode[]> = {
    operator: [{ name: 'operator', platform: 'local', context: { node: { name: 'operator' } } }],
  };
  cucmGroups(loaded.inventory, groups);
  otherGroups(loaded.inventory, groups);
  return { globals: globalsOf(loaded), groups };
}

/** The cluster's services that present the shared certificate (S080), named for its release. */
function sharedServiceNames(cms: NonNullable<Inventory['cms']>): string {
  const names: Record<string, string> = { webadmin: 'Web Admin', callbridge: 'Call Bridge', xmpp: 'XMPP', webbridge: cms.version === '2.x' ? 'Web Bridge' : 'Web Bridge 3', database: 'the database server' };
  const used = Object.keys(names).filter((s) => cms.nodes.some((n) => (n.services as string[]).includes(s)));
  const list = used.map((s) => names[s]!);
  return list.length <= 1 ? list.join('') : `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]!}`;
}
