// Simulated IOS / IOS-XE CLI (CUBE, gateway, SRST): exec and config modes with the prompts of
// cli-facts §2.1, the running configuration as state, PKI dialogues (ios-pki.ts) and paging.
import { child, MODES, render, setLine, type ConfigNode, type ModeDef } from './ios-config.js';
import { askIos, authenticate, enroll, generateKey, importCert, showCertificates, showMyPubkey, showStatus } from './ios-pki.js';
import type { CertInfo, KeyPair } from './pki.js';
import type { Term } from './term.js';

export interface IosKey { label: string; modulus: number; exportable: boolean; keys: KeyPair; created: Date }
export interface IosPki { ca?: CertInfo; cert?: CertInfo; csr?: string }

export interface IosState {
  hostname: string;
  enableSecret?: string;
  /** Running configuration (root's children are the top-level lines and sections). */
  running: ConfigNode;
  /** Saved by `write memory`. */
  startup: string[] | undefined;
  writes: number;
  keys: Record<string, IosKey>;
  /** Certificates per trustpoint (the trustpoint's config lines live in `running`). */
  pki: Record<string, IosPki>;
  /** Called with each CSR `crypto pki enroll` prints, before it is shown (the lab operator reads the terminal). */
  onCsr?: (trustpoint: string, csr: string) => Promise<void>;
}

export interface IosSession {
  state: IosState;
  term: Term;
  user: string;
  level: 'user' | 'priv' | 'config';
  stack: { mode: ModeDef; node: ConfigNode }[];
  /** `terminal length`; 0 disables --More-- (cli-facts §2.1). */
  length: number;
}

export function newIosState(hostname: string, enableSecret?: string): IosState {
  return { hostname, enableSecret, running: { line: '', children: [] }, startup: undefined, writes: 0, keys: {}, pki: {} };
}

/**
 * The lab's CUBE starts as a SIP registrar, so that S078 (`no registrar server`, L244) has a
 * line to remove and its check fails before the step and passes after it. [I] the starting
 * configuration and the `expires max … min …` options (cli-facts §2.7 names the `voice service
 * voip` / `sip` sub-modes only).
 */
export function seedRegistrar(state: IosState): void {
  const sip = child(child(state.running, 'voice service voip'), 'sip');
  setLine(sip, 'registrar server expires max 600 min 60');
}

const INVALID = "% Invalid input detected at '^' marker."; // cli-facts §2.1

// Common abbreviations an operator types; the drivers send the full forms.
const ALIASES: Record<string, string> = {
  'conf t': 'configure terminal', wr: 'write memory', write: 'write memory', 'wr mem': 'write memory',
  'sh run': 'show running-config', 'show run': 'show running-config', 'term len 0': 'terminal length 0',
};

function prompt(s: IosSession): string {
  const top = s.stack[s.stack.length - 1];
  if (s.level === 'user') return `${s.state.hostname}>`;
  if (s.level === 'priv') return `${s.state.hostname}#`;
  return `${s.state.hostname}(${top ? top.mode.prompt : 'config'})#`;
}

function invalid(s: IosSession, promptLen: number): void {
  s.term.writeLines([`${' '.repeat(promptLen)}^`, INVALID, '']);
}

async function more(s: IosSession, lines: string[]): Promise<void> {
  if (s.length === 0) return s.term.writeLines(lines);
  const size = Math.max(1, s.length - 1);
  let budget = size;
  for (const line of lines) {
    if (budget === 0) {
      s.term.write(' --More-- '); // [I] exact form; cli-facts §2.1 names --More--
      const k = await s.term.readKey();
      s.term.write(`${'\b'.repeat(10)}${' '.repeat(10)}${'\b'.repeat(10)}`);
      if (k === null || (k !== ' ' && k !== '\r')) return;
      budget = k === ' ' ? size : 1;
    }
    s.term.write(`${line}\n`);
    budget--;
  }
}

function runningConfig(state: IosState): string[] {
  const chain = (n: ConfigNode): string[] => {
    const tp = /^crypto pki trustpoint (\S+)$/.exec(n.line)?.[1];
    const pki = tp ? state.pki[tp] : undefined;
    if (!tp || !pki || (!pki.ca && !pki.cert)) return [];
    // [I] certificate hex dumps are left out
    return ['!', `crypto pki certificate chain ${tp}`, ...(pki.cert ? [` certificate ${pki.cert.serial}`] : []), ...(pki.ca ? [` certificate ca ${pki.ca.serial}`] : [])];
  };
  const body = ['!', `hostname ${state.hostname}`, '!', ...render(state.running, chain), 'end'];
  // [I] header lines; "Building configuration..." as in cli-facts §2.1 write memory
  return ['Building configuration...', '', `Current configuration : ${body.join('\n').length} bytes`, ...body];
}

