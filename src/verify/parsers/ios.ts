// IOS parsers. `show crypto pki trustpoints <TP> status` fields from cli-facts §2.6 (genieparser).
import { lines, list, one, type ParseResult, type ParserArgs } from './types.js';

export interface TrustpointStatus {
  name?: string;
  caConfigured: boolean;
  routerCertConfigured: boolean;
  caAuthenticated?: boolean;
  keysGenerated?: boolean;
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
  return {
    ...(name !== undefined ? { name } : {}),
    caConfigured: /Issuing CA certificate configured:/.test(t),
    routerCertConfigured: /(Router|Switch|Device) General Purpose certificate configured:/.test(t),
    ...(caAuthenticated !== undefined ? { caAuthenticated } : {}),
    ...(keysGenerated !== undefined ? { keysGenerated } : {}),
    ...(lastEnrollment !== undefined ? { lastEnrollment } : {}),
  };
}

/** args: `trustpoint`; `require` ⊆ {ca, router, keys} (default ca + router). */
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
  if (st.lastEnrollment !== undefined) details.push(`last enrollment: ${st.lastEnrollment}`);
  return { ok, details };
}

/** args: `lines` that must appear (trimmed, whole line), `absent` lines that must not. */
export function iosRunningConfigContains(output: string, args: ParserArgs): ParseResult {
  const have = new Set(lines(output).map((l) => l.trim()));
  const missing = list(args, 'lines').filter((l) => !have.has(l.trim()));
  const present = list(args, 'absent').filter((l) => have.has(l.trim()));
  return {
    ok: missing.length === 0 && present.length === 0,
    details: [...missing.map((l) => `missing: ${l}`), ...present.map((l) => `should be absent: ${l}`), ...(missing.length + present.length === 0 ? ['all lines present'] : [])],
  };
}
