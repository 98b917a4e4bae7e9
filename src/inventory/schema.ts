// The deployment inventory: one YAML file describing the operator's deployment. Everything is
// `.strict()` so a misspelt key (or a `password:` someone tried to add) is an error, not ignored.
// Credentials are never stored: a credential block may only name an environment variable.
import * as z from 'zod';
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

const credential = z
  .object({
    username: objectName.describe('Login name (the password is asked for, or read from passwordEnv)'),
    passwordEnv: envVar.optional().describe('Environment variable holding the password'),
  })
  .strict();

/**
 * Where a node's TLS ports really answer, by the port the catalogue probes ("443": 8443): a port
 * forward, or `collabsec lab`'s simulators on 127.0.0.1. Read by the TLS probes only (issue 22).
 */
const tlsPorts = z.record(z.string().regex(/^[1-9]\d{0,4}$/, 'a port number'), port).optional().describe('TLS probe port overrides: catalogue port → port the node answers on');

/** A server node. `fqdn` defaults to `<host>.<domain>`. */
const node = z
  .object({
    host: hostname.describe('Host name (first DNS label)'),
    fqdn: fqdn.optional().describe('FQDN; defaults to <host>.<domain>'),
    ip: ipv4.describe('Management IPv4 address'),
    sshPort: port.optional().describe('SSH port (default 22)'),
    /** Tomcat HTTPS (AXL, Control Center Services, certificate REST) — 8443 on every VOS node. */
    httpsPort: port.optional().describe('HTTPS administration port: AXL and Control Center Services (default 8443)'),
    tlsPorts,
  })
  .strict();

const cucmService = z.enum(['callmanager', 'tftp', 'ctimanager']);
const cucmNode = node.extend({ services: z.array(cucmService).default([]) }).strict();

const impCluster = z
  .object({
    publisher: node,
    subscribers: z.array(node).default([]),
  })
  .strict();

/**
 * Phones chosen for the bulk moves of S032/S033 (issue 21): listPhone's searchCriteria by device
 * pool and/or name pattern (SQL LIKE: `%` any run, `_` one character), then kept only when their
 * model is listed (listPhone cannot search by model: AXLSoap.xsd ListPhoneReq). Without a pool or
 * pattern the selection is every phone (`%`), bounded by `phones.max`.
 */
const phoneModel = checked('phone model', 100, /^[A-Za-z0-9][A-Za-z0-9 ._()+\/-]*$/, 'a Unified CM model name such as "Cisco 8845"');
const phoneSelection = z
  .object({
    devicePool: objectName.optional().describe('Device pool of the phones (listPhone devicePoolName)'),
    namePattern: checked('name pattern', 50, /^[A-Za-z0-9%_.-]+$/, 'device name characters with SQL LIKE wildcards % and _, e.g. SEP%')
      .optional()
      .describe('Device name pattern (listPhone name, SQL LIKE)'),
    models: z.array(phoneModel).max(50).default([]).describe('Keep only these models (as Unified CM names them); empty: every model'),
  })
  .strict();
const phonePlan = z
  .object({
    /** Phones per wave: each wave is written, applied and read back before the next. */
    waveSize: z.number().int().min(1).max(500).default(50).describe('Phones per wave (S032/S033)'),
    /** More phones than this matching a selection stops the step before anything is written. */
    max: z.number().int().min(1).max(20000).default(10000).describe('Most phones one selection may match'),
    /** S032: phones moved to an encrypted profile; an LSC is requested for the LSC profiles (Table 7-14). */
    assign: z
      .array(
        phoneSelection
          .extend({
            profile: z.enum(['lscTftpEncrypted', 'lsc', 'initial', 'jabber']).describe('Which phoneSecurityProfiles entry (initial: MRA hardware endpoints)'),
            installLsc: z.boolean().optional().describe('Request an LSC (certificateOperation Install/Upgrade); default: for the LSC profiles only'),
          })
          .strict()
          .refine((g) => !(g.installLsc === true && (g.profile === 'jabber' || g.profile === 'initial')), {
            message: 'Jabber and MRA-only endpoints get no LSC (CAPF enrolment is not supported over MRA)',
            path: ['installLsc'],
          }),
      )
      .max(50)
      .default([]),
    /** S033: endpoints with neither MIC nor LSC: the initial (null/auth string) profile and Install/Upgrade. */
    firstLsc: z.array(phoneSelection).max(50).default([]),
  })
  .strict();

