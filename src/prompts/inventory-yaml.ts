// Turns the answers of `collabsec init` into an inventory object and YAML with comments. Pure
// (no prompts here) so the same code is exercised by tests without a terminal.
import { Document, isMap, isPair, isScalar } from 'yaml';
import type { InventoryInput } from '../inventory/schema.js';

export interface NodeAnswer {
  host: string;
  ip: string;
}

export interface InitAnswers {
  title: string;
  domain: string;
  caName: string;
  rootCertFile: string;
  vosTrustFileName: string;
  clusterName: string;
  publisher: NodeAnswer & { services: ('callmanager' | 'tftp' | 'ctimanager')[] };
  subscribers: (NodeAnswer & { services: ('callmanager' | 'tftp' | 'ctimanager')[] })[];
  imp?: { publisher: NodeAnswer; subscribers: NodeAnswer[] };
  vosUser: string;
  vosPasswordEnv: string;
  features: string[];
  profiles?: { lscTftpEncrypted: string; lsc: string; initial: string; jabber: string };
}

/** Features `init` can switch on without asking for sections it does not cover (Expressway, IOS, CMS). */
export const initFeatures = [
  { value: 'mixedMode', name: 'Mixed mode (tokenless CTL): encrypted signalling and media', checked: true },
  { value: 'sipOAuth', name: 'SIP OAuth for Jabber', checked: false },
  { value: 'tftpEncryptedConfig', name: 'TFTP encrypted configuration files', checked: false },
  { value: 'ocsp', name: 'OCSP revocation checking', checked: false },
  { value: 'autoRegistration', name: 'Auto-registration', checked: false },
  { value: 'callAdmissionControl', name: 'Call admission control', checked: false },
] as const;

export function buildInventory(a: InitAnswers): InventoryInput {
  const inv: InventoryInput = {
    title: a.title,
    domain: a.domain,
    ca: { enterprise: { name: a.caName, rootCertFile: a.rootCertFile, vosTrustFileName: a.vosTrustFileName } },
    credentials: { vos: { username: a.vosUser, passwordEnv: a.vosPasswordEnv } },
    features: Object.fromEntries(initFeatures.map((f) => [f.value, a.features.includes(f.value)])),
    cucm: [
      {
        name: a.clusterName,
        publisher: a.publisher,
        subscribers: a.subscribers,
        ...(a.imp ? { imp: a.imp } : {}),
      },
    ],
  };
  if (a.profiles)
    inv.phoneSecurityProfiles = { lscTftpEncrypted: a.profiles.lscTftpEncrypted, lsc: a.profiles.lsc, initial: { name: a.profiles.initial, mode: 'null-string' }, jabber: a.profiles.jabber };
  return inv;
}

const comments: Record<string, string> = {
  title: ' Written by `collabsec init`. Check it with `collabsec plan --inventory <this file>`.',
  ca: ' Root CA files are read relative to this file; put the PEM beside it.',
  credentials: ' Secrets never live here: name an environment variable, or collabsec asks at run time.',
  features: ' Sections for Expressway (mra, b2b, xmppFederation), IOS (secureSrst) and CMS are added by hand:\n see examples/ent-pa.yaml for every section.',
  cucm: ' Unified CM cluster: the publisher first; services decide which certificates and restarts apply.',
  phoneSecurityProfiles: ' Table 7-13 names (no trailing "f").',
};

export function inventoryYaml(inv: InventoryInput): string {
  const doc = new Document(inv);
  doc.commentBefore = ' yaml-language-server: $schema=https://collabsec.invalid/schema/inventory.schema.json';
  if (isMap(doc.contents))
    for (const item of doc.contents.items) {
      if (!isPair(item) || !isScalar(item.key)) continue;
      const c = comments[String(item.key.value)];
      if (c !== undefined) item.key.commentBefore = c;
    }
  return doc.toString({ lineWidth: 110 });
}
