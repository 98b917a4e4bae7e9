// The deployment inventory: one YAML file describing the operator's deployment. Everything is
// a strict object so a misspelt key (or a `password:` someone tried to add) is an error, not ignored.
// Credentials are never stored: a credential block may only name an environment variable.
import { changeRecord } from './change.js';
import {
  baseName,
  checked,
  envVar,
  fileName,
  fqdn,
  hostname,
  ipv4,
  isoCountry,
  label,
  localPath,
  netmask,
  objectName,
  cupiName,
  restrictionPattern,
  port,
  safeText,
  safeWord,
} from './validators.js';
import { keyField, refusal, supportOf } from './keys.js';
import { CMS_RELEASES, DEFAULT_RELEASE, EXPRESSWAY_RELEASES, IOS_XE_RELEASES, VOS_RELEASES, releaseField } from './versions.js';
import * as z from 'zod/mini';
import { describe, meta } from '../zod.js';

const credential = z.strictObject({
  username: describe(objectName, 'Login name (the password is asked for, or read from passwordEnv)'),
  passwordEnv: describe(z.optional(envVar), 'Environment variable holding the password'),
});

/**
 * Where a node's TLS ports really answer, by the port the catalogue probes ("443": 8443): a port
 * forward, or `collabsec lab`'s simulators on 127.0.0.1. Read by the TLS probes only (issue 22).
 */
const tlsPorts = describe(
  z.optional(z.record(z.string().check(z.regex(/^[1-9]\d{0,4}$/, 'a port number')), port)),
  'TLS probe port overrides: catalogue port → port the node answers on',
);

/** A server node. `fqdn` defaults to `<host>.<domain>`. */
const node = z.strictObject({
  host: describe(hostname, 'Host name (first DNS label)'),
  fqdn: describe(z.optional(fqdn), 'FQDN; defaults to <host>.<domain>'),
  ip: describe(ipv4, 'Management IPv4 address'),
  sshPort: describe(z.optional(port), 'SSH port (default 22)'),
  /** Tomcat HTTPS (AXL, Control Center Services, certificate REST) — 8443 on every VOS node. */
  httpsPort: describe(z.optional(port), 'HTTPS administration port: AXL and Control Center Services (default 8443)'),
  tlsPorts,
});

const cucmService = z.enum(['callmanager', 'tftp', 'ctimanager']);
const cucmNode = z.extend(node, { services: z._default(z.array(cucmService), []) });

const impCluster = z.strictObject({
  publisher: node,
  subscribers: z._default(z.array(node), []),
});

/**
 * Phones chosen for the bulk moves of S032/S033 (issue 21): listPhone's searchCriteria by device
 * pool and/or name pattern (SQL LIKE: `%` any run, `_` one character), then kept only when their
 * model is listed (listPhone cannot search by model: AXLSoap.xsd ListPhoneReq). Without a pool or
 * pattern the selection is every phone (`%`), bounded by `phones.max`.
 */