function filtered(lines: string[], pipe: string | undefined): string[] {
  if (!pipe) return lines;
  const m = /^(include|section) (.+)$/.exec(pipe.trim());
  if (!m?.[2]) return lines;
  const re = new RegExp(m[2]);
  if (m[1] === 'include') return lines.filter((l) => re.test(l));
  const out: string[] = [];
  let inSection = false;
  for (const l of lines) {
    if (!l.startsWith(' ')) inSection = re.test(l);
    if (inSection) out.push(l);
  }
  return out;
}

async function exec(s: IosSession, line: string, promptLen: number): Promise<'exit' | void> {
  const { term, state } = s;
  if (line === 'exit' || line === 'logout' || line === 'quit') return 'exit';
  if (/^terminal (length \d+|width \d+)$/.test(line)) {
    const n = /^terminal length (\d+)$/.exec(line);
    if (n) s.length = Number(n[1]);
    return;
  }
  if (line === 'enable') {
    if (state.enableSecret !== undefined && s.level === 'user') {
      term.write('Password: ');
      const pw = await term.readLine({ echo: false });
      if (pw !== state.enableSecret) return term.writeLines(['% Bad secrets', '']); // [I]
    }
    s.level = 'priv';
    return;
  }
  if (line === 'disable') { s.level = 'user'; return; }
  if (line === 'show sip-ua status') return term.writeLines(['SIP User Agent for TLS over TCP : ENABLED']); // cli-facts §2.6
  if (s.level === 'priv') {
    if (line === 'configure terminal') {
      term.writeLines(['Enter configuration commands, one per line.  End with CNTL/Z.']); // cli-facts §2.1
      s.level = 'config';
      return;
    }
    if (line === 'write memory') return term.writeLines(saveConfig(state)); // cli-facts §2.1
    const run = /^show running-config(?: \| (.+))?$/.exec(line);
    if (run) return more(s, filtered(runningConfig(state), run[1]));
    const st = /^show crypto pki trustpoints (\S+) status$/.exec(line);
    if (st?.[1] && state.running.children.some((n) => n.line === `crypto pki trustpoint ${st[1]}`)) return more(s, showStatus(s, st[1]));
    const certs = /^show crypto pki certificates(?: verbose)?(?: (\S+))?$/.exec(line);
    if (certs) return more(s, showCertificates(s, certs[1]));
    const key = /^show crypto key mypubkey rsa(?: (\S+))?$/.exec(line);
    if (key) return more(s, await showMyPubkey(s, key[1]));
  }
  invalid(s, promptLen);
}

function saveConfig(state: IosState): string[] {
  state.startup = runningConfig(state).slice(3);
  state.writes++;
  return ['Building configuration...', '[OK]'];
}

function leaveConfig(s: IosSession): void {
  s.level = 'priv';
  s.stack = [];
  // cli-facts §2.1 log line; the "on vty0 (…)" tail is [I]
  s.term.writeLines([`%SYS-5-CONFIG_I: Configured from console by ${s.user} on vty0 (127.0.0.1)`]);
}

