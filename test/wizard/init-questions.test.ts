// `collabsec init` driven end to end in-process: @inquirer/prompts is replaced by a script of
// answers (each question must come in the order given; an answer refused by the field's own
// validator must be scripted as refused), the command writes the inventory and its JSON Schema,
// and the written file resolves its schema, validates and plans a step for every product.
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import init from '../../src/commands/init.js';
import { inventoryJsonSchema } from '../../src/commands/schema.js';
import { inventorySchema } from '../../src/inventory/schema.js';
import { loadPlan } from '../../src/plan/load-plan.js';
import { captureIo } from '../cli/io.js';

/** [question (a part of its message), answer (undefined: the default), the refusal expected for this answer]. */
type Entry = [q: string, a?: string | boolean | string[], refused?: RegExp];

const h = vi.hoisted(() => {
  const state = { script: [] as [string, unknown, RegExp | undefined][], asked: [] as string[], choices: new Map<string, string[]>() };
  const next = (message: string): [string, unknown, RegExp | undefined] => {
    const e = state.script.shift();
    if (!e) throw new Error(`unscripted question: "${message}"`);
    if (!message.includes(e[0])) throw new Error(`asked "${message}" where the script expects "${e[0]}"`);
    state.asked.push(message);
    return e;
  };
  interface Cfg {
    message: string;
    default?: unknown;
    validate?: (v: never) => true | string | Promise<true | string>;
    choices?: { value: string; checked?: boolean }[];
  }
  const validated = async (cfg: Cfg, value: unknown, refused: RegExp | undefined, asValidated: unknown): Promise<boolean> => {
    const r = cfg.validate ? await cfg.validate(asValidated as never) : true;
    if (r === true && refused) throw new Error(`"${String(value)}" was accepted at "${cfg.message}", expected refused by ${String(refused)}`);
    if (r !== true && !refused) throw new Error(`"${String(value)}" refused at "${cfg.message}": ${r}`);
    if (r !== true && refused && !refused.test(r)) throw new Error(`refusal "${r}" at "${cfg.message}" does not match ${String(refused)}`);
    return r === true;
  };
  const prompts = {
    input: async (cfg: Cfg) => {
      for (;;) {
        const [, a, refused] = next(cfg.message);
        const v = (a as string | undefined) ?? (cfg.default as string | undefined) ?? '';
        if (await validated(cfg, v, refused, v)) return v;
      }
    },
    confirm: (cfg: Cfg) => {
      const [, a] = next(cfg.message);
      return Promise.resolve((a as boolean | undefined) ?? cfg.default ?? false);
    },
    checkbox: async (cfg: Cfg) => {
      for (;;) {
        const [, a, refused] = next(cfg.message);
        state.choices.set(cfg.message, (cfg.choices ?? []).map((c) => c.value));
        const v = (a as string[] | undefined) ?? (cfg.choices ?? []).filter((c) => c.checked === true).map((c) => c.value);
        if (await validated(cfg, v, refused, v.map((value) => ({ value })))) return v;
      }
    },
    password: () => Promise.reject(new Error('init never asks for a password')),
  };
  return { state, prompts };
});
vi.mock('@inquirer/prompts', () => h.prompts);

const node = (what: string, host: string, ip: string): Entry[] => [[`${what}: host name`, host], [`${what}: management IPv4 address`, ip]];