const cucmCluster = z
  .object({
    name: objectName.describe('Cluster name used in the plan, e.g. "us"'),
    /**
     * Major release: selects the AXL schema namespace (http://www.cisco.com/AXL/API/<n>.0 or 12.5)
     * and the release-dependent steps. The cluster's IM and Presence nodes run the same release.
     */
    version: releaseField('Unified CM (and its IM and Presence)', VOS_RELEASES, DEFAULT_RELEASE.vos),
    /** Key Length of the cluster's multi-server CSRs (S004: Unified CM and its IM and Presence). */
    key: keyField,
    publisher: cucmNode,
    subscribers: z.array(cucmNode).default([]),
    imp: impCluster.optional(),
    /** Incoming port of the secure trunk profile for the Expressway B2B trunk (Table 7-11). */
    b2bIncomingPort: port.default(5561),
    /** Names of the secure SIP trunk security profiles S016 creates, one per trunk type (Table 7-11; the chapter names none). */
    trunkSecurityProfiles: z
      .object({
        unity: objectName.default('Secure-SIP-Trunk-Unity-Connection'),
        cms: objectName.default('Secure-SIP-Trunk-Meeting-Server'),
        b2b: objectName.default('Secure-SIP-Trunk-Expressway-B2B'),
        ios: objectName.default('Secure-SIP-Trunk-IOS-Gateway'),
        intercluster: objectName.default('Secure-SIP-Trunk-Intercluster'),
      })
      .strict()
      .default({
        unity: 'Secure-SIP-Trunk-Unity-Connection',
        cms: 'Secure-SIP-Trunk-Meeting-Server',
        b2b: 'Secure-SIP-Trunk-Expressway-B2B',
        ios: 'Secure-SIP-Trunk-IOS-Gateway',
        intercluster: 'Secure-SIP-Trunk-Intercluster',
      })
      .describe('Names of the secure SIP trunk security profiles (S016), per trunk type'),
    /**
     * The cluster's existing SIP trunks, by the peer they reach, as named in Unified CM: the trunk
     * steps (S046, S063, S079, S092, S117) change them through AXL. A type left out keeps its GUI path.
     */
    sipTrunks: z
      .object({
        unity: z.array(objectName).max(50).default([]),
        cms: z.array(objectName).max(50).default([]),
        b2b: z.array(objectName).max(50).default([]),
        ios: z.array(objectName).max(50).default([]),
        intercluster: z.array(objectName).max(50).default([]),
      })
      .strict()
      .default({ unity: [], cms: [], b2b: [], ios: [], intercluster: [] })
      .describe('Existing SIP trunk names per peer type, for the AXL form of the trunk steps'),
    /** Existing LDAP directory agreements (System > LDAP > LDAP Directory): S014 moves them to TLS through AXL. */
    ldapDirectories: z.array(objectName).max(20).default([]).describe('Existing LDAP directory names, for the AXL form of S014'),
    /** SRST references of the routers that run secure SRST: S036 marks them secure through AXL. */
    srstReferences: z.array(objectName).max(500).default([]).describe('SRST reference names of the secure SRST routers, for the AXL form of S036'),
    /** The device pool of auto-registered devices and the restricted CSS S123 gives it (the chapter names neither). */
    autoRegistrationDevicePool: z
      .object({ name: objectName, callingSearchSpace: objectName.describe('The restricted CSS for auto-registration') })
      .strict()
      .optional()
      .describe('Device pool of auto-registered devices and its restricted CSS, for the AXL form of S123'),
    /**
     * Toll-fraud calling search spaces (issue 21 slice 2; the chapter names none): S120 gives the
     * PSTN (sipTrunks.ios) and Expressway B2B (sipTrunks.b2b) trunks their restricted inbound CSS,
     * S126 the Unity Connection trunks (sipTrunks.unity) their CSS and rerouting CSS. Each is an
     * existing CSS; one left out keeps that part on the GUI path.
     */
    restrictedCss: z
      .object({
        pstnInbound: objectName.optional().describe('S120: inbound CSS of the PSTN gateway / CUBE trunks (no PSTN partition)'),
        expresswayInbound: objectName.optional().describe('S120: inbound CSS of the Expressway B2B trunks (no PSTN partition)'),
        voicemail: objectName.optional().describe('S126: CSS of the Unity Connection trunks'),
        voicemailReroute: objectName.optional().describe('S126: rerouting CSS of the Unity Connection trunks'),
      })
      .strict()
      .default({})
      .describe('Existing restricted CSS names for the AXL form of the toll-fraud steps S120 and S126'),
    /** Phones S032/S033 move in waves through AXL (absent: those steps keep their GUI path only). */
    phones: phonePlan.optional().describe('Phones for the bulk profile moves and LSC requests of S032/S033'),
    capfOnlineCa: z
      .object({
        host: fqdn.describe('CN of the IIS certificate of the Microsoft CA (usually its FQDN)'),
        port: port.default(443),
        template: objectName,
        type: z.literal('Microsoft CA').default('Microsoft CA'),
        username: objectName,
        passwordEnv: envVar.optional(),
      })
      .strict()
      .optional(),
    certificateMonitor: z
      .object({
        notifyDays: z.number().int().min(1).max(365).default(60),
        notifyFrequencyDays: z.number().int().min(1).max(365).default(1),
        emails: z.array(z.email()).default([]),
      })
      .strict()
      .default({ notifyDays: 60, notifyFrequencyDays: 1, emails: [] }),
  })
  .strict();