async function globalCommand(s: IosSession, line: string): Promise<boolean> {
  const { state } = s;
  let m: RegExpExecArray | null;
  if ((m = /^hostname (\S+)$/.exec(line)) && m[1]) { state.hostname = m[1]; return true; }
  if ((m = /^crypto key generate rsa((?: \S+)*)$/.exec(line))) { await generateKey(s, m[1] ?? ''); return true; }
  if ((m = /^crypto pki authenticate (\S+)$/.exec(line)) && m[1]) { await authenticate(s, m[1]); return true; }
  if ((m = /^crypto pki enroll (\S+)$/.exec(line)) && m[1]) { await enroll(s, m[1]); return true; }
  if ((m = /^crypto pki import (\S+) certificate$/.exec(line)) && m[1]) { await importCert(s, m[1]); return true; }
  if ((m = /^no crypto pki trustpoint (\S+)$/.exec(line)) && m[1]) {
    const tp = m[1];
    // genielibs-pki unconfigure_trustpoint (cli-facts source list) answers this question; [I] that a
    // trustpoint holding no certificate at all is removed without it.
    const pki = state.pki[tp];
    if (pki?.ca !== undefined || pki?.cert !== undefined) {
      s.term.writeLines(['% Removing an enrolled trustpoint will destroy all certificates', 'received from the related Certificate Authority.', '']);
      if ((await askIos(s.term, 'Are you sure you want to do this? [yes/no]: ')) !== true) return true;
      s.term.writeLines(['% Be sure to ask the CA administrator to revoke your certificates.']);
    }
    state.running.children = state.running.children.filter((n) => n.line !== `crypto pki trustpoint ${tp}`);
    delete state.pki[tp];
    return true;
  }
  if ((m = /^crypto key zeroize rsa (\S+)$/.exec(line)) && m[1]) {
    // genielibs-pki unconfigure_crypto_key answers "Do you really want to remove these keys?
    // [yes/no]:"; the two "%" lines before it are from public transcripts ([I] their wording for a
    // named key). An unknown label: [I] IOS's own message.
    const label = m[1];
    if (!state.keys[label]) {
      s.term.writeLines([`% No Signature RSA Keys found in configuration named ${label}.`]);
      return true;
    }
    s.term.writeLines([`% Keys to be removed are named '${label}'.`, '% All router certs issued using these keys will also be removed.']);
    if ((await askIos(s.term, 'Do you really want to remove these keys? [yes/no]: ')) !== true) return true;
    delete state.keys[label];
    return true;
  }
  if (/^ip domain[ -]name \S+$/.test(line)) { setLine(state.running, line); return true; }
  // `no <sub-mode>` removes the whole block, e.g. `no credentials` (S035's back-out). [I] IOS's
  // usual no-form of a global sub-mode, taken silently when there is no such block; no question
  // is asked (unlike a trustpoint, above).
  const bare = /^no (.+)$/.exec(line)?.[1];
  if (bare !== undefined && MODES.some((d) => d.from === 'config' && d.enter.test(bare))) {
    state.running.children = state.running.children.filter((n) => n.line !== bare);
    return true;
  }
  return false;
}

async function config(s: IosSession, line: string, promptLen: number): Promise<void> {
  if (line === 'end' || line === '\x1a') return leaveConfig(s);
  if (line === 'exit') {
    if (s.stack.length > 0) s.stack.pop();
    else leaveConfig(s);
    return;
  }
  const doCmd = /^do (.+)$/.exec(line);
  if (doCmd?.[1]) {
    const keep = s.level;
    s.level = 'priv';
    await exec(s, doCmd[1], promptLen);
    s.level = keep;
    return;
  }
  // Like IOS, a line the current sub-mode does not know is tried in the enclosing modes.
  for (let depth = s.stack.length; depth >= 0; depth--) {
    const here = depth === 0 ? undefined : s.stack[depth - 1];
    const modeId = here ? here.mode.id : 'config';
    const bare = line.replace(/^no /, '');
    if (here && here.mode.accepts.some((re) => re.test(line) || re.test(bare))) {
      s.stack = s.stack.slice(0, depth);
      setLine(here.node, line);
      return;
    }
    const sub = MODES.find((d) => d.from === modeId && d.enter.test(line));
    if (sub) {
      s.stack = s.stack.slice(0, depth);
      s.stack.push({ mode: sub, node: child(here ? here.node : s.state.running, line) });
      return;
    }
    if (depth === 0 && (await globalCommand(s, line))) {
      s.stack = [];
      return;
    }
  }
  invalid(s, promptLen);
}

export async function iosShell(state: IosState, term: Term, user: string): Promise<void> {
  const s: IosSession = { state, term, user, level: 'user', stack: [], length: term.rows };
  term.writeLines(['']);
  for (;;) {
    const p = prompt(s);
    term.write(p);
    const raw = await term.readLine();
    if (term.closed) return;
    if (raw === null) {
      if (s.level === 'config') leaveConfig(s);
      continue;
    }
    const t = raw.trim().replace(/\s+/g, ' ');
    const line = ALIASES[t] ?? t;
    if (line === '') continue;
    if (s.level === 'config') await config(s, line, p.length);
    else if ((await exec(s, line, p.length)) === 'exit') return;
  }
}
