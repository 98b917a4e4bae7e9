// IOS parsers. `show crypto pki trustpoints <TP> status` fields from cli-facts §2.6 (genieparser).
import { lines, list, one, type ParseResult, type ParserArgs } from './types.js';

export interface TrustpointStatus {
  name?: string;
  caConfigured: boolean;
  routerCertConfigured: boolean;
  caAuthenticated?: boolean;
  keysGenerated?: boolean;
  /** `Certificate request(s) ..... Yes` (cli-facts §2.6): a CSR was made (enrolment) for the trustpoint. */
  requested?: boolean;
  lastEnrollment?: string;
}

export function trustpointStatus(output: string): TrustpointStatus {
  const t = output;
  const flag = (label: RegExp): boolean | undefined => {
    const m = label.exec(t);
    return m ? /^Yes/i.test(m[1]!) : undefined;
  };
  const name = /Trustpoint\s+([^\s:]+):/.exec(t)?.[1];
  const lastEnrollment = /Last enrollment status:\s*(\S+)/.exec(t)?.[1];
  const caAuthenticated = flag(/Issuing CA authenticated\s*\.*\s*(\w+)/);
  const keysGenerated = flag(/Keys generated\s*\.*\s*(\w+)/);
  const requested = flag(/Certificate request\(s\)\s*\.*\s*(\w+)/);
  return {
    ...(name !== undefined ? { name } : {}),
    caConfigured: /Issuing CA certificate configured:/.test(t),
    routerCertConfigured: /(Router|Switch|Device) General Purpose certificate configured:/.test(t),
    ...(caAuthenticated !== undefined ? { caAuthenticated } : {}),
    ...(keysGenerated !== undefined ? { keysGenerated } : {}),
    ...(requested !== undefined ? { requested } : {}),
    ...(lastEnrollment !== undefined ? { lastEnrollment } : {}),
  };
}

/** args: `trustpoint`; `require` ⊆ {ca, router, keys, request} (default ca + router). */
export function iosTrustpointStatus(output: string, args: ParserArgs): ParseResult {
  const st = trustpointStatus(output);
  const tp = one(args, 'trustpoint');
  const req = list(args, 'require');
  const need = req.length > 0 ? req : ['ca', 'router'];
  const details: string[] = [];
  let ok = true;
  if (tp !== undefined && st.name !== tp) {
    ok = false;
    details.push(`trustpoint ${tp} not found${st.name !== undefined ? ` (got ${st.name})` : ''}`);
  }
  if (need.includes('ca')) {
    const good = st.caConfigured && st.caAuthenticated !== false;
    ok &&= good;
    details.push(`CA certificate: ${good ? 'configured and authenticated' : 'missing'}`);
  }
  if (need.includes('router')) {
    ok &&= st.routerCertConfigured;
    details.push(`router certificate: ${st.routerCertConfigured ? 'configured' : 'missing'}`);
  }
  if (need.includes('keys')) {
    ok &&= st.keysGenerated === true;
    details.push(`keys: ${st.keysGenerated === true ? 'generated' : 'missing'}`);
  }
  if (need.includes('request')) {
    ok &&= st.requested === true;
    details.push(`certificate request: ${st.requested === true ? 'made' : 'none'}`);
  }
  if (st.lastEnrollment !== undefined) details.push(`last enrollment: ${st.lastEnrollment}`);
  return { ok, details };
}

/**
 * args: `lines` that must appear (trimmed, whole line), `absent` lines that must not — an absent
 * entry also matches a line that continues it with more words (`registrar server` matches
 * `registrar server expires max 600 min 60`), since IOS prints a command with its options.
 */
export function iosRunningConfigContains(output: string, args: ParserArgs): ParseResult {
  const trimmed = lines(output).map((l) => l.trim());
  const have = new Set(trimmed);
  const missing = list(args, 'lines').filter((l) => !have.has(l.trim()));
  const present = list(args, 'absent').filter((l) => trimmed.some((t) => t === l.trim() || t.startsWith(`${l.trim()} `)));
  return {
    ok: missing.length === 0 && present.length === 0,
    details: [...missing.map((l) => `missing: ${l}`), ...present.map((l) => `should be absent: ${l}`), ...(missing.length + present.length === 0 ? ['all lines present'] : [])],
  };
}

/**
 * `show running-config | section <header>` read section by section: args `sections` (top-level
 * lines, e.g. `dial-peer voice 300 voip`) that must each be present, and `lines` that each of them
 * must hold among its own sub-lines (trimmed, whole line). Unlike ios-running-config-contains, a
 * line under one dial-peer does not count for another.
 */
export function iosConfigSections(output: string, args: ParserArgs): ParseResult {
  const blocks = new Map<string, Set<string>>();
  let current: Set<string> | undefined;
  for (const l of lines(output)) {
    if (l.trim() === '' || l.trim() === '!') continue;
    if (!/^\s/.test(l)) {
      current = blocks.get(l.trim()) ?? new Set<string>();
      blocks.set(l.trim(), current);
    } else current?.add(l.trim());
  }
  const sections = list(args, 'sections');
  const want = list(args, 'lines');
  const details: string[] = [];
  let ok = sections.length > 0;
  for (const sec of sections) {
    const body = blocks.get(sec.trim());
    if (!body) {
      ok = false;
      details.push(`missing section: ${sec}`);
      continue;
    }
    const missing = want.filter((l) => !body.has(l.trim()));
    ok &&= missing.length === 0;
    details.push(missing.length === 0 ? `${sec}: all lines present` : `${sec}: missing ${missing.join(', ')}`);
  }
  return { ok, details };
}

/**
 * `show crypto key mypubkey rsa <label>`: args `label`, the key pair that must be listed. Each key
 * is a block that starts `Key name: <label>` (cli-facts §2.2) and holds `Usage: … Key` and
 * `Key is [not] exportable.` lines (public transcripts, e.g. O'Reilly Cisco IOS Cookbook ch. 12.8).
 */
export function iosRsaKey(output: string, args: ParserArgs): ParseResult {
  const label = one(args, 'label');
  const ls = lines(output).map((l) => l.trim());
  const names = ls.map((l) => /^Key name:\s*(\S+)$/.exec(l)?.[1]).filter((n): n is string => n !== undefined);
  const at = ls.findIndex((l) => label !== undefined && l === `Key name: ${label}`);
  if (label === undefined || at < 0) {
    return { ok: false, details: [`key pair ${label ?? '(no label given)'} not listed${names.length ? ` (keys: ${names.join(', ')})` : ''}`] };
  }
  const next = ls.findIndex((l, i) => i > at && /^Key name:/.test(l));
  const block = ls.slice(at + 1, next < 0 ? undefined : next);
  const usage = block.map((l) => /^Usage:\s*(.+)$/.exec(l)?.[1]).find((u) => u !== undefined);
  const exportable = block.find((l) => /^Key is (not )?exportable\./.test(l));
  return { ok: true, details: [`key pair ${label} listed`, ...(usage ? [`usage: ${usage}`] : []), ...(exportable ? [exportable] : [])] };
}
