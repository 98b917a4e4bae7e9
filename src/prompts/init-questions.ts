// The questions of `collabsec init`, asked with @inquirer/prompts (the only layer that imports
// it). Every answer is checked by the inventory's own field validators as it is typed, so the
// file written at the end is valid by construction; the whole object is checked again after.
// Each product of the schema gets one "Is there …?" and then only its required fields; the
// optional ones keep their defaults and are written as commented lines (inventory-yaml.ts).
import { checkbox, confirm, input } from '@inquirer/prompts';
import type { Readable, Writable } from 'node:stream';
import {
  envVar,
  fqdn,
  hostname,
  ipv4,
  restrictionPattern,
  isoCountry,
  label,
  localPath,
  objectName,
  port,
  safeText,
  safeWord,
} from '../inventory/validators.js';
import * as z from 'zod/mini';
import '../zod.js';
import {
  type CmsService,
  type CredentialAnswer,
  type ExpresswayClusterAnswer,
  type InitAnswers,
  type IosAnswer,
  type IosRole,
  type NodeAnswer,
  offeredFeatures,
} from './inventory-yaml.js';


/** inquirer's `validate`: true, or the validator's own message. */
export function validatorFor(schema: z.ZodMiniType): (value: string) => true | string {
  return (value) => {
    const r = schema.safeParse(value);
    return r.success || (r.error.issues[0]?.message ?? 'invalid value');
  };
}

/** A comma- or space-separated list, each item checked by `schema` (at least one item). */
export function listValidatorFor(schema: z.ZodMiniType): (value: string) => true | string {
  return (value) => {
    const items = splitList(value);
    if (items.length === 0) return 'give at least one value';
    for (const item of items) {
      const r = validatorFor(schema)(item);
      if (r !== true) return r;
    }
    return true;
  };
}

export function splitList(value: string): string[] {
  return value.split(/[\s,]+/).filter((s) => s !== '');
}

/** A port number typed as text, checked by the schema's `port`. */
export function portValidator(value: string): true | string {
  if (!/^\d{1,5}$/.test(value.trim())) return 'a port number, 1–65535';
  const r = port.safeParse(Number(value.trim()));
  return r.success || 'a port number, 1–65535';
}

/** The IOS dial-peer tag (the schema's range, 1–2147483647). */
const dialPeerTag = z.number().check(z.int(), z.gte(1), z.lte(2147483647));
export function dialPeersValidator(value: string): true | string {
  const items = splitList(value);
  if (items.length === 0) return 'give at least one dial-peer tag';
  for (const item of items) if (!/^\d{1,10}$/.test(item) || !dialPeerTag.safeParse(Number(item)).success) return `"${item}" is not a dial-peer tag (1–2147483647)`;
  return true;
}

/** The terminal the questions go to (the command's io, not necessarily process.stdin/stdout). */
export interface PromptContext {
  input: Readable;
  output: Writable;
}

async function ask(ctx: PromptContext, message: string, schema: z.ZodMiniType, def?: string): Promise<string> {
  return (await input({ message, default: def, validate: validatorFor(schema) }, ctx)).trim();
}

async function askList(ctx: PromptContext, message: string, schema: z.ZodMiniType, def?: string): Promise<string[]> {
  return splitList(await input({ message: `${message} (separated by commas)`, default: def, validate: listValidatorFor(schema) }, ctx));
}

const yes = (ctx: PromptContext, message: string, def: boolean): Promise<boolean> => confirm({ message, default: def }, ctx);

/** Host names and addresses already given: a second node with the same one is refused as typed. */
interface Used {
  hosts: Set<string>;
  ips: Set<string>;
}

async function askNode(ctx: PromptContext, what: string, used: Used): Promise<NodeAnswer> {
  const uniqueHost = (v: string): true | string => (used.hosts.has(v.trim().toLowerCase()) ? `host "${v.trim()}" is already in this inventory` : validatorFor(hostname)(v.trim()));
  const host = (await input({ message: `${what}: host name`, validate: uniqueHost }, ctx)).trim();
  used.hosts.add(host.toLowerCase());
  const uniqueIp = (v: string): true | string => (used.ips.has(v.trim()) ? `address ${v.trim()} is already in this inventory` : validatorFor(ipv4)(v.trim()));
  const ip = (await input({ message: `${what}: management IPv4 address`, validate: uniqueIp }, ctx)).trim();
  used.ips.add(ip);
  return { host, ip };
}

