// The lab plays the operator for the steps a person does off-box, so a live walk can verify every
// step: the enterprise CA signs the CSRs the devices (and local openssl) produced, the GUI-only
// changes that have a CLI check are applied to the simulators' state, and the sftp transfers of
// the Meeting Server steps are made. Steps collabsec itself executes are left alone.
//
// Files go to the session work folder (`.collabsec/workdirs/<session>/`, where `collabsec run
// --live` runs the local openssl steps):
// - S005/S006: `<unit>.csr` (S005) + `<unit>.pem` (tomcat, CallManager, cup-xmpp, cup-xmpp-s2s): the names
//   S007's `openssl req -in tomcat.csr` / `openssl x509 -in tomcat.pem` read.
// - S039, S108/S109: `<host>-<unit>.csr` + `.pem` (us-cuc-tomcat.pem, us-pcd-tomcat.pem; S108 the CSR).
// - S068: `<router>.csr` + `.pem` (US-CUBE1.pem); for an SRST router (S034) the same names, written
//   the moment `crypto pki enroll` prints the CSR; S013: `<ldap fqdn>.pem`; S050: `<node>.csr` (the
//   download S050's instruction asks for), S051: `<node>.pem`.
// - S082/S083/S084: the names of the step's `get` / `put` lines and of S083's instructions
//   (CAsignedCluster.cer, dbclusterclient.cer, rootCAcert.cer).
// - S095, S100: `<host>.cer` from `<host>-certcsr.pem` (the names of S094/S101); S113/S114: `<host>.csr`/`.cer`.
// Expressway zone edits (S054, S055, S058–S062) change the zone configuration of the target's
// cluster in the simulator (expressway.ts) with the values of the step's own GUI field table.
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LoadedInventory } from '../inventory/load.js';
import { fqdnOf } from '../inventory/names.js';
import type { PlannedStep } from '../plan/types.js';
import { expectationFor } from '../verify/cert/expectations.js';
import { findRole, type Role } from '../verify/cert/roles.js';
import { expectationNode } from '../wizard/certificate-checkpoint.js';
import type { AxlState } from './axl/index.js';
import type { CmsState } from './cms.js';
import { LAB_ZONES, setZoneLeaves, type ExpresswayState, type ZoneType } from './expressway.js';
import type { IosState } from './ios.js';
import { certInfo, issueCertificate, makeCsr, newKeyPair, privateKeyPem, type KeyPair } from './pki.js';
import type { LabTlsService } from './tls-service.js';
import { trustFileName } from './vos-certs.js';
import type { VosProduct } from './vos-products.js';
import type { VosCert, VosClusterState, VosNodeState } from './vos-state.js';

export interface LabCa {
  certPem: string;
  keys: KeyPair;
}

export interface OperatorContext {
  inventory: LoadedInventory;
  roles: readonly Role[];
  /** The session work folder the operator writes to. */
  workdir: string;
  /** The enterprise CA (lab.caCertFile / caKeyFile). */
  ca: LabCa;
  /** The lab's public CA (ca.public.rootCertFile): Expressway-E certificates (Table 7-5). */
  publicCa: LabCa;
  vos: ReadonlyMap<string, { state: VosNodeState; product: VosProduct }>;
  ios: ReadonlyMap<string, IosState>;
  cms: ReadonlyMap<string, CmsState>;
  /** Expressway peers by host; peers of a cluster share their zone configuration. */
  expressway?: ReadonlyMap<string, ExpresswayState>;
  /** TLS ports by node (tls-lab.ts): the GUI installs and restarts of CMM, TMS and PCP land there. */
  tls?: ReadonlyMap<string, LabTlsService>;
  /** AXL simulator state by Unified CM publisher host: parameters the operator sets in the GUI land there. */
  axl?: ReadonlyMap<string, AxlState>;
}

/** A certificate the operator had the CA sign: what a certificate checkpoint of `role` (for `node`) looks at. */
export interface OperatorCertificate {
  /** The signing step. */
  step: string;
  role: string;
  /** The expectation's node: cluster name (multi-server roles), node host (per-node roles), else absent. */
  node?: string;
  /** Absolute paths in the work folder. */
  file: string;
  csrFile?: string;
}

