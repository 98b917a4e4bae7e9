// Simulated Cisco Meeting Server MMP (cli-facts §3): `<hostname>>` prompt, pki csr/list/match,
// the service certificate commands of the chapter (seed-outline S080–S091) and SFTP uploads
// into the same in-memory root.
import type { SFTPWrapper } from 'ssh2';
import { serveSftp } from './cms-sftp.js';
import { cmsServiceCommand } from './cms-services.js';
import { certInfo, issuedBy, makeCsr, newKeyPair, privateKeyPem, spkiOfPrivatePem } from './pki.js';
import type { Term } from './term.js';

export interface CmsServiceState {
  enabled: boolean;
  listen?: string;
  /** [key, cert, bundle?] file names. */
  certs?: string[];
  trust?: string[];
  /** xmpp domain (cli-facts §3). */
  domain?: string;
}

export interface CmsState {
  hostname: string;
  /**
   * Meeting Server release as the inventory names it ('2.x' | '3.x'). 3.0 removed the XMPP server
   * and the first Web Bridge (Cisco TAC 217062: "XMPP was removed … webbridge is replaced with
   * webbridge3"), so a 3.x node knows neither `xmpp` nor `webbridge`; Web Bridge 3 and the Call
   * Bridge's C2W trust exist on both (Web Bridge 3 is new in 2.9: Cisco Live CMS lab, Web Bridge).
   */
  release: string;
  /** SFTP root: file name → content. */
  files: Map<string, Buffer>;
  services: Record<string, CmsServiceState>;
  database: { certs?: string[]; localnode?: string; mode: 'none' | 'initialized' | 'joined' | 'connected'; peer?: string };
}

export const CMS_SERVICES = ['webadmin', 'callbridge', 'xmpp', 'webbridge', 'webbridge3'];
/** The services a 3.x MMP no longer has (TAC 217062). */
export const CMS_2X_ONLY = ['xmpp', 'webbridge'];
/** Web Bridge 3's C2W listener: its own pair and trust (`webbridge3 c2w …`), kept apart from HTTPS. */
export const WB3_C2W = 'webbridge3 c2w';

/** A node of `release` (default 2.x, the chapter's, as the VOS lab defaults to the chapter's 12.5). */
export function newCmsState(hostname: string, release = '2.x'): CmsState {
  const services: Record<string, CmsServiceState> = {};
  for (const s of [...CMS_SERVICES, WB3_C2W]) services[s] = { enabled: false };
  return { hostname, release, files: new Map(), services, database: { mode: 'none' } };
}

export function cmsSftp(state: CmsState, sftp: SFTPWrapper): void {
  serveSftp(state.files, sftp);
}

/** Splits `a b:"c d" e` into tokens, dropping the quotes (cli-facts §3 pki csr attribute syntax). */
export function tokens(line: string): string[] {
  return (line.match(/(?:[^\s"]+|"[^"]*")+/g) ?? []).map((t) => t.replace(/"/g, ''));
}

/** Does the key file match the certificate file? (the SUCCESS/FAILURE line of cli-facts §3) */
export function keyMatches(state: CmsState, keyFile: string, certFile: string): boolean {
  const key = state.files.get(keyFile);
  const cert = state.files.get(certFile);
  const spki = key ? spkiOfPrivatePem(key.toString('utf8')) : undefined;
  const info = cert ? certInfo(cert.toString('utf8')) : undefined;
  return spki !== undefined && info !== undefined && spki.equals(info.publicKeyDer);
}

async function pkiCsr(state: CmsState, term: Term, args: string[]): Promise<void> {
  const [base, ...attrs] = args;
  const fields = new Map<string, string>();
  for (const a of attrs) {
    const i = a.indexOf(':');
    if (i > 0) fields.set(a.slice(0, i), a.slice(i + 1));
  }
  const cn = fields.get('CN');
  // cli-facts §3: basename letters, digits, - and _ ; the failure wording is [I].
  if (!base || !/^[A-Za-z0-9_-]+$/.test(base) || !cn) return term.writeLines(['FAILURE: invalid pki csr arguments']);
  const dn = ['CN', 'OU', 'O', 'L', 'ST', 'C']
    .filter((k) => fields.has(k))
    .map((k) => `${k}=${fields.get(k) ?? ''}`)
    .join(', ');
  const sans = (fields.get('subjectAltName') ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
  const keys = await newKeyPair();
  state.files.set(`${base}.key`, Buffer.from(await privateKeyPem(keys)));
  state.files.set(`${base}.csr`, Buffer.from(await makeCsr(dn, keys, sans)));
  // cli-facts §3 (TAC 217320 output)
  term.writeLines([`Created key file ${base}.key and CSR ${base}.csr`, `CSR file ${base}.csr ready for download via SFTP`]);
}

function pki(state: CmsState, term: Term, args: string[]): Promise<void> | void {
  const [sub, a, b] = args;
  if (sub === 'csr') return pkiCsr(state, term, args.slice(1));
  if (sub === 'list') {
    // cli-facts §3: header then file names
    const names = [...state.files.keys()].filter((n) => /\.(key|crt|cer|pem|csr|der)$/i.test(n)).sort();
    return term.writeLines(['User supplied certificates and keys:', ...names]);
  }
  if (sub === 'match' && a && b) {
    // SUCCESS text is cli-facts §3; the FAILURE wording is [I].
    return term.writeLines([keyMatches(state, a, b) ? 'SUCCESS: Key and certificate pair match' : 'FAILURE: Key and certificate pair do not match']);
  }
  if (sub === 'verify' && a && b) {
    // [I] pki verify is not in the public sources (cli-facts §3); one SUCCESS:/FAILURE: line.
    const cert = state.files.get(a)?.toString('utf8') ?? '';
    const bundle = state.files.get(b)?.toString('utf8') ?? '';
    return term.writeLines([issuedBy(cert, bundle) ? `SUCCESS: ${a} verified against ${b}` : `FAILURE: ${a} could not be verified against ${b}`]);
  }
  if (sub === 'inspect' && a) {
    const info = certInfo(state.files.get(a)?.toString('utf8') ?? ''); // [I] minimal output
    if (!info) return term.writeLines([`FAILURE: ${a} is not a certificate`]);
    return term.writeLines([`Subject: ${info.subject.split('\n').join(', ')}`, `Issuer: ${info.issuer.split('\n').join(', ')}`, `Valid from: ${info.validFrom}`, `Valid to: ${info.validTo}`]);
  }
  term.writeLines(['FAILURE: invalid pki command']); // [I]
}

export async function cmsShell(state: CmsState, term: Term): Promise<void> {
  for (;;) {
    term.write(`${state.hostname}>`); // cli-facts §3 prompt
    const line = await term.readLine();
    if (term.closed) return;
    if (line === null) continue;
    const args = tokens(line.trim());
    const [cmd, ...rest] = args;
    if (cmd === undefined) continue;
    if (cmd === 'exit' || cmd === 'quit') return;
    if (cmd === 'pki') await pki(state, term, rest);
    else if (!cmsServiceCommand(state, term, args)) term.writeLines(['Unknown command']); // [I]
  }
}