async function askHost(ctx: PromptContext, what: string, used: Used): Promise<string> {
  const unique = (v: string): true | string => (used.hosts.has(v.trim().toLowerCase()) ? `host "${v.trim()}" is already in this inventory` : validatorFor(hostname)(v.trim()));
  const host = (await input({ message: `${what}: host name`, validate: unique }, ctx)).trim();
  used.hosts.add(host.toLowerCase());
  return host;
}

async function askCredential(ctx: PromptContext, what: string, user: string, env: string): Promise<CredentialAnswer> {
  return {
    username: await ask(ctx, `${what}: login name`, objectName, user),
    passwordEnv: await ask(ctx, `${what}: environment variable that will hold its password`, envVar, env),
  };
}

type Service = 'callmanager' | 'tftp' | 'ctimanager';
const services = (ctx: PromptContext, def: Service[]) =>
  checkbox<Service>(
    { message: 'Services on this node', choices: (['callmanager', 'tftp', 'ctimanager'] as const).map((value) => ({ value, checked: def.includes(value) })) },
    ctx,
  );

async function askExpresswayCluster(ctx: PromptContext, side: 'C' | 'E', domain: string, used: Used): Promise<ExpresswayClusterAnswer> {
  const clusterName = await ask(ctx, `Expressway-${side} cluster FQDN (certificate CN)`, fqdn, `exp${side.toLowerCase()}.${domain}`);
  const nodes = [await askNode(ctx, `Expressway-${side} node 1`, used)];
  while (await yes(ctx, `Add another Expressway-${side} node?`, false)) nodes.push(await askNode(ctx, `Expressway-${side} node ${nodes.length + 1}`, used));
  return { clusterName, nodes };
}

const iosRoles: { value: IosRole; name: string }[] = [
  { value: 'cube', name: 'CUBE' },
  { value: 'gateway', name: 'Voice gateway' },
  { value: 'srst', name: 'SRST' },
];

async function askIosRouter(ctx: PromptContext, n: number, domain: string, cmIps: string[], used: Used): Promise<IosAnswer> {
  const node = await askNode(ctx, `IOS router ${n}`, used);
  const roles = await checkbox<IosRole>(
    { message: 'Roles of this router', choices: iosRoles.map((r) => ({ ...r, checked: r.value === 'cube' })), validate: (c) => c.length > 0 || 'choose at least one role' },
    ctx,
  );
  const voice = roles.includes('cube') || roles.includes('gateway');
  const kind = voice ? 'CUBE' : 'SRST';
  const r: IosAnswer = {
    ...node,
    roles,
    cn: await ask(ctx, 'Certificate subject CN', fqdn, `${node.host}.${domain}`),
    trustpoint: await ask(ctx, 'Trustpoint name', objectName, `${kind}-Certificate`),
    keyLabel: await ask(ctx, 'RSA key label', objectName, kind),
    ucmPeers: [],
    dialPeers: [],
  };
  if (voice) {
    const peers = await askList(ctx, 'Unified CM addresses for crypto signaling (S073)', ipv4, cmIps.join(', ') || undefined);
    r.ucmPeers = peers.map((ip) => ({ ip, mask: '255.255.255.255' }));
    r.dialPeers = splitList(await input({ message: 'Dial-peer tags toward Unified CM (S072, separated by commas)', validate: dialPeersValidator }, ctx)).map(Number);
  }
  return r;
}

const cmsServices: CmsService[] = ['callbridge', 'webadmin', 'webbridge', 'xmpp', 'database'];