export interface LabOperator {
  /** The folder the operator reads from and writes to (the session work folder). */
  readonly workdir: string;
  /** Does what the person would do before `step` can be run and checked; returns what it did (empty: nothing to do). */
  before(step: PlannedStep): Promise<string[]>;
  /** The signed certificate for a role (and expectation node), once signed. */
  certificate(role: string, node?: string): OperatorCertificate | undefined;
  certificates(): OperatorCertificate[];
  /** The file to paste for a run-time paste entry of `step` on `target` (e.g. S069 US-CUBE1), once written; for S034 (signed mid-step) where it will be written. */
  pasteFile(step: string, target: string): string | undefined;
}

/** Step id → what the operator does there (the steps this lab covers). */
export const OPERATOR_STEPS: Readonly<Record<string, string>> = {
  S004: 'GUI multi-server CSRs (tomcat, CallManager; cup-xmpp, cup-xmpp-s2s) generated on the publishers',
  S005: 'GUI Download CSR: each multi-server CSR saved as <unit>.csr in the work folder',
  S006: 'CA signs the Unified CM and IM and Presence multi-server CSRs; <unit>.csr/.pem written for S007',
  S008: 'GUI upload: each signed multi-server certificate installed on every node its SAN names',
  S013: 'LDAP server certificate (signed by the lab CA) written for the run-time paste',
  S026: 'GUI: the CA of the online CA\'s web server in tomcat-trust',
  S027: 'GUI: the enterprise CA in CallManager-trust',
  S038: 'GUI multi-server tomcat CSR generated on the Unity Connection publisher',
  S039: 'CA signs the Unity Connection tomcat CSR',
  S040: 'GUI upload: the signed Unity Connection tomcat certificate installed on both nodes',
  S050: 'GUI: Expressway CSRs generated (key kept by the "Expressway")',
  S051: 'CAs sign the Expressway CSRs (C: enterprise CA, E: public CA)',
  S054: 'GUI: Expressway-C Unified Communications traversal zone with Authentication policy Do not check credentials',
  S055: 'GUI: Expressway-E Unified Communications traversal zone with Authentication policy Do not check credentials and the Expressway-C cluster name as TLS verify subject name',
  S058: 'GUI: Expressway-C B2B neighbor zone to Unified CM on the B2B port, TLS, TLS verify On',
  S059: 'GUI: Expressway-C B2B traversal client zone on the traversal port, TLS, TLS verify On',
  S060: 'GUI: Expressway-E B2B traversal server zone on the traversal port, TLS, TLS verify On with the Expressway-C cluster name',
  S061: 'GUI: Expressway-E DefaultZone with Authentication policy Do not check credentials',
  S062: 'GUI: Expressway-E B2B DNS zone with TLS verify Off',
  S068: 'CA signs the router CSR printed by crypto pki enroll; <router>.pem for S069',
  S082: 'sftp get of the Meeting Server keys and CSRs into the work folder',
  S083: 'CA signs the Meeting Server CSRs; the root saved under cms.rootCaFileName',
  S084: 'sftp put of the keys and certificates onto every Meeting Server node',
  S095: 'CA signs the Meeting Management CSR',
  S100: 'CA signs the TMS CSR',
  S108: 'the tomcat CSR PCD prints, saved as <host>-tomcat.csr in the work folder',
  S109: 'CA signs the PCD tomcat CSR; <host>-tomcat.pem for S111',
  S113: 'GUI: PCP key and CSR generated',
  S114: 'root CA signs the PCP CSR',
  S096: 'GUI upload: the CMM key and signed certificate, served after the restart',
  S097: 'GUI restart of CMM: its TLS port serves the uploaded certificate',
  S105: 'IIS binding: the TMS key and signed certificate, served from the next handshake',
  S106: 'IIS and TMS restart: the TLS port still serves the bound certificate',
  S115: 'GUI upload: the root-signed PCP certificate (with the key its CSR was made with), served after the restart',
  S116: 'Apache restart on PCP: its TLS port serves the uploaded certificate',
};