const phoneModel = checked('phone model', 100, /^[A-Za-z0-9][A-Za-z0-9 ._()+\/-]*$/, 'a Unified CM model name such as "Cisco 8845"');
const phoneSelection = z.strictObject({
  devicePool: describe(z.optional(objectName), 'Device pool of the phones (listPhone devicePoolName)'),
  namePattern: describe(
    z.optional(checked('name pattern', 50, /^[A-Za-z0-9%_.-]+$/, 'device name characters with SQL LIKE wildcards % and _, e.g. SEP%')),
    'Device name pattern (listPhone name, SQL LIKE)',
  ),
  models: describe(z._default(z.array(phoneModel).check(z.maxLength(50)), []), 'Keep only these models (as Unified CM names them); empty: every model'),
});
const phonePlan = z.strictObject({
  /** Phones per wave: each wave is written, applied and read back before the next. */
  waveSize: describe(z._default(z.number().check(z.int(), z.gte(1), z.lte(500)), 50), 'Phones per wave (S032/S033)'),
  /** More phones than this matching a selection stops the step before anything is written. */
  max: describe(z._default(z.number().check(z.int(), z.gte(1), z.lte(20000)), 10000), 'Most phones one selection may match'),
  /** S032: phones moved to an encrypted profile; an LSC is requested for the LSC profiles (Table 7-14). */
  assign: z._default(
    z
      .array(
        z
          .extend(phoneSelection, {
            profile: describe(z.enum(['lscTftpEncrypted', 'lsc', 'initial', 'jabber']), 'Which phoneSecurityProfiles entry (initial: MRA hardware endpoints)'),
            installLsc: describe(z.optional(z.boolean()), 'Request an LSC (certificateOperation Install/Upgrade); default: for the LSC profiles only'),
          })
          .check(
            z.refine((g) => !(g.installLsc === true && (g.profile === 'jabber' || g.profile === 'initial')), {
              message: 'Jabber and MRA-only endpoints get no LSC (CAPF enrolment is not supported over MRA)',
              path: ['installLsc'],
            }),
          ),
      )
      .check(z.maxLength(50)),
    [],
  ),
  /** S033: endpoints with neither MIC nor LSC: the initial (null/auth string) profile and Install/Upgrade. */
  firstLsc: z._default(z.array(phoneSelection).check(z.maxLength(50)), []),
});