/** Every product of the schema, every feature, and a few refused answers on the way. */
const everything: Entry[] = [
  ['Title of this rollout'],
  ['Enterprise (SIP) domain', 'lab.example.com'],
  ['Name of the enterprise root CA', 'Lab Root CA'],
  ['Root CA certificate file'],
  ['Unified CM cluster name'],
  ['Unified CM publisher: host name', 'cm pub', /not a valid host name/],
  ['Unified CM publisher: host name', 'cm-pub'],
  ['Unified CM publisher: management IPv4 address', '192.0.2.300', /IPv4/],
  ['Unified CM publisher: management IPv4 address', '192.0.2.10'],
  ['Services on this node'],
  ['Add a Unified CM subscriber?', true],
  ['Subscriber 1: host name', 'CM-PUB', /already in this inventory/],
  ['Subscriber 1: host name', 'cm-sub1'],
  ['Subscriber 1: management IPv4 address', '192.0.2.10', /already in this inventory/],
  ['Subscriber 1: management IPv4 address', '192.0.2.11'],
  ['Services on this node'],
  ['Add another Unified CM subscriber?', false],
  ['Is there an IM and Presence cluster?', true],
  ...node('IM and Presence publisher', 'imp-pub', '192.0.2.20'),
  ['Add an IM and Presence subscriber?', false],
  ['OS administrator login'],
  ['Environment variable that will hold its password'],
  ['AXL application user (Standard AXL API Access): login name'],
  ['AXL application user (Standard AXL API Access): environment variable', 'axl password', /environment variable name/],
  ['AXL application user (Standard AXL API Access): environment variable'],
  ['Is there a Unity Connection cluster?', true],
  ...node('Unity Connection publisher', 'cuc-pub', '192.0.2.30'),
  ['Is there a Unity Connection subscriber?', true],
  ...node('Unity Connection subscriber', 'cuc-sub', '192.0.2.31'),
  ['Number patterns Unity Connection must block', '9011*, 91900???????'],
  ['Is there an Expressway-C and Expressway-E pair?', true],
  ['Expressway-C cluster FQDN'],
  ...node('Expressway-C node 1', 'expc1', '192.0.2.40'),
  ['Add another Expressway-C node?', false],
  ['Expressway-E cluster FQDN'],
  ...node('Expressway-E node 1', 'expe1', '198.51.100.40'),
  ['Add another Expressway-E node?', true],
  ...node('Expressway-E node 2', 'expe2', '198.51.100.41'),
  ['Add another Expressway-E node?', false],
  ['Name of the public CA'],
  ['Public CA root certificate file'],
  ['Are there IOS gateways, CUBE or SRST routers?', true],
  ...node('IOS router 1', 'cube1', '192.0.2.50'),
  ['Roles of this router', [], /at least one role/],
  ['Roles of this router', ['cube', 'gateway']],
  ['Certificate subject CN'],
  ['Trustpoint name'],
  ['RSA key label'],
  ['Unified CM addresses for crypto signaling'],
  ['Dial-peer tags toward Unified CM', 'x', /not a dial-peer tag/],
  ['Dial-peer tags toward Unified CM', '300, 301'],
  ['Add another IOS router?', true],
  ...node('IOS router 2', 'srst1', '192.0.2.51'),
  ['Roles of this router', ['srst']],
  ['Certificate subject CN'],
  ['Trustpoint name'],
  ['RSA key label'],
  ['Add another IOS router?', false],
  ['IOS login: login name'],
  ['IOS login: environment variable'],
  ['Is there a Meeting Server (CMS)?', true],
  ['Is it Meeting Server 2.x', true],
  ['Meeting Server XMPP domain'],
  ['organisational unit (OU)', 'TME'],
  ['organisation (O)', 'Lab'],
  ['city (L)', 'San Jose'],
  ['state, one word (ST)', 'New York', /without spaces/],
  ['state, one word (ST)', 'California'],
  ['country code (C)', 'us', /country code/],
  ['country code (C)', 'US'],
  ...node('Meeting Server node 1', 'cms1', '192.0.2.60'),
  ['Services on this node', ['callbridge', 'webadmin', 'webbridge', 'xmpp']],
  // No database node yet: the next node is asked for without a question.
  ...node('Meeting Server node 2', 'cmsdb', '192.0.2.62'),
  ['Services on this node'],
  ['Add another Meeting Server node?', false],
  ['Meeting Server MMP administrator: login name'],
  ['Meeting Server MMP administrator: environment variable'],
  ['Is there a Meeting Management (CMM) server?', true],
  ['Meeting Management: host name', 'cmm'],
  ['Is there a TelePresence Management Suite (TMS) server?', true],
  ['TMS: host name', 'tms'],
  ['Is there a Prime Collaboration Deployment (PCD) server?', true],
  ...node('Prime Collaboration Deployment', 'pcd', '192.0.2.72'),
  ['Is there a Prime Collaboration Provisioning (PCP) server?', true],
  ['Prime Collaboration Provisioning: host name', 'pcp'],
  ['Features to roll out', ['mixedMode', 'sipOAuth', 'tftpEncryptedConfig', 'ocsp', 'autoRegistration', 'callAdmissionControl', 'capfOnlineCa', 'mra', 'xmppFederation', 'b2b', 'secureSrst']],
  ['encrypted, LSC, TFTP encrypted config'],
  ['Phone security profile: encrypted, LSC'],
  ['first registration'],
  ['for Jabber'],
  ['MRA: Unified CM registration domains'],
  ['XMPP federation domains'],
  ['B2B traversal zone port', '5061', /must not be 5060 or 5061/],
  ['B2B traversal zone port'],
  ['srst1: trustpoint holding the LSC issuer'],
  ['Online CA: FQDN', 'ca.lab.example.com'],
  ['Online CA: certificate template'],
  ['Online CA enrolment user: login name'],
  ['Online CA enrolment user: environment variable'],
];