/** Multi-server units generated in the GUI per product, with their certificate role (Tables 7-6, 7-9). */
const MS_UNITS: Partial<Record<VosProduct, [string, string][]>> = {
  cucm: [
    ['tomcat', 'cucm/tomcat'],
    ['CallManager', 'cucm/callmanager'],
  ],
  imp: [
    ['cup-xmpp', 'imp/cup-xmpp'],
    ['cup-xmpp-s2s', 'imp/cup-xmpp-s2s'],
  ],
  cuc: [['tomcat', 'cuc/tomcat']],
};

/**
 * GUI field (Configuration > Zones > Zones) → the zone's type-relative xConfiguration leaf
 * (xconf2excel.py names; Authentication policy → `Authentication Mode`, doc 212475). Media
 * Encryption and the DefaultZone's mutual TLS switch have no public value spelling for the step's
 * values, so the operator leaves them out (and says so).
 */
const ZONE_FIELDS: Readonly<Record<string, string>> = {
  Port: 'SIP Port',
  Transport: 'SIP Transport',
  'TLS Verify': 'SIP TLS Verify Mode',
  'TLS Verify subject name': 'SIP TLS Verify Subject Name',
  'Authentication policy': 'Authentication Mode',
};

/**
 * GUI value → xConfiguration value where they differ: `DoNotCheckCredentials` is doc 212475's;
 * [I] the other two follow its spelling.
 */
const ZONE_VALUES: Readonly<Record<string, string>> = {
  'Do not check credentials': 'DoNotCheckCredentials',
  'Treat as authenticated': 'TreatAsAuthenticated',
  'Check credentials': 'CheckCredentials',
};

/** Which seeded zone each GUI step edits (the step's note names it: "Edit the B2B traversal client zone"). */
const ZONE_EDITS: Readonly<Record<string, { zone: string; type: ZoneType }>> = {
  S054: { zone: LAB_ZONES.ucTraversalClient, type: 'TraversalClient' },
  S055: { zone: LAB_ZONES.ucTraversalServer, type: 'TraversalServer' },
  S058: { zone: LAB_ZONES.b2bNeighbor, type: 'Neighbor' },
  S059: { zone: LAB_ZONES.b2bTraversalClient, type: 'TraversalClient' },
  S060: { zone: LAB_ZONES.b2bTraversalServer, type: 'TraversalServer' },
  S061: { zone: 'DefaultZone', type: 'DefaultZone' },
  S062: { zone: LAB_ZONES.b2bDns, type: 'DNS' },
};

const lower = (xs: readonly string[]) => [...new Map(xs.map((x) => [x.toLowerCase(), x])).values()];