const cucmCluster = z.strictObject({
  name: describe(objectName, 'Cluster name used in the plan, e.g. "us"'),
  /**
   * Major release: selects the AXL schema namespace (http://www.cisco.com/AXL/API/<n>.0 or 12.5)
   * and the release-dependent steps. The cluster's IM and Presence nodes run the same release.
   */
  version: releaseField('Unified CM (and its IM and Presence)', VOS_RELEASES, DEFAULT_RELEASE.vos),
  /** Key Length of the cluster's multi-server CSRs (S004: Unified CM and its IM and Presence). */
  key: keyField,
  publisher: cucmNode,
  subscribers: z._default(z.array(cucmNode), []),
  imp: z.optional(impCluster),
  /** Incoming port of the secure trunk profile for the Expressway B2B trunk (Table 7-11). */
  b2bIncomingPort: z._default(port, 5561),
  /** Names of the secure SIP trunk security profiles S016 creates, one per trunk type (Table 7-11; the chapter names none). */
  trunkSecurityProfiles: describe(
    z._default(
      z.strictObject({
        unity: z._default(objectName, 'Secure-SIP-Trunk-Unity-Connection'),
        cms: z._default(objectName, 'Secure-SIP-Trunk-Meeting-Server'),
        b2b: z._default(objectName, 'Secure-SIP-Trunk-Expressway-B2B'),
        ios: z._default(objectName, 'Secure-SIP-Trunk-IOS-Gateway'),
        intercluster: z._default(objectName, 'Secure-SIP-Trunk-Intercluster'),
      }),
      {
        unity: 'Secure-SIP-Trunk-Unity-Connection',
        cms: 'Secure-SIP-Trunk-Meeting-Server',
        b2b: 'Secure-SIP-Trunk-Expressway-B2B',
        ios: 'Secure-SIP-Trunk-IOS-Gateway',
        intercluster: 'Secure-SIP-Trunk-Intercluster',
      },
    ),
    'Names of the secure SIP trunk security profiles (S016), per trunk type',
  ),
  /**
   * The cluster's existing SIP trunks, by the peer they reach, as named in Unified CM: the trunk
   * steps (S046, S063, S079, S092, S117) change them through AXL. A type left out keeps its GUI path.
   */
  sipTrunks: describe(
    z._default(
      z.strictObject({
        unity: z._default(z.array(objectName).check(z.maxLength(50)), []),
        cms: z._default(z.array(objectName).check(z.maxLength(50)), []),
        b2b: z._default(z.array(objectName).check(z.maxLength(50)), []),
        ios: z._default(z.array(objectName).check(z.maxLength(50)), []),
        intercluster: z._default(z.array(objectName).check(z.maxLength(50)), []),
      }),
      { unity: [], cms: [], b2b: [], ios: [], intercluster: [] },
    ),
    'Existing SIP trunk names per peer type, for the AXL form of the trunk steps',
  ),
  /** Existing LDAP directory agreements (System > LDAP > LDAP Directory): S014 moves them to TLS through AXL. */
  ldapDirectories: describe(z._default(z.array(objectName).check(z.maxLength(20)), []), 'Existing LDAP directory names, for the AXL form of S014'),
  /** SRST references of the routers that run secure SRST: S036 marks them secure through AXL. */
  srstReferences: describe(z._default(z.array(objectName).check(z.maxLength(500)), []), 'SRST reference names of the secure SRST routers, for the AXL form of S036'),
  /** The device pool of auto-registered devices and the restricted CSS S123 gives it (the chapter names neither). */
  autoRegistrationDevicePool: describe(
    z.optional(z.strictObject({ name: objectName, callingSearchSpace: describe(objectName, 'The restricted CSS for auto-registration') })),
    'Device pool of auto-registered devices and its restricted CSS, for the AXL form of S123',
  ),
  /**
   * Toll-fraud calling search spaces (issue 21 slice 2; the chapter names none): S120 gives the
   * PSTN (sipTrunks.ios) and Expressway B2B (sipTrunks.b2b) trunks their restricted inbound CSS,
   * S126 the Unity Connection trunks (sipTrunks.unity) their CSS and rerouting CSS. Each is an
   * existing CSS; one left out keeps that part on the GUI path.
   */
  restrictedCss: describe(
    z._default(
      z.strictObject({
        pstnInbound: describe(z.optional(objectName), 'S120: inbound CSS of the PSTN gateway / CUBE trunks (no PSTN partition)'),
        expresswayInbound: describe(z.optional(objectName), 'S120: inbound CSS of the Expressway B2B trunks (no PSTN partition)'),
        voicemail: describe(z.optional(objectName), 'S126: CSS of the Unity Connection trunks'),
        voicemailReroute: describe(z.optional(objectName), 'S126: rerouting CSS of the Unity Connection trunks'),
      }),
      {},
    ),
    'Existing restricted CSS names for the AXL form of the toll-fraud steps S120 and S126',
  ),
  /** Phones S032/S033 move in waves through AXL (absent: those steps keep their GUI path only). */
  phones: describe(z.optional(phonePlan), 'Phones for the bulk profile moves and LSC requests of S032/S033'),
  capfOnlineCa: z.optional(
    z.strictObject({
      host: describe(fqdn, 'CN of the IIS certificate of the Microsoft CA (usually its FQDN)'),
      port: z._default(port, 443),
      template: objectName,
      type: z._default(z.literal('Microsoft CA'), 'Microsoft CA'),
      username: objectName,
      passwordEnv: z.optional(envVar),
    }),
  ),
  certificateMonitor: z._default(
    z.strictObject({
      notifyDays: z._default(z.number().check(z.int(), z.gte(1), z.lte(365)), 60),
      notifyFrequencyDays: z._default(z.number().check(z.int(), z.gte(1), z.lte(365)), 1),
      emails: z._default(z.array(z.email()), []),
    }),
    { notifyDays: 60, notifyFrequencyDays: 1, emails: [] },
  ),
});

const pspAuthMode = z.enum(['null-string', 'auth-string']);

const phoneSecurityProfiles = z.strictObject({
  lscTftpEncrypted: describe(objectName, 'LSC profile with TFTP encrypted config (FQDN form for MRA)'),
  lsc: describe(objectName, 'LSC profile without TFTP encryption'),
  initial: z.strictObject({ name: objectName, mode: describe(pspAuthMode, 'By Null String or By Authentication String (D-05)') }),
  jabber: describe(objectName, 'Jabber SIP OAuth profile'),
});

const remoteCluster = z.strictObject({
  name: objectName,
  callManagerCn: describe(fqdn, 'CN of the remote CallManager multi-server certificate'),
});