/** Only Unified CM: every product question answered no. */
const cucmOnly: Entry[] = [
  ['Title of this rollout'],
  ['Enterprise (SIP) domain', 'lab.example.com'],
  ['Name of the enterprise root CA', 'Lab Root CA'],
  ['Root CA certificate file'],
  ['Unified CM cluster name'],
  ...node('Unified CM publisher', 'cm-pub', '192.0.2.10'),
  ['Services on this node'],
  ['Add a Unified CM subscriber?', false],
  ['Is there an IM and Presence cluster?', false],
  ['OS administrator login'],
  ['Environment variable that will hold its password'],
  ['AXL application user (Standard AXL API Access): login name'],
  ['AXL application user (Standard AXL API Access): environment variable'],
  ['Is there a Unity Connection cluster?'],
  ['Is there an Expressway-C and Expressway-E pair?'],
  ['Are there IOS gateways, CUBE or SRST routers?'],
  ['Is there a Meeting Server (CMS)?'],
  ['Is there a Meeting Management (CMM) server?'],
  ['Is there a TelePresence Management Suite (TMS) server?'],
  ['Is there a Prime Collaboration Deployment (PCD) server?'],
  ['Is there a Prime Collaboration Provisioning (PCP) server?'],
  ['Features to roll out'],
  ['encrypted, LSC, TFTP encrypted config'],
  ['Phone security profile: encrypted, LSC'],
  ['first registration'],
  ['for Jabber'],
];

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'collabsec-init-'));
  h.state.asked.length = 0;
  h.state.choices.clear();
});
afterEach(async () => {
  h.state.script.length = 0;
  await fs.rm(dir, { recursive: true, force: true });
});

async function runInit(script: Entry[], args: string[] = ['--out', 'site.yaml']): Promise<{ code: number; err: string }> {
  h.state.script.splice(0, h.state.script.length, ...script.map(([q, a, r]) => [q, a, r] as [string, unknown, RegExp | undefined]));
  const io = { ...captureIo({ tty: true }), cwd: dir };
  const code = await init.run(args, io);
  expect(h.state.script.map(([q]) => q), 'questions scripted but never asked').toEqual([]);
  return { code, err: io.err() };
}

/** The path a yaml-language-server modeline on the first line names, resolved as the editor does (against the file's folder). */
function modelineSchema(file: string, text: string): string {
  const first = text.split('\n')[0]!;
  const m = /^# yaml-language-server: \$schema=(\S+)$/.exec(first);
  expect(m, `first line "${first}" is a yaml-language-server modeline`).not.toBeNull();
  return path.resolve(path.dirname(file), m![1]!);
}