async function askCms(ctx: PromptContext, domain: string, used: Used): Promise<NonNullable<InitAnswers['cms']>> {
  // 3.x has no XMPP server (the inventory refuses the service there): 2.x is asked for, not assumed.
  const version = (await yes(ctx, 'Is it Meeting Server 2.x (the release with an XMPP server)?', false)) ? '2.x' : '3.x';
  const services = version === '2.x' ? cmsServices : cmsServices.filter((s) => s !== 'xmpp');
  // 2.x names the shared certificate's CN after its XMPP domain (D-10); 3.x has no XMPP server.
  const cn = await ask(ctx, version === '2.x' ? 'Meeting Server XMPP domain (CN of the shared certificate)' : 'CN of the shared Meeting Server certificate (the name the Unified CM trunks expect)', fqdn, `cms.${domain}`);
  const name = version === '2.x' ? { xmppDomain: cn } : { commonName: cn };
  const csrSubject = {
    OU: await ask(ctx, 'Certificate request: organisational unit (OU)', safeText),
    O: await ask(ctx, 'Certificate request: organisation (O)', safeText),
    L: await ask(ctx, 'Certificate request: city (L)', safeText),
    ST: await ask(ctx, 'Certificate request: state, one word (ST)', safeWord),
    C: await ask(ctx, 'Certificate request: country code (C)', isoCountry),
  };
  const nodes: NonNullable<InitAnswers['cms']>['nodes'] = [];
  const missing = (): CmsService[] => (['callbridge', 'database'] as const).filter((s) => !nodes.some((n) => n.services.includes(s)));
  for (;;) {
    const node = await askNode(ctx, `Meeting Server node ${nodes.length + 1}`, used);
    const def: CmsService[] = nodes.length === 0 ? services : missing();
    const svc = await checkbox<CmsService>(
      { message: 'Services on this node', choices: services.map((value) => ({ value, checked: def.includes(value) })), validate: (c) => c.length > 0 || 'choose at least one service' },
      ctx,
    );
    nodes.push({ ...node, services: svc });
    const lacking = missing();
    // The Meeting Server steps need a Call Bridge (S092) and a database node (S091): ask until both run somewhere.
    if (lacking.length > 0) {
      ctx.output.write(`No Meeting Server node runs ${lacking.join(' or ')} yet (the steps need one): add a node that does.\n`);
      continue;
    }
    if (!(await yes(ctx, 'Add another Meeting Server node?', false))) break;
  }
  return { version, ...name, csrSubject, nodes, credential: await askCredential(ctx, 'Meeting Server MMP administrator', 'admin', 'COLLABSEC_MMP_PASSWORD') };
}