const unity = z.strictObject({
  publisher: node,
  subscriber: z.optional(node),
  portGroup: z._default(objectName, 'PhoneSystem-1'),
  /**
   * S125 (toll fraud): the number patterns Unity Connection must block in its restriction tables,
   * added through CUPI and read back. Required with unity, never defaulted: which numbers are toll
   * numbers depends on the dial plan, so the operator names them.
   */
  restrictionTables: describe(
    z.strictObject({
      blocked: describe(
        z.array(restrictionPattern).check(z.minLength(1), z.maxLength(100)),
        'Number patterns to block, e.g. 9011* (international) or 91900??????? (premium)',
      ),
      tables: describe(
        z._default(z.array(cupiName).check(z.maxLength(50)), []),
        'Restriction tables to change; empty: every table a class of service uses (transfer, outcall, fax)',
      ),
    }),
    'S125: restriction-table patterns Unity Connection must block (required with unity)',
  ),
  /** Unity Connection is its own cluster: its release may differ from Unified CM's. */
  version: releaseField('Unity Connection', VOS_RELEASES, DEFAULT_RELEASE.vos),
  /** Key Length of the tomcat multi-server CSR (S038). */
  key: keyField,
});

const expresswayCluster = z.strictObject({
  clusterName: describe(fqdn, 'Cluster FQDN (certificate CN / SAN)'),
  nodes: z.array(node).check(z.minLength(1)),
});

const expressway = z.strictObject({
  /** Both clusters (C and E) run the same release. */
  version: releaseField('Expressway', EXPRESSWAY_RELEASES, DEFAULT_RELEASE.expressway),
  c: expresswayCluster,
  e: expresswayCluster,
  registrationDomains: z._default(z.array(fqdn), []),
  xmppFederationDomains: z._default(z.array(fqdn), []),
  chatNodeAliases: z._default(z.array(fqdn), []),
  /**
   * The nodes' admin SSH (the xAPI shell, port sshPort or 22 at ip) is reachable: the zone
   * steps are then verified by reading xConfiguration (credentials.expressway). Off: the
   * operator answers those checkpoints.
   */
  adminSsh: describe(z._default(z.boolean(), false), 'Verify the Expressway steps over the admin SSH (xAPI, read-only)'),
  b2b: z.optional(
    z.strictObject({
      neighborZonePort: z._default(port, 5561),
      /** Not 5060/5061 and not used by another traversal zone (Table 7-19). */
      traversalPort: port.check(z.refine((p) => p !== 5060 && p !== 5061, 'the B2B traversal port must not be 5060 or 5061')),
    }),
  ),
});

const iosRole = z.enum(['gateway', 'cube', 'srst']);

const iosRouter = z.strictObject({
  host: hostname,
  ip: describe(ipv4, 'Management address for SSH'),
  sshPort: z.optional(port),
  roles: z.array(iosRole).check(z.minLength(1)),
  version: releaseField('IOS-XE', IOS_XE_RELEASES, DEFAULT_RELEASE.iosXe),
  cn: describe(fqdn, 'Certificate subject CN'),
  trustpoint: objectName,
  keyLabel: objectName,
  /** The key pair S034/S064 generate under keyLabel (default RSA 2048). */
  key: keyField,
  /** Unified CM addresses for `crypto signaling remote-addr` (S071/S073). */
  ucmPeers: z._default(z.array(z.strictObject({ ip: ipv4, mask: netmask })), []),
  dialPeers: z._default(z.array(z.number().check(z.int(), z.gte(1), z.lte(2147483647))), []),
  trustedList: z._default(z.array(z.strictObject({ ip: ipv4, mask: z.optional(netmask) })), []),
  /** Trustpoint that holds the LSC issuer (CAPF or online CA) for secure SRST (S035). */
  lscIssuerTrustpoint: z.optional(objectName),
  /** Use `srtp pass-thru` for NGE end to end (S075); no RTP↔SRTP interworking then. */
  srtpPassThru: z._default(z.boolean(), false),
  /** Keep the router as a SIP registrar (S078 does not apply then). */
  registrar: z._default(z.boolean(), false),
});

const cmsService = z.enum(['callbridge', 'webadmin', 'webbridge', 'xmpp', 'database']);