describe('collabsec init asks about every product', () => {
  it('writes an inventory whose modeline resolves to the written schema, valid by it, planning every product', async () => {
    const { code, err } = await runInit(everything);
    expect(code, err).toBe(0);
    const file = path.join(dir, 'site.yaml');
    const text = await fs.readFile(file, 'utf8');
    // The editor's schema: the file beside the inventory, exactly what `collabsec schema` prints.
    const schemaFile = modelineSchema(file, text);
    expect(schemaFile).toBe(path.join(dir, 'inventory.schema.json'));
    const schemaText = await fs.readFile(schemaFile, 'utf8');
    expect(schemaText).toBe(inventoryJsonSchema());
    expect(JSON.parse(schemaText)).toMatchObject({ $schema: expect.stringContaining('json-schema.org') as unknown, type: 'object' });

    expect(text).not.toMatch(/password:/i);
    const parsed = inventorySchema.safeParse(parse(text));
    expect(parsed.success, JSON.stringify(!parsed.success && parsed.error.issues)).toBe(true);
    const inv = parsed.data!;
    expect(inv.unity).toMatchObject({ publisher: { host: 'cuc-pub' }, subscriber: { host: 'cuc-sub' }, portGroup: 'PhoneSystem-1' });
    expect(inv.expressway).toMatchObject({ c: { clusterName: 'expc.lab.example.com' }, e: { nodes: [{ host: 'expe1' }, { host: 'expe2' }] }, registrationDomains: ['lab.example.com'], b2b: { neighborZonePort: 5561, traversalPort: 7001 } });
    expect(inv.ca.public).toEqual({ name: 'Public CA', rootCertFile: 'certs/public-root.cer' });
    expect(inv.ios[0]).toMatchObject({ host: 'cube1', roles: ['cube', 'gateway'], cn: 'cube1.lab.example.com', trustpoint: 'CUBE-Certificate', keyLabel: 'CUBE', ucmPeers: [{ ip: '192.0.2.11', mask: '255.255.255.255' }], dialPeers: [300, 301] });
    expect(inv.ios[1]).toMatchObject({ host: 'srst1', roles: ['srst'], trustpoint: 'SRST-Certificate', keyLabel: 'SRST', lscIssuerTrustpoint: 'LSC-ISSUER' });
    expect(inv.cms).toMatchObject({ xmppDomain: 'cms.lab.example.com', csrSubject: { ST: 'California', C: 'US' }, nodes: [{ host: 'cms1' }, { host: 'cmsdb', services: ['database'] }] });
    expect(inv.cmm?.host).toBe('cmm');
    expect(inv.tms?.host).toBe('tms');
    expect(inv.pcd).toMatchObject({ host: 'pcd', ip: '192.0.2.72' });
    expect(inv.pcp?.host).toBe('pcp');
    expect(inv.cucm[0]!.capfOnlineCa).toMatchObject({ host: 'ca.lab.example.com', template: 'CiscoLSC', passwordEnv: 'COLLABSEC_ONLINE_CA_PASSWORD' });
    expect(inv.credentials).toEqual({
      vos: { username: 'administrator', passwordEnv: 'COLLABSEC_VOS_PASSWORD' },
      axl: { username: 'axl-collabsec', passwordEnv: 'COLLABSEC_AXL_PASSWORD' },
      ios: { username: 'admin', passwordEnv: 'COLLABSEC_IOS_PASSWORD' },
      mmp: { username: 'admin', passwordEnv: 'COLLABSEC_MMP_PASSWORD' },
    });
    expect(Object.values(inv.features).every(Boolean)).toBe(true);
    // Optional settings are there to see, commented, and uncommenting them keeps the file valid.
    for (const line of ['# portGroup: PhoneSystem-1', '# adminSsh: false', '# srtpPassThru: false', '# sharedBaseName: CAsignedCluster', "# version: '15'", '# iosDefaultTrustpoint: true'])
      expect(text).toContain(line);
    const uncommented = text.replace(/^(\s*)# ((?:portGroup|adminSsh|srtpPassThru|sharedBaseName|sipTrunks|iosDefaultTrustpoint|sshPort|enableSecretEnv): .*)$/gm, '$1$2');
    const again = inventorySchema.safeParse(parse(uncommented));
    expect(again.success, JSON.stringify(!again.success && again.error.issues)).toBe(true);

    const { plan } = loadPlan(file);
    const products = new Set(plan.steps.map((s) => s.product));
    expect([...products].sort()).toEqual(['cmm', 'cms', 'cuc', 'cucm', 'expressway', 'imp', 'ios', 'pcd', 'pcp', 'tms']);
  });

  it('asks only for the features of the products there are, and plans Unified CM alone', async () => {
    const { code, err } = await runInit(cucmOnly);
    expect(code, err).toBe(0);
    const offered = h.state.choices.get('Features to roll out') ?? [];
    expect(offered).toContain('mixedMode');
    for (const f of ['mra', 'b2b', 'xmppFederation', 'secureSrst']) expect(offered).not.toContain(f);
    const file = path.join(dir, 'site.yaml');
    const inv = inventorySchema.parse(parse(await fs.readFile(file, 'utf8')));
    expect(inv.unity ?? inv.expressway ?? inv.cms ?? inv.cmm ?? inv.tms ?? inv.pcd ?? inv.pcp).toBeUndefined();
    expect(inv.ios).toEqual([]);
    expect(new Set(loadPlan(file).plan.steps.map((s) => s.product))).toEqual(new Set(['cucm']));
  });

  it('keeps an identical schema file, refuses a different one unless --force', async () => {
    const schemaFile = path.join(dir, 'inventory.schema.json');
    await fs.writeFile(schemaFile, inventoryJsonSchema());
    const before = (await fs.stat(schemaFile)).mtimeMs;
    expect((await runInit(cucmOnly)).code).toBe(0);
    expect((await fs.stat(schemaFile)).mtimeMs).toBe(before);

    await fs.writeFile(schemaFile, '{"old": true}\n');
    await expect(runInit([], ['--out', 'other.yaml'])).rejects.toThrow(/inventory\.schema\.json already exists/);
    expect(await fs.readFile(schemaFile, 'utf8')).toBe('{"old": true}\n');
    expect((await runInit(cucmOnly, ['--out', 'other.yaml', '--force'])).code).toBe(0);
    expect(await fs.readFile(schemaFile, 'utf8')).toBe(inventoryJsonSchema());
  });
});