const pspAuthMode = z.enum(['null-string', 'auth-string']);

const phoneSecurityProfiles = z
  .object({
    lscTftpEncrypted: objectName.describe('LSC profile with TFTP encrypted config (FQDN form for MRA)'),
    lsc: objectName.describe('LSC profile without TFTP encryption'),
    initial: z
      .object({ name: objectName, mode: pspAuthMode.describe('By Null String or By Authentication String (D-05)') })
      .strict(),
    jabber: objectName.describe('Jabber SIP OAuth profile'),
  })
  .strict();

const remoteCluster = z
  .object({
    name: objectName,
    callManagerCn: fqdn.describe('CN of the remote CallManager multi-server certificate'),
  })
  .strict();

const unity = z
  .object({
    publisher: node,
    subscriber: node.optional(),
    portGroup: objectName.default('PhoneSystem-1'),
    /**
     * S125 (toll fraud): the number patterns Unity Connection must block in its restriction tables,
     * added through CUPI and read back. Required with unity, never defaulted: which numbers are toll
     * numbers depends on the dial plan, so the operator names them.
     */
    restrictionTables: z
      .object({
        blocked: z.array(restrictionPattern).min(1).max(100).describe('Number patterns to block, e.g. 9011* (international) or 91900??????? (premium)'),
        tables: z.array(cupiName).max(50).default([]).describe('Restriction tables to change; empty: every table a class of service uses (transfer, outcall, fax)'),
      })
      .strict()
      .describe('S125: restriction-table patterns Unity Connection must block (required with unity)'),
    /** Unity Connection is its own cluster: its release may differ from Unified CM's. */
    version: releaseField('Unity Connection', VOS_RELEASES, DEFAULT_RELEASE.vos),
    /** Key Length of the tomcat multi-server CSR (S038). */
    key: keyField,
  })
  .strict();

const expresswayCluster = z
  .object({
    clusterName: fqdn.describe('Cluster FQDN (certificate CN / SAN)'),
    nodes: z.array(node).min(1),
  })
  .strict();

const expressway = z
  .object({
    /** Both clusters (C and E) run the same release. */
    version: releaseField('Expressway', EXPRESSWAY_RELEASES, DEFAULT_RELEASE.expressway),
    c: expresswayCluster,
    e: expresswayCluster,
    registrationDomains: z.array(fqdn).default([]),
    xmppFederationDomains: z.array(fqdn).default([]),
    chatNodeAliases: z.array(fqdn).default([]),
    /**
     * The nodes' admin SSH (the xAPI shell, port sshPort or 22 at ip) is reachable: the zone
     * steps are then verified by reading xConfiguration (credentials.expressway). Off: the
     * operator answers those checkpoints.
     */
    adminSsh: z.boolean().default(false).describe('Verify the Expressway steps over the admin SSH (xAPI, read-only)'),
    b2b: z
      .object({
        neighborZonePort: port.default(5561),
        /** Not 5060/5061 and not used by another traversal zone (Table 7-19). */
        traversalPort: port.refine((p) => p !== 5060 && p !== 5061, 'the B2B traversal port must not be 5060 or 5061'),
      })
      .strict()
      .optional(),
  })
  .strict();

const iosRole = z.enum(['gateway', 'cube', 'srst']);