const cms = z.strictObject({
  /** Every node runs the same release. 3.x: Web Bridge 3, no XMPP server (review-2026 A.2). */
  version: releaseField('Meeting Server', CMS_RELEASES, DEFAULT_RELEASE.cms),
  /**
   * CN (and last SAN) of the shared certificate (S080). On 2.x it is the XMPP domain (D-10), so
   * `xmppDomain` names it there; 3.x has no XMPP server and names it `commonName` (the name the
   * Unified CM trunk profiles' X.509 Subject Name matches, S092). Exactly one of the two.
   */
  commonName: describe(z.optional(fqdn), 'CN of the shared Meeting Server certificate (3.x; on 2.x the XMPP domain, xmppDomain)'),
  xmppDomain: describe(z.optional(fqdn), 'Meeting Server 2.x XMPP domain: CN of the shared certificate'),
  csrSubject: z.strictObject({ OU: safeText, O: safeText, L: safeText, ST: safeWord, C: isoCountry }),
  sharedBaseName: z._default(baseName, 'CAsignedCluster'),
  dbClientBaseName: z._default(baseName, 'dbclusterclient'),
  rootCaFileName: z._default(fileName, 'rootCAcert.cer'),
  /** The keys `pki csr` makes (S080/S081): it takes no size, so only RSA 2048 is accepted. */
  key: keyField,
  nodes: describe(
    z.array(z.extend(node, { services: z.array(cmsService).check(z.minLength(1)) })).check(z.minLength(1)),
    'Meeting Server nodes and their services: at least one runs callbridge and at least one runs database',
  ),
});

/**
 * The feature switches and their defaults, one table for both places a default applies: a switch
 * left out of `features:` and a `features:` block left out altogether (two lists written by hand
 * could disagree, and an inventory then planned differently with `features: {}` than without).
 */
const FEATURE_DEFAULTS = {
  mra: false,
  xmppFederation: false,
  b2b: false,
  secureSrst: false,
  capfOnlineCa: false,
  tftpEncryptedConfig: false,
  sipOAuth: false,
  mixedMode: true,
  ocsp: false,
  callAdmissionControl: false,
  autoRegistration: false,
  /** Unified CM certificates are CA-signed (the PA default); off → S070 imports them on IOS. */
  cucmCaSigned: true,
  /** render S071 as `crypto signaling default trustpoint` instead of the printed remote-addr lines. */
  iosDefaultTrustpoint: true,
} as const;

type FeatureFields = { -readonly [K in keyof typeof FEATURE_DEFAULTS]: z.ZodMiniDefault<z.ZodMiniBoolean> };

/** One optional boolean per switch, defaulting as FEATURE_DEFAULTS says, in its order. */
function featureFields(): FeatureFields {
  const fields: Partial<FeatureFields> = {};
  for (const [name, on] of Object.entries(FEATURE_DEFAULTS) as [keyof typeof FEATURE_DEFAULTS, boolean][]) fields[name] = z._default(z.boolean(), on);
  return fields as FeatureFields;
}

const simpleServer = z.strictObject({ host: hostname, fqdn: z.optional(fqdn), ip: z.optional(ipv4), sshPort: z.optional(port), tlsPorts });

