// The questions of `collabsec init`, asked with @inquirer/prompts (the only layer that imports
// it). Every answer is checked by the inventory's own field validators as it is typed, so the
// file written at the end is valid by construction; the whole object is checked again after.
import { checkbox, confirm, input } from '@inquirer/prompts';
import type { Readable, Writable } from 'node:stream';
import type { z } from 'zod';
import { envVar, fileName, fqdn, hostname, ipv4, label, localPath, objectName } from '../inventory/validators.js';
import { initFeatures, type InitAnswers, type NodeAnswer } from './inventory-yaml.js';

/** inquirer's `validate`: true, or the validator's own message. */
export function validatorFor(schema: z.ZodType): (value: string) => true | string {
  return (value) => {
    const r = schema.safeParse(value);
    return r.success || (r.error.issues[0]?.message ?? 'invalid value');
  };
}

/** The terminal the questions go to (the command's io, not necessarily process.stdin/stdout). */
export interface PromptContext {
  input: Readable;
  output: Writable;
}

async function ask(ctx: PromptContext, message: string, schema: z.ZodType, def?: string): Promise<string> {
  return (await input({ message, default: def, validate: validatorFor(schema) }, ctx)).trim();
}

async function askNode(ctx: PromptContext, what: string, used: Set<string>): Promise<NodeAnswer> {
  const unique = (v: string): true | string => (used.has(v.toLowerCase()) ? `host "${v}" is already in this inventory` : validatorFor(hostname)(v));
  const host = (await input({ message: `${what}: host name`, validate: unique }, ctx)).trim();
  used.add(host.toLowerCase());
  return { host, ip: await ask(ctx, `${what}: management IPv4 address`, ipv4) };
}

type Service = 'callmanager' | 'tftp' | 'ctimanager';
const services = (ctx: PromptContext, def: Service[]) =>
  checkbox<Service>(
    { message: 'Services on this node', choices: (['callmanager', 'tftp', 'ctimanager'] as const).map((value) => ({ value, checked: def.includes(value) })) },
    ctx,
  );

export async function askInventory(ctx: PromptContext): Promise<InitAnswers> {
  const used = new Set<string>();
  const title = await ask(ctx, 'Title of this rollout', label, 'Collaboration security rollout');
  const domain = await ask(ctx, 'Enterprise (SIP) domain, e.g. ent-pa.com', fqdn);
  const caName = await ask(ctx, 'Name of the enterprise root CA', label);
  const rootCertFile = await ask(ctx, 'Root CA certificate file (PEM), relative to the inventory', localPath, 'certs/rootCAcert.cer');
  const vosTrustFileName = await ask(ctx, 'File name for the root in the VOS trust stores', fileName, 'Enterprise-Root-CA.pem');
  const clusterName = await ask(ctx, 'Unified CM cluster name (used in the plan)', objectName, 'us');
  const publisher = { ...(await askNode(ctx, 'Unified CM publisher', used)), services: await services(ctx, ['tftp']) };
  const subscribers: InitAnswers['subscribers'] = [];
  while (await confirm({ message: `Add ${subscribers.length === 0 ? 'a' : 'another'} Unified CM subscriber?`, default: subscribers.length === 0 }))
    subscribers.push({ ...(await askNode(ctx, `Subscriber ${subscribers.length + 1}`, used)), services: await services(ctx, ['callmanager', 'ctimanager']) });
  let imp: InitAnswers['imp'];
  if (await confirm({ message: 'Is there an IM and Presence cluster?', default: true }, ctx)) {
    imp = { publisher: await askNode(ctx, 'IM and Presence publisher', used), subscribers: [] };
    while (await confirm({ message: 'Add an IM and Presence subscriber?', default: false }, ctx)) imp.subscribers.push(await askNode(ctx, `IM and Presence subscriber ${imp.subscribers.length + 1}`, used));
  }
  const vosUser = await ask(ctx, 'OS administrator login on the VOS servers', objectName, 'administrator');
  const vosPasswordEnv = await ask(ctx, 'Environment variable that will hold its password', envVar, 'COLLABSEC_VOS_PASSWORD');
  const features = await checkbox<string>({ message: 'Features to roll out', choices: initFeatures.map((f) => ({ value: f.value, name: f.name, checked: f.checked })) }, ctx);
  let profiles: InitAnswers['profiles'];
  if (features.includes('mixedMode')) {
    profiles = {
      lscTftpEncrypted: await ask(ctx, 'Phone security profile: encrypted, LSC, TFTP encrypted config', objectName, `UDT-Encrypted-LSC-TFTPenc.${domain}`),
      lsc: await ask(ctx, 'Phone security profile: encrypted, LSC', objectName, `UDT-Encrypted-LSC.${domain}`),
      initial: await ask(ctx, 'Phone security profile for first registration (null string)', objectName, `UDT-Encrypted-NullString.${domain}`),
      jabber: await ask(ctx, 'Phone security profile for Jabber (SIP OAuth)', objectName, 'UDT-Jabber-SIPOAuth'),
    };
  }
  return { title, domain, caName, rootCertFile, vosTrustFileName, clusterName, publisher, subscribers, imp, vosUser, vosPasswordEnv, features, profiles };
}