export function createOperator(ctx: OperatorContext): LabOperator {
  const inv = ctx.inventory.inventory;
  const signed = new Map<string, OperatorCertificate>();
  const pastes = new Map<string, string>();
  /** Keys the "devices" keep for CSRs generated in a GUI (multi-server VOS units, Expressway, PCP). */
  const guiKeys = new Map<string, KeyPair>();
  const signedMs = new Map<string, OperatorCertificate>();
  const pending = new Map<string, { role: string; target: string; csr: string; publisher?: string; unit?: string }>();

  const path = (name: string) => join(ctx.workdir, name);
  const write = async (name: string, text: string | Buffer): Promise<string> => {
    await mkdir(ctx.workdir, { recursive: true, mode: 0o700 });
    await chmod(ctx.workdir, 0o700);
    const file = path(name);
    await writeFile(file, text, { mode: 0o600 });
    await chmod(file, 0o600);
    return file;
  };
  const actionTargets = (step: PlannedStep) => [...new Set(step.actions.map((a) => a.target))];
  const vosOf = (product: VosProduct) => [...ctx.vos.entries()].filter(([, v]) => v.product === product);

  /** The names a certificate of `role` must carry for `target` (the inventory's expectation). */
  const namesFor = (roleId: string, target: string | undefined) => {
    const role = findRole(ctx.roles, roleId);
    if (!role) throw new Error(`lab operator: no certificate role ${roleId} in steps/certificates.yaml`);
    const node = target === undefined ? undefined : expectationNode(inv, role, target);
    const exp = expectationFor(inv, role, node);
    const cn = exp.cn ?? exp.cnOneOf?.[0] ?? target ?? roleId;
    const sans = lower([...(cn.includes('.') ? [cn] : []), ...exp.sans.map((s) => s.name), ...(exp.recommendedSans ?? []).map((s) => s.name)]);
    return { role, node, cn, sans };
  };

  /** The CA signs `csr` for `roleId` with the KU/EKU of the role table and the inventory's names. */
  const sign = async (step: string, roleId: string, target: string | undefined, csr: string, names: { cert: string; csr?: string; csrFile?: string }, ca: LabCa = ctx.ca): Promise<OperatorCertificate> => {
    const { role, node, cn, sans } = namesFor(roleId, target);
    const pem = await issueCertificate({
      csrPem: csr,
      caCertPem: ca.certPem,
      caKeys: ca.keys,
      subject: `CN=${cn}`,
      sans,
      // Roles without a KU row get what a TLS server template grants.
      keyUsage: role.keyUsage?.required ?? ['digitalSignature', 'keyEncipherment'],
      extendedKeyUsage: role.extendedKeyUsage?.required ?? ['serverAuth'],
    });
    const csrFile = names.csr !== undefined ? await write(names.csr, csr) : names.csrFile;
    const file = await write(names.cert, pem);
    const rec: OperatorCertificate = { step, role: roleId, ...(node !== undefined ? { node } : {}), file, ...(csrFile !== undefined ? { csrFile } : {}) };
    signed.set(`${roleId}@${node ?? ''}`, rec);
    return rec;
  };

  /** A key and CSR made the way a product's GUI makes them (the key stays on the "device"). */
  const guiCsr = async (key: string, roleId: string, target: string): Promise<string> => {
    const { cn, sans } = namesFor(roleId, target);
    const keys = await newKeyPair();
    guiKeys.set(key, keys);
    return makeCsr(`CN=${cn}`, keys, sans);
  };

  const trustAdd = (cluster: VosClusterState, store: string, pem: string): void => {
    const info = certInfo(pem);
    if (!info) return;
    const entry: VosCert = { store, file: trustFileName(info.cn), pem, description: `Certificate Signed by ${info.issuerCn}`, issuerCn: info.issuerCn };
    cluster.trust = [...cluster.trust.filter((c) => !(c.store === store && c.file === entry.file)), entry];
  };

  // S021 and S029 (service activation) are not played here: collabsec deploys them through the
  // lab's Control Center Services (src/lab/controlcenter.ts).

  /** GUI "Generate CSR", Distribution Multi-Server (SAN), on each VOS publisher the step names. */
  const msCsrs = async (step: PlannedStep): Promise<string[]> => {
    const notes: string[] = [];
    for (const t of actionTargets(step)) {
      const v = ctx.vos.get(t);
      for (const [unit, roleId] of (v && MS_UNITS[v.product]) ?? []) {
        const csr = await guiCsr(`${t}/${unit}`, roleId, t);
        v!.state.csrs[unit] = csr;
        pending.set(`${t}/${unit}`, { role: roleId, target: t, csr, publisher: t, unit });
        notes.push(`${t}: multi-server CSR for ${unit} generated`);
      }
    }
    return notes;
  };

  /** GUI "Download CSR" on each publisher the step names: `<unit>.csr` in the work folder (the names S005 checks and S007 reads). */
  const downloadMs = async (step: PlannedStep): Promise<string[]> => {
    const notes: string[] = [];
    for (const t of actionTargets(step)) {
      const v = ctx.vos.get(t);
      for (const [unit] of (v && MS_UNITS[v.product]) ?? []) {
        const csr = v!.state.csrs[unit];
        notes.push(csr === undefined ? `${t}: no ${unit} CSR (run the GUI CSR step first)` : `${t}: ${unit} CSR saved as ${await write(`${unit}.csr`, csr)}`);
      }
    }
    return notes;
  };

  /** The CA signs the multi-server CSRs of these products, as downloaded from the publishers. */
  const signMs = async (step: PlannedStep, products: VosProduct[], name: (pub: string, unit: string) => string): Promise<string[]> => {
    const notes: string[] = [];
    for (const [key, p] of pending) {
      const product = ctx.vos.get(p.target)?.product;
      if (product === undefined || !products.includes(product) || p.unit === undefined) continue;
      const csr = ctx.vos.get(p.target)?.state.csrs[p.unit] ?? p.csr;
      const base = name(p.target, p.unit);
      const rec = await sign(step.id, p.role, p.target, csr, { cert: `${base}.pem`, csr: `${base}.csr` });
      notes.push(`${p.role}: ${rec.file}`);
      pending.delete(key);
      signedMs.set(`${p.target}/${p.unit}`, rec);
    }
    if (notes.length === 0) notes.push(`no multi-server CSR of ${products.join('/')} to sign (run the GUI CSR step first)`);
    return notes;
  };
  /** GUI "Upload Certificate": each signed multi-server certificate lands on every node its SAN lists. */
  const uploadMs = async (products: VosProduct[]): Promise<string[]> => {
    const notes: string[] = [];
    for (const [key, rec] of signedMs) {
      const [pub, unit] = key.split('/') as [string, string];
      const product = ctx.vos.get(pub)?.product;
      if (product === undefined || !products.includes(product)) continue;
      const pem = await readFile(rec.file, 'utf8');
      const info = certInfo(pem);
      if (!info) continue;
      const sans = namesFor(rec.role, pub).sans.map((s) => s.toLowerCase());
      for (const [host, v] of ctx.vos) {
        if (!sans.includes(fqdnOf({ host, fqdn: v.state.fqdn }, inv.domain).toLowerCase())) continue;
        if (!v.state.own.some((c) => c.store === unit)) continue;
        v.state.own = [...v.state.own.filter((c) => c.store !== unit), { store: unit, file: `${unit}.pem`, pem, description: `Certificate Signed by ${info.issuerCn}`, issuerCn: info.issuerCn }];
        notes.push(`${host}: ${unit} is now the CA-signed multi-server certificate`);
      }
    }
    if (notes.length === 0) notes.push(`no signed ${products.join('/')} certificate to upload (run the signing step first)`);
    return notes;
  };

  const readWork = async (name: string): Promise<string | undefined> => {
    try {
      return await readFile(path(name), 'utf8');
    } catch {
      return undefined;
    }
  };

  /** Signs `<host>-certcsr.pem` made by the local openssl step into `<host>.cer`. */
  const signLocal = async (step: PlannedStep, roleId: string, host: string | undefined): Promise<string[]> => {
    if (host === undefined) return [];
    const csr = await readWork(`${host}-certcsr.pem`);
    if (csr === undefined) return [`${host}-certcsr.pem is not in ${ctx.workdir}: run the openssl steps first`];
    const rec = await sign(step.id, roleId, undefined, csr, { cert: `${host}.cer`, csrFile: path(`${host}-certcsr.pem`) });
    return [`${roleId}: ${rec.file}`];
  };

  const cmsFiles = (step: PlannedStep, verb: 'get' | 'put') =>
    step.actions.map((a) => ({ target: a.target, files: a.commands.map((l) => new RegExp(`^${verb} (\\S+)$`).exec(l.trim())?.[1]).filter((f): f is string => f !== undefined) }));

  /** A GUI install: the key and certificate files of the work folder, served after the product's restart (or at once: an IIS binding). */
  const installTls = async (host: string | undefined, keyPem: string | undefined, certName: string, atOnce = false): Promise<string[]> => {
    const svc = host === undefined ? undefined : ctx.tls?.get(host);
    if (svc === undefined || host === undefined) return [];
    const cert = await readWork(certName);
    if (keyPem === undefined || cert === undefined) return [`${host}: no key or ${certName} in ${ctx.workdir} (run the key, CSR and signing steps first)`];
    svc.install({ certPem: `${cert.trimEnd()}\n${ctx.ca.certPem}`, keyPem });
    if (!atOnce) return [`${host}: ${certName} installed; served after the restart`];
    svc.restart();
    return [`${host}: ${certName} bound; served from the next handshake`];
  };
  const restartTls = (host: string | undefined): string[] => {
    const svc = host === undefined ? undefined : ctx.tls?.get(host);
    if (svc === undefined) return [];
    svc.restart();
    return [`${host}: restarted; its TLS port serves the installed certificate`];
  };

  /** A zone edit in the Expressway GUI: the step's field table, typed into the zone it names, on the target's cluster. */
  const editZone = (step: PlannedStep): string[] => {
    const edit = ZONE_EDITS[step.id];
    if (!edit) return [];
    const notes: string[] = [];
    for (const a of step.actions) {
      const st = ctx.expressway?.get(a.target);
      if (!st) continue;
      const fields = (a.gui ?? step.gui)?.fields ?? [];
      const leaves = Object.fromEntries(fields.flatMap((f) => (ZONE_FIELDS[f.field] !== undefined ? [[ZONE_FIELDS[f.field]!, ZONE_VALUES[f.value] ?? f.value]] : [])));
      const left = fields.filter((f) => ZONE_FIELDS[f.field] === undefined).map((f) => f.field);
      notes.push(
        setZoneLeaves(st.cluster, edit.zone, edit.type, leaves)
          ? `${a.target}: zone "${edit.zone}" ${Object.entries(leaves).map(([k, v]) => `${k} ${v}`).join(', ')}${left.length > 0 ? ` (not simulated: ${left.join(', ')})` : ''}`
          : `${a.target}: no ${edit.type} zone "${edit.zone}" with ${Object.keys(leaves).join(', ')}`,
      );
    }
    return notes;
  };

  /**
   * A parameter the step only reads back (its GUI path sets it: Enterprise Parameters, Service
   * Parameters) is set in the publisher's AXL state as the step's fields say, as the person at the
   * GUI would. Parameters the step writes over AXL itself are left to it.
   */
  const guiParameters = (step: PlannedStep): string[] => {
    const written = new Set(step.actions.flatMap((a) => a.axl ?? []).map((r) => r.name));
    const notes: string[] = [];
    for (const rb of step.checkpoint.readBack ?? []) {
      if (rb.object !== 'ServiceParameter' || written.has(rb.name)) continue;
      const fields = Object.fromEntries(rb.expect.map((f) => [f.name, f.value]));
      for (const t of actionTargets(step)) {
        const state = ctx.axl?.get(t);
        if (!state) continue;
        const prev = state.list('ServiceParameter').find((o) => rb.key.every((k) => { const v = o.fields[k]; return typeof v === 'string' && v.toLowerCase() === (fields[k] ?? '').toLowerCase(); }));
        state.put('ServiceParameter', { ...(prev?.fields ?? {}), ...fields });
        notes.push(`${t}: GUI parameter ${rb.name} = ${fields.value ?? ''}`);
      }
    }
    return notes;
  };

  const handlers: Record<string, (step: PlannedStep) => Promise<string[]>> = {
    ...Object.fromEntries(Object.keys(ZONE_EDITS).map((id) => [id, (step: PlannedStep) => Promise.resolve(editZone(step))])),
    S004: msCsrs,
    S038: msCsrs,
    S005: (step) => downloadMs(step),
    S006: (step) => signMs(step, ['cucm', 'imp'], (_pub, unit) => unit),
    S039: (step) => signMs(step, ['cuc'], (pub, unit) => `${pub}-${unit}`),
    S008: () => uploadMs(['cucm', 'imp']),
    S040: () => uploadMs(['cuc']),
    S026: (step) =>
      Promise.resolve(
        actionTargets(step).flatMap((t) => {
          const n = ctx.vos.get(t)?.state;
          if (!n) return [];
          trustAdd(n.cluster, 'tomcat-trust', ctx.ca.certPem); // the online CA's IIS certificate is issued by the enterprise root
          return [`${t}: enterprise CA in tomcat-trust`];
        }),
      ),
    S027: (step) =>
      Promise.resolve(
        actionTargets(step).flatMap((t) => {
          const n = ctx.vos.get(t)?.state;
          if (!n) return [];
          trustAdd(n.cluster, 'CallManager-trust', ctx.ca.certPem);
          return [`${t}: enterprise CA in CallManager-trust`];
        }),
      ),
    S013: async (step) => {
      const notes: string[] = [];
      for (const s of inv.ldap?.servers ?? []) {
        const keys = await newKeyPair();
        const pem = await issueCertificate({ csrPem: await makeCsr(`CN=${s.fqdn}`, keys, [s.fqdn]), caCertPem: ctx.ca.certPem, caKeys: ctx.ca.keys, keyUsage: ['digitalSignature', 'keyEncipherment'], extendedKeyUsage: ['serverAuth'] });
        const file = await write(`${s.fqdn}.pem`, pem);
        notes.push(`LDAP server certificate ${file}`);
        // The step imports the first server's certificate (its dialogue names it).
        for (const t of actionTargets(step)) if (!pastes.has(`${step.id}/${t}`)) pastes.set(`${step.id}/${t}`, file);
      }
      return notes;
    },
    S050: async (step) => {
      const notes: string[] = [];
      for (const t of actionTargets(step)) {
        const side = inv.expressway?.c.nodes.some((n) => n.host === t) ? 'c' : inv.expressway?.e.nodes.some((n) => n.host === t) ? 'e' : undefined;
        if (!side) continue;
        const roleId = `expressway-${side}/server`;
        const csr = await guiCsr(t, roleId, t);
        pending.set(t, { role: roleId, target: t, csr });
        // The step's instruction: download the CSR as <node>.csr into the work folder (S050's file check, S051's csr).
        notes.push(`${t}: CSR for ${roleId} generated (${await write(`${t}.csr`, csr)})`);
      }
      return notes;
    },
    S051: async (step) => {
      const notes: string[] = [];
      for (const t of actionTargets(step)) {
        const p = pending.get(t);
        if (!p) continue;
        const rec = await sign(step.id, p.role, t, p.csr, { cert: `${t}.pem`, csrFile: path(`${t}.csr`) }, p.role.startsWith('expressway-e') ? ctx.publicCa : ctx.ca);
        pending.delete(t);
        notes.push(`${p.role} for ${t}: ${rec.file}`);
      }
      return notes;
    },
    S068: async (step) => {
      const notes: string[] = [];
      for (const t of actionTargets(step)) {
        const router = inv.ios.find((r) => r.host === t);
        const csr = router ? ctx.ios.get(t)?.pki[router.trustpoint]?.csr : undefined;
        if (!router || csr === undefined) {
          notes.push(`${t}: no CSR on trustpoint ${router?.trustpoint ?? '?'} (run crypto pki enroll first)`);
          continue;
        }
        const rec = await sign(step.id, 'ios/router', t, csr, { cert: `${t}.pem`, csr: `${t}.csr` });
        pastes.set(`S069/${t}`, rec.file); // crypto pki import <trustpoint> certificate
        notes.push(`ios/router for ${t}: ${rec.file}`);
      }
      return notes;
    },
    S082: async (step) => {
      const notes: string[] = [];
      for (const { target, files } of cmsFiles(step, 'get')) {
        const st = ctx.cms.get(target);
        for (const f of files) {
          const data = st?.files.get(f);
          if (data === undefined) notes.push(`${target}: ${f} not found`);
          else notes.push(`got ${await write(f, data)}`);
        }
      }
      return notes;
    },
    S083: async (step) => {
      const cms = inv.cms;
      if (!cms) return [];
      const notes: string[] = [];
      for (const [base, roleId] of [
        [cms.sharedBaseName, 'cms/shared'],
        [cms.dbClientBaseName, 'cms/dbclient'],
      ] as const) {
        const csr = await readWork(`${base}.csr`);
        if (csr === undefined) {
          notes.push(`${base}.csr is not in ${ctx.workdir} (S082 first)`);
          continue;
        }
        const rec = await sign(step.id, roleId, undefined, csr, { cert: `${base}.cer`, csrFile: path(`${base}.csr`) });
        notes.push(`${roleId}: ${rec.file}`);
      }
      notes.push(`root: ${await write(cms.rootCaFileName, ctx.ca.certPem)}`);
      return notes;
    },
    S084: async (step) => {
      const notes: string[] = [];
      for (const { target, files } of cmsFiles(step, 'put')) {
        const st = ctx.cms.get(target);
        if (!st) continue;
        for (const f of files) {
          const data = await readWork(f);
          if (data === undefined) notes.push(`${f} is not in ${ctx.workdir}`);
          else {
            st.files.set(f, Buffer.from(data));
            notes.push(`${target}: put ${f}`);
          }
        }
      }
      return notes;
    },
    S095: (step) => signLocal(step, 'cmm/server', inv.cmm?.host),
    S100: (step) => signLocal(step, 'tms/server', inv.tms?.host),
    S108: async () => {
      const notes: string[] = [];
      for (const [host, v] of vosOf('pcd')) {
        const csr = v.state.csrs.tomcat;
        notes.push(csr === undefined ? `${host}: no tomcat CSR (run set csr gen tomcat first)` : `${host}: tomcat CSR saved as ${await write(`${host}-tomcat.csr`, csr)}`);
      }
      return notes;
    },
    S109: async (step) => {
      const notes: string[] = [];
      for (const [host, v] of vosOf('pcd')) {
        const csr = v.state.csrs.tomcat;
        if (csr === undefined) {
          notes.push(`${host}: no tomcat CSR (run set csr gen tomcat first)`);
          continue;
        }
        const rec = await sign(step.id, 'pcd/tomcat', host, csr, { cert: `${host}-tomcat.pem`, csr: `${host}-tomcat.csr` });
        pastes.set(`S111/${host}`, rec.file); // set cert import own tomcat …
        notes.push(`pcd/tomcat for ${host}: ${rec.file}`);
      }
      return notes;
    },
    S096: async () => installTls(inv.cmm?.host, await readWork(`${inv.cmm?.host}-privatekey.pem`), `${inv.cmm?.host}.cer`),
    S097: () => Promise.resolve(restartTls(inv.cmm?.host)),
    // IIS serves a changed https binding on the next handshake ([I] http.sys SSL binding; S105's probe).
    S105: async () => installTls(inv.tms?.host, await readWork(`${inv.tms?.host}-privatekey.pem`), `${inv.tms?.host}.cer`, true),
    S106: () => Promise.resolve(restartTls(inv.tms?.host)),
    S115: async () => {
      const host = inv.pcp?.host;
      const keys = host === undefined ? undefined : guiKeys.get(host);
      return installTls(host, keys === undefined ? undefined : await privateKeyPem(keys), `${host}.cer`);
    },
    S116: () => Promise.resolve(restartTls(inv.pcp?.host)),
    S113: async () => {
      const host = inv.pcp?.host;
      if (host === undefined) return [];
      const csr = await guiCsr(host, 'pcp/server', host);
      pending.set(host, { role: 'pcp/server', target: host, csr });
      return [`${host}: CSR generated (${await write(`${host}.csr`, csr)})`];
    },
    S114: async (step) => {
      const host = inv.pcp?.host;
      const p = host === undefined ? undefined : pending.get(host);
      if (!host || !p) return ['no PCP CSR to sign (S113 first)'];
      pending.delete(host);
      // PCP takes no chain: the root signs directly (certificates.yaml chain: root-only).
      const rec = await sign(step.id, 'pcp/server', undefined, p.csr, { cert: `${host}.cer`, csrFile: path(`${host}.csr`) });
      return [`pcp/server: ${rec.file}`];
    },
  };

  // S034 enrols and imports in one action, so nobody can sign between its lines: the operator
  // watching the SRST router's terminal signs each CSR as it is printed (<router>.pem for S034).
  for (const r of inv.ios.filter((x) => x.roles.includes('srst'))) {
    const st = ctx.ios.get(r.host);
    if (!st) continue;
    // Named before the step runs (the operator says where the certificate will be, as with --paste).
    pastes.set(`S034/${r.host}`, join(ctx.workdir, `${r.host}.pem`));
    st.onCsr = async (tp, csr) => {
      if (tp !== r.trustpoint) return;
      const rec = await sign('S034', 'ios/router', r.host, csr, { cert: `${r.host}.pem`, csr: `${r.host}.csr` });
      pastes.set(`S034/${r.host}`, rec.file);
    };
  }

  return {
    workdir: ctx.workdir,
    before: async (step) => {
      const h = handlers[step.id];
      return [...(h ? await h(step) : []), ...guiParameters(step)];
    },
    certificate: (role, node) => signed.get(`${role}@${node ?? ''}`),
    certificates: () => [...signed.values()],
    pasteFile: (step, target) => pastes.get(`${step}/${target}`),
  };
}