export const inventorySchema = z
  .strictObject({
    title: z._default(label, 'Collaboration security rollout'),
    domain: describe(fqdn, 'Enterprise / SIP domain, e.g. ent-pa.com'),
    /** Change number, approver, window, impact, rollback owner for the MOP and evidence pack (src/inventory/change.ts). */
    change: z.optional(changeRecord),
    ca: z.strictObject({
      enterprise: z.strictObject({
        /**
         * The root's subject common name (CN): the trust-store checks (S002, S003, S025, S027,
         * S037, S110) find the uploaded root in `show cert list trust` by it, as the CA that
         * signed itself (review 2026 A.1).
         */
        name: describe(
          label,
          "The enterprise root CA's subject common name (CN), e.g. ENT-PA Enterprise Root CA: `show cert list trust` lists the uploaded root as signed by this name, and the trust-store checks find it by it (no < > or ` characters)",
        ),
        /** PEM/DER root (or chain) on the operator machine; relative paths resolve against the inventory's folder. */
        rootCertFile: localPath,
        /**
         * Deprecated (review 2026 A.1): VOS names an imported trust file itself, so no step reads
         * this any more; the checks find the root by `name`. Still accepted so that older
         * inventories load unchanged.
         */
        vosTrustFileName: meta(z.optional(fileName), {
          deprecated: true,
          description:
            'Deprecated and ignored: VOS names an imported trust file itself, and the trust-store checks now find the root by ca.enterprise.name (its subject CN). Remove this line.',
        }),
      }),
      public: z.optional(z.strictObject({ name: label, rootCertFile: localPath })),
      b2bPartnerRootFiles: describe(
        z._default(z.array(localPath), []),
        'Root CA files of B2B partners (PEM/DER); relative paths resolve against the folder holding the inventory file',
      ),
    }),
    credentials: z._default(
      z.strictObject({
        vos: z.optional(credential),
        /** IOS: the enable secret is asked for (or read from enableSecretEnv) when login lands at `>`. */
        ios: z.optional(z.extend(credential, { enableSecretEnv: z.optional(envVar) })),
        mmp: z.optional(credential),
        /** Expressway admin SSH (xAPI shell), read-only verification (expressway.adminSsh). */
        expressway: z.optional(credential),
        /** AXL application user ("Standard AXL API Access") — not the OS administrator. */
        axl: z.optional(credential),
        /** Control Center Services user ("Standard SERVICEABILITY Administration" [I]); default: the AXL user. */
        controlcenter: z.optional(credential),
        /** Unity Connection administrator for CUPI (System Administrator role [I]); default: the VOS OS administrator (credentials.vos). */
        cupi: z.optional(credential),
      }),
      {},
    ),
    features: z._default(z.strictObject(featureFields()), { ...FEATURE_DEFAULTS }),
    ldap: z.optional(
      z.strictObject({
        servers: z.array(z.strictObject({ fqdn, kind: z._default(z.enum(['dc', 'gc']), 'dc') })).check(z.minLength(1)),
      }),
    ),
    phoneSecurityProfiles: z.optional(phoneSecurityProfiles),
    cucm: z.array(cucmCluster).check(z.minLength(1)),
    remoteClusters: z._default(z.array(remoteCluster), []),
    unity: z.optional(unity),
    expressway: z.optional(expressway),
    ios: z._default(z.array(iosRouter), []),
    cms: z.optional(cms),
    cmm: z.optional(z.extend(simpleServer, { cdrReceiverAddress: z.optional(fqdn), key: keyField })),
    tms: z.optional(z.extend(simpleServer, { key: keyField })),
    pcd: z.optional(
      z.extend(simpleServer, {
        ip: ipv4,
        /** PCD is VOS-based; its own release decides the `set csr gen` dialogue (S107, review-2026 A.9). */
        version: releaseField('Prime Collaboration Deployment', VOS_RELEASES, DEFAULT_RELEASE.vos),
      }),
    ),
    /**
     * VOS CSRs (Unified CM, IM and Presence, Unity Connection, PCD). From 14SU2 the OU is left out
     * of a CSR unless asked for: `set csr gen` asks `Include OU in CSR (yes|no)?` and the GUI's
     * Generate CSR has an "Include OU in CSR" option (cli-facts §1.3). Default no: it is what VOS
     * does by default, and public CAs may not put an OU in a TLS certificate at all (CA/Browser
     * Forum Baseline Requirements, ballot SC47, from September 2022) [I: ballot from memory].
     */
    csr: z._default(
      z.strictObject({ includeOU: describe(z._default(z.boolean(), false), '14SU2+: answer yes to "Include OU in CSR (yes|no)?" (default no)') }),
      { includeOU: false },
    ),
    pcp: z.optional(simpleServer),
  })
  .check(
    z.superRefine((inv, ctx) => {
      // Cross-field rules that a per-field schema cannot express.
      const seen = new Map<string, string>();
      const visit = (host: string, where: (string | number)[]) => {
        const prev = seen.get(host.toLowerCase());
        if (prev) ctx.addIssue({ code: 'custom', path: [...where, 'host'], message: `host "${host}" is already used at ${prev}` });
        else seen.set(host.toLowerCase(), where.join('.'));
      };
      inv.cucm.forEach((c, i) => {
        visit(c.publisher.host, ['cucm', i, 'publisher']);
        c.subscribers.forEach((s, j) => visit(s.host, ['cucm', i, 'subscribers', j]));
        if (c.imp) {
          visit(c.imp.publisher.host, ['cucm', i, 'imp', 'publisher']);
          c.imp.subscribers.forEach((s, j) => visit(s.host, ['cucm', i, 'imp', 'subscribers', j]));
        }
        if (inv.features.capfOnlineCa && !c.capfOnlineCa)
          ctx.addIssue({ code: 'custom', path: ['cucm', i, 'capfOnlineCa'], message: 'features.capfOnlineCa is on: describe the online CA here' });
      });
      inv.ios.forEach((r, i) => {
        visit(r.host, ['ios', i]);
        const voice = r.roles.includes('cube') || r.roles.includes('gateway');
        if (voice && r.ucmPeers.length === 0)
          ctx.addIssue({ code: 'custom', path: ['ios', i, 'ucmPeers'], message: 'a CUBE or gateway needs the Unified CM addresses for crypto signaling (S073)' });
        if (voice && r.dialPeers.length === 0)
          ctx.addIssue({ code: 'custom', path: ['ios', i, 'dialPeers'], message: 'a CUBE or gateway needs the dial-peer tags toward Unified CM (S072)' });
        if (r.roles.includes('srst') && inv.features.secureSrst && !r.lscIssuerTrustpoint)
          ctx.addIssue({ code: 'custom', path: ['ios', i, 'lscIssuerTrustpoint'], message: 'secure SRST needs a trustpoint for the LSC issuer (S035)' });
      });
      inv.cms?.nodes.forEach((n, i) => visit(n.host, ['cms', 'nodes', i]));
      // Review-2026 A.14: a key the product cannot generate (src/inventory/keys.ts holds who can what).
      const keyCheck = (s: Parameters<typeof refusal>[0], k: Parameters<typeof refusal>[1], where: (string | number)[]) => {
        const r = refusal(s, k);
        if (r) ctx.addIssue({ code: 'custom', path: [...where, 'key', r.field], message: r.message });
      };
      inv.ios.forEach((r, i) => keyCheck(supportOf('ios'), r.key, ['ios', i]));
      inv.cucm.forEach((c, i) => keyCheck(supportOf('cucm', c.version), c.key, ['cucm', i]));
      if (inv.unity) keyCheck(supportOf('unity', inv.unity.version), inv.unity.key, ['unity']);
      if (inv.cms) keyCheck(supportOf('cms'), inv.cms.key, ['cms']);
      if (inv.cmm) keyCheck(supportOf('cmm'), inv.cmm.key, ['cmm']);
      if (inv.tms) keyCheck(supportOf('tms'), inv.tms.key, ['tms']);
      // A feature the named release lacks (issue 23): Meeting Server 3.0 removed the XMPP server
      // (Web Bridge 3 reaches the Call Bridge over C2W instead; cli-facts §3, review-2026 A.2).
      if (inv.cms && inv.cms.version !== '2.x')
        inv.cms.nodes.forEach((n, i) => {
          const j = n.services.indexOf('xmpp');
          if (j >= 0)
            ctx.addIssue({
              code: 'custom',
              path: ['cms', 'nodes', i, 'services', j],
              message: `Meeting Server ${inv.cms?.version ?? ''} has no XMPP server (removed in 3.0; Web Bridge 3 uses C2W): drop xmpp, or set cms.version to 2.x`,
            });
        });
      // The shared certificate's CN: named once, and not as an XMPP domain where there is no XMPP server.
      if (inv.cms) {
        const { commonName, xmppDomain, version } = inv.cms;
        if (commonName !== undefined && xmppDomain !== undefined)
          ctx.addIssue({ code: 'custom', path: ['cms', 'xmppDomain'], message: 'give the shared certificate CN once: cms.commonName or (2.x) cms.xmppDomain, not both' });
        else if (xmppDomain !== undefined && version !== '2.x')
          ctx.addIssue({ code: 'custom', path: ['cms', 'xmppDomain'], message: `Meeting Server ${version} has no XMPP server (removed in 3.0): name the shared certificate CN as cms.commonName instead` });
        else if (commonName === undefined && xmppDomain === undefined)
          ctx.addIssue({ code: 'custom', path: ['cms', 'commonName'], message: 'name the CN of the shared Meeting Server certificate (cms.commonName; on 2.x cms.xmppDomain, the XMPP domain)' });
      }
      // The Meeting Server steps need a Call Bridge (the Unified CM SIP trunks end there, S092) and a
      // database node (the database cluster is joined to the first one, S091).
      if (inv.cms && !inv.cms.nodes.some((n) => n.services.includes('callbridge')))
        ctx.addIssue({ code: 'custom', path: ['cms', 'nodes'], message: 'at least one node needs the callbridge service (the Unified CM SIP trunks reach the Call Bridge, S092)' });
      if (inv.cms && !inv.cms.nodes.some((n) => n.services.includes('database')))
        ctx.addIssue({ code: 'custom', path: ['cms', 'nodes'], message: 'at least one node needs the database service (the database cluster is joined to the first database node, S091)' });
      if (inv.expressway && !inv.ca.public)
        ctx.addIssue({ code: 'custom', path: ['ca', 'public'], message: 'Expressway-E must use a public CA (Table 7-5): describe it here' });
      if (inv.features.mra && !inv.expressway)
        ctx.addIssue({ code: 'custom', path: ['expressway'], message: 'features.mra is on: an expressway section is required' });
      if (inv.features.b2b && inv.expressway && !inv.expressway.b2b)
        ctx.addIssue({ code: 'custom', path: ['expressway', 'b2b'], message: 'features.b2b is on: give the B2B zone ports' });
      if (inv.features.b2b && inv.expressway?.b2b) {
        const cucmPorts = new Set(inv.cucm.map((c) => c.b2bIncomingPort));
        if (!cucmPorts.has(inv.expressway.b2b.neighborZonePort))
          ctx.addIssue({
            code: 'custom',
            path: ['expressway', 'b2b', 'neighborZonePort'],
            message: 'must equal the Unified CM b2bIncomingPort (A-02: the neighbor zone port is the trunk profile Incoming Port)',
          });
      }
      if (inv.features.mra && inv.expressway && inv.expressway.registrationDomains.length === 0)
        ctx.addIssue({ code: 'custom', path: ['expressway', 'registrationDomains'], message: 'MRA needs at least one Unified CM registration domain (Table 7-16)' });
      if (inv.features.xmppFederation && inv.expressway && inv.expressway.xmppFederationDomains.length === 0)
        ctx.addIssue({ code: 'custom', path: ['expressway', 'xmppFederationDomains'], message: 'XMPP federation needs at least one federation domain (Table 7-16)' });
      if (inv.features.mra && !inv.phoneSecurityProfiles)
        ctx.addIssue({ code: 'custom', path: ['phoneSecurityProfiles'], message: 'MRA needs the phone security profile names (Expressway-C SAN, Table 7-16)' });
      inv.cucm.forEach((c, i) => {
        const p = c.phones;
        if (p && p.assign.length + p.firstLsc.length > 0 && !inv.phoneSecurityProfiles)
          ctx.addIssue({ code: 'custom', path: ['cucm', i, 'phones'], message: 'moving phones needs the phone security profile names (phoneSecurityProfiles)' });
      });
      if (inv.features.mixedMode && !inv.phoneSecurityProfiles)
        ctx.addIssue({ code: 'custom', path: ['phoneSecurityProfiles'], message: 'mixed mode needs the encrypted phone security profile names (Table 7-13)' });
    }),
  );

export type Inventory = z.infer<typeof inventorySchema>;
export type InventoryInput = z.input<typeof inventorySchema>;