const iosRouter = z
  .object({
    host: hostname,
    ip: ipv4.describe('Management address for SSH'),
    sshPort: port.optional(),
    roles: z.array(iosRole).min(1),
    version: releaseField('IOS-XE', IOS_XE_RELEASES, DEFAULT_RELEASE.iosXe),
    cn: fqdn.describe('Certificate subject CN'),
    trustpoint: objectName,
    keyLabel: objectName,
    /** The key pair S034/S064 generate under keyLabel (default RSA 2048). */
    key: keyField,
    /** Unified CM addresses for `crypto signaling remote-addr` (S071/S073). */
    ucmPeers: z.array(z.object({ ip: ipv4, mask: netmask }).strict()).default([]),
    dialPeers: z.array(z.number().int().min(1).max(2147483647)).default([]),
    trustedList: z.array(z.object({ ip: ipv4, mask: netmask.optional() }).strict()).default([]),
    /** Trustpoint that holds the LSC issuer (CAPF or online CA) for secure SRST (S035). */
    lscIssuerTrustpoint: objectName.optional(),
    /** Use `srtp pass-thru` for NGE end to end (S075); no RTP↔SRTP interworking then. */
    srtpPassThru: z.boolean().default(false),
    /** Keep the router as a SIP registrar (S078 does not apply then). */
    registrar: z.boolean().default(false),
  })
  .strict();

const cmsService = z.enum(['callbridge', 'webadmin', 'webbridge', 'xmpp', 'database']);

const cms = z
  .object({
    /** Every node runs the same release. 3.x: Web Bridge 3, no XMPP server (review-2026 A.2). */
    version: releaseField('Meeting Server', CMS_RELEASES, DEFAULT_RELEASE.cms),
    /**
     * CN (and last SAN) of the shared certificate (S080). On 2.x it is the XMPP domain (D-10), so
     * `xmppDomain` names it there; 3.x has no XMPP server and names it `commonName` (the name the
     * Unified CM trunk profiles' X.509 Subject Name matches, S092). Exactly one of the two.
     */
    commonName: fqdn.optional().describe('CN of the shared Meeting Server certificate (3.x; on 2.x the XMPP domain, xmppDomain)'),
    xmppDomain: fqdn.optional().describe('Meeting Server 2.x XMPP domain: CN of the shared certificate'),
    csrSubject: z
      .object({ OU: safeText, O: safeText, L: safeText, ST: safeWord, C: isoCountry })
      .strict(),
    sharedBaseName: baseName.default('CAsignedCluster'),
    dbClientBaseName: baseName.default('dbclusterclient'),
    rootCaFileName: fileName.default('rootCAcert.cer'),
    /** The keys `pki csr` makes (S080/S081): it takes no size, so only RSA 2048 is accepted. */
    key: keyField,
    nodes: z
      .array(node.extend({ services: z.array(cmsService).min(1) }).strict())
      .min(1)
      .describe('Meeting Server nodes and their services: at least one runs callbridge and at least one runs database'),
  })
  .strict();

const simpleServer = z
  .object({ host: hostname, fqdn: fqdn.optional(), ip: ipv4.optional(), sshPort: port.optional(), tlsPorts })
  .strict();