export async function askInventory(ctx: PromptContext): Promise<InitAnswers> {
  const used: Used = { hosts: new Set(), ips: new Set() };
  const title = await ask(ctx, 'Title of this rollout', label, 'Collaboration security rollout');
  const domain = await ask(ctx, 'Enterprise (SIP) domain, e.g. ent-pa.com', fqdn);
  // The CN: the trust-store checks find the uploaded root by it (review 2026 A.1).
  const caName = await ask(ctx, 'Name of the enterprise root CA (its certificate\'s subject CN)', label);
  const rootCertFile = await ask(ctx, 'Root CA certificate file (PEM), relative to the inventory', localPath, 'certs/rootCAcert.cer');
  const clusterName = await ask(ctx, 'Unified CM cluster name (used in the plan)', objectName, 'us');
  const publisher = { ...(await askNode(ctx, 'Unified CM publisher', used)), services: await services(ctx, ['tftp']) };
  const subscribers: InitAnswers['subscribers'] = [];
  while (await yes(ctx, `Add ${subscribers.length === 0 ? 'a' : 'another'} Unified CM subscriber?`, subscribers.length === 0))
    subscribers.push({ ...(await askNode(ctx, `Subscriber ${subscribers.length + 1}`, used)), services: await services(ctx, ['callmanager', 'ctimanager']) });
  let imp: InitAnswers['imp'];
  if (await yes(ctx, 'Is there an IM and Presence cluster?', true)) {
    imp = { publisher: await askNode(ctx, 'IM and Presence publisher', used), subscribers: [] };
    while (await yes(ctx, 'Add an IM and Presence subscriber?', false)) imp.subscribers.push(await askNode(ctx, `IM and Presence subscriber ${imp.subscribers.length + 1}`, used));
  }
  const vosUser = await ask(ctx, 'OS administrator login on the VOS servers', objectName, 'administrator');
  const vosPasswordEnv = await ask(ctx, 'Environment variable that will hold its password', envVar, 'COLLABSEC_VOS_PASSWORD');
  const axl = await askCredential(ctx, 'AXL application user (Standard AXL API Access)', 'axl-collabsec', 'COLLABSEC_AXL_PASSWORD');
  const a: InitAnswers = { title, domain, caName, rootCertFile, clusterName, publisher, subscribers, imp, vosUser, vosPasswordEnv, axl, features: [] };

  if (await yes(ctx, 'Is there a Unity Connection cluster?', false)) {
    a.unity = { publisher: await askNode(ctx, 'Unity Connection publisher', used) };
    if (await yes(ctx, 'Is there a Unity Connection subscriber?', false)) a.unity.subscriber = await askNode(ctx, 'Unity Connection subscriber', used);
    // S125: no default pattern list, since toll numbers depend on the dial plan.
    a.unity.blocked = await askList(ctx, 'Number patterns Unity Connection must block in its restriction tables (S125), e.g. 9011*', restrictionPattern);
  }
  if (await yes(ctx, 'Is there an Expressway-C and Expressway-E pair?', false)) {
    const c = await askExpresswayCluster(ctx, 'C', domain, used);
    const e = await askExpresswayCluster(ctx, 'E', domain, used);
    a.expressway = { c, e, registrationDomains: [], xmppFederationDomains: [] };
    // Expressway-E presents a public CA's certificate (Table 7-5).
    a.publicCa = {
      name: await ask(ctx, 'Name of the public CA that signs the Expressway-E certificate', label, 'Public CA'),
      rootCertFile: await ask(ctx, 'Public CA root certificate file (PEM), relative to the inventory', localPath, 'certs/public-root.cer'),
    };
  }
  if (await yes(ctx, 'Are there IOS gateways, CUBE or SRST routers?', false)) {
    const cmIps = [publisher, ...subscribers].filter((n) => n.services.includes('callmanager')).map((n) => n.ip);
    const routers = [await askIosRouter(ctx, 1, domain, cmIps, used)];
    while (await yes(ctx, 'Add another IOS router?', false)) routers.push(await askIosRouter(ctx, routers.length + 1, domain, cmIps, used));
    a.ios = { routers, credential: await askCredential(ctx, 'IOS login', 'admin', 'COLLABSEC_IOS_PASSWORD') };
  }
  if (await yes(ctx, 'Is there a Meeting Server (CMS)?', false)) a.cms = await askCms(ctx, domain, used);
  if (await yes(ctx, 'Is there a Meeting Management (CMM) server?', false)) a.cmm = { host: await askHost(ctx, 'Meeting Management', used) };
  if (await yes(ctx, 'Is there a TelePresence Management Suite (TMS) server?', false)) a.tms = { host: await askHost(ctx, 'TMS', used) };
  if (await yes(ctx, 'Is there a Prime Collaboration Deployment (PCD) server?', false)) a.pcd = await askNode(ctx, 'Prime Collaboration Deployment', used);
  if (await yes(ctx, 'Is there a Prime Collaboration Provisioning (PCP) server?', false)) a.pcp = { host: await askHost(ctx, 'Prime Collaboration Provisioning', used) };

  a.features = await checkbox<string>({ message: 'Features to roll out', choices: offeredFeatures(a).map((f) => ({ value: f.value, name: f.name, checked: f.checked })) }, ctx);
  const on = (f: string): boolean => a.features.includes(f);
  if (on('mixedMode') || on('mra')) {
    a.profiles = {
      lscTftpEncrypted: await ask(ctx, 'Phone security profile: encrypted, LSC, TFTP encrypted config', objectName, `UDT-Encrypted-LSC-TFTPenc.${domain}`),
      lsc: await ask(ctx, 'Phone security profile: encrypted, LSC', objectName, `UDT-Encrypted-LSC.${domain}`),
      initial: await ask(ctx, 'Phone security profile for first registration (null string)', objectName, `UDT-Encrypted-NullString.${domain}`),
      jabber: await ask(ctx, 'Phone security profile for Jabber (SIP OAuth)', objectName, 'UDT-Jabber-SIPOAuth'),
    };
  }
  if (a.expressway) {
    if (on('mra')) a.expressway.registrationDomains = await askList(ctx, 'MRA: Unified CM registration domains', fqdn, domain);
    if (on('xmppFederation')) a.expressway.xmppFederationDomains = await askList(ctx, 'XMPP federation domains', fqdn, domain);
    if (on('b2b')) a.expressway.b2bTraversalPort = Number((await input({ message: 'B2B traversal zone port (not 5060 or 5061)', default: '7001', validate: (v) => (['5060', '5061'].includes(v.trim()) ? 'the B2B traversal port must not be 5060 or 5061' : portValidator(v)) }, ctx)).trim());
  }
  if (on('secureSrst'))
    for (const r of a.ios?.routers ?? []) if (r.roles.includes('srst')) r.lscIssuerTrustpoint = await ask(ctx, `${r.host}: trustpoint holding the LSC issuer (S035)`, objectName, 'LSC-ISSUER');
  if (on('capfOnlineCa')) {
    a.capfOnlineCa = {
      host: await ask(ctx, 'Online CA: FQDN of the Microsoft CA (CN of its IIS certificate)', fqdn),
      template: await ask(ctx, 'Online CA: certificate template', objectName, 'CiscoLSC'),
      ...(await askCredential(ctx, 'Online CA enrolment user', 'capf-enroll', 'COLLABSEC_ONLINE_CA_PASSWORD')),
    };
  }
  return a;
}