export const inventorySchema = z
  .object({
    title: label.default('Collaboration security rollout'),
    domain: fqdn.describe('Enterprise / SIP domain, e.g. ent-pa.com'),
    /** Change number, approver, window, impact, rollback owner for the MOP and evidence pack (src/inventory/change.ts). */
    change: changeRecord.optional(),
    ca: z
      .object({
        enterprise: z
          .object({
            /**
             * The root's subject common name (CN): the trust-store checks (S002, S003, S025, S027,
             * S037, S110) find the uploaded root in `show cert list trust` by it, as the CA that
             * signed itself (review 2026 A.1).
             */
            name: label.describe(
              "The enterprise root CA's subject common name (CN), e.g. ENT-PA Enterprise Root CA: `show cert list trust` lists the uploaded root as signed by this name, and the trust-store checks find it by it (no < > or ` characters)",
            ),
            /** PEM/DER root (or chain) on the operator machine; relative paths resolve against the inventory's folder. */
            rootCertFile: localPath,
            /**
             * Deprecated (review 2026 A.1): VOS names an imported trust file itself, so no step reads
             * this any more; the checks find the root by `name`. Still accepted so that older
             * inventories load unchanged.
             */
            vosTrustFileName: fileName
              .optional()
              .meta({
                deprecated: true,
                description:
                  'Deprecated and ignored: VOS names an imported trust file itself, and the trust-store checks now find the root by ca.enterprise.name (its subject CN). Remove this line.',
              }),
          })
          .strict(),
        public: z.object({ name: label, rootCertFile: localPath }).strict().optional(),
        b2bPartnerRootFiles: z
          .array(localPath)
          .default([])
          .describe('Root CA files of B2B partners (PEM/DER); relative paths resolve against the folder holding the inventory file'),
      })
      .strict(),
    credentials: z
      .object({
        vos: credential.optional(),
        /** IOS: the enable secret is asked for (or read from enableSecretEnv) when login lands at `>`. */
        ios: credential.extend({ enableSecretEnv: envVar.optional() }).strict().optional(),
        mmp: credential.optional(),
        /** Expressway admin SSH (xAPI shell), read-only verification (expressway.adminSsh). */
        expressway: credential.optional(),
        /** AXL application user ("Standard AXL API Access") — not the OS administrator. */
        axl: credential.optional(),
        /** Control Center Services user ("Standard SERVICEABILITY Administration" [I]); default: the AXL user. */
        controlcenter: credential.optional(),
        /** Unity Connection administrator for CUPI (System Administrator role [I]); default: the VOS OS administrator (credentials.vos). */
        cupi: credential.optional(),
      })
      .strict()
      .default({}),
    features: z
      .object({
        mra: z.boolean().default(false),
        xmppFederation: z.boolean().default(false),
        b2b: z.boolean().default(false),
        secureSrst: z.boolean().default(false),
        capfOnlineCa: z.boolean().default(false),
        tftpEncryptedConfig: z.boolean().default(false),
        sipOAuth: z.boolean().default(false),
        mixedMode: z.boolean().default(true),
        ocsp: z.boolean().default(false),
        callAdmissionControl: z.boolean().default(false),
        autoRegistration: z.boolean().default(false),
        /** Unified CM certificates are CA-signed (the PA default); off → S070 imports them on IOS. */
        cucmCaSigned: z.boolean().default(true),
        /** render S071 as `crypto signaling default trustpoint` instead of the printed remote-addr lines. */
        iosDefaultTrustpoint: z.boolean().default(true),
      })
      .strict()
      .default({
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
        cucmCaSigned: true,
        iosDefaultTrustpoint: true,
      }),
    ldap: z
      .object({
        servers: z.array(z.object({ fqdn, kind: z.enum(['dc', 'gc']).default('dc') }).strict()).min(1),
      })
      .strict()
      .optional(),
    phoneSecurityProfiles: phoneSecurityProfiles.optional(),
    cucm: z.array(cucmCluster).min(1),
    remoteClusters: z.array(remoteCluster).default([]),
    unity: unity.optional(),
    expressway: expressway.optional(),
    ios: z.array(iosRouter).default([]),
    cms: cms.optional(),
    cmm: simpleServer.extend({ cdrReceiverAddress: fqdn.optional(), key: keyField }).strict().optional(),
    tms: simpleServer.extend({ key: keyField }).strict().optional(),
    pcd: simpleServer
      .extend({
        ip: ipv4,
        /** PCD is VOS-based; its own release decides the `set csr gen` dialogue (S107, review-2026 A.9). */
        version: releaseField('Prime Collaboration Deployment', VOS_RELEASES, DEFAULT_RELEASE.vos),
      })
      .strict()
      .optional(),
    /**
     * VOS CSRs (Unified CM, IM and Presence, Unity Connection, PCD). From 14SU2 the OU is left out
     * of a CSR unless asked for: `set csr gen` asks `Include OU in CSR (yes|no)?` and the GUI's
     * Generate CSR has an "Include OU in CSR" option (cli-facts §1.3). Default no: it is what VOS
     * does by default, and public CAs may not put an OU in a TLS certificate at all (CA/Browser
     * Forum Baseline Requirements, ballot SC47, from September 2022) [I: ballot from memory].
     */
    csr: z
      .object({ includeOU: z.boolean().default(false).describe('14SU2+: answer yes to "Include OU in CSR (yes|no)?" (default no)') })
      .strict()
      .default({ includeOU: false }),
    pcp: simpleServer.optional(),
  })
  .strict()
  .superRefine((inv, ctx) => {
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
  });

export type Inventory = z.infer<typeof inventorySchema>;
export type InventoryInput = z.input<typeof inventorySchema>;
