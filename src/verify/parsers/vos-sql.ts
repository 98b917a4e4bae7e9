// VOS `run sql …` results (cli-facts §1.4 "Mode check", §1.5 "Verify"): a header row, a `====`
// rule, then rows, e.g. `ClusterSecurityMode 0`. 0 = non-secure, 1 = mixed; for SIP OAuth
// 0 = disabled (default), 1 = enabled.
import { lines, one, type ParseResult, type ParserArgs } from './types.js';

/** Value of `paramname` from a processconfig query (either `paramname,paramvalue` or `paramvalue` only). */
export function processconfigValue(output: string, paramname: string): string | undefined {
  const ls = lines(output);
  const named = ls.map((l) => new RegExp(`^\\s*${paramname}\\s+(\\S+)\\s*$`).exec(l)).find((m) => m !== null);
  if (named) return named[1];
  const rule = ls.findIndex((l) => /^\s*=+(\s+=+)*\s*$/.test(l));
  if (rule < 0) return undefined;
  const row = ls.slice(rule + 1).find((l) => /^\s*\S+\s*$/.test(l) && !/admin:/.test(l));
  return row?.trim();
}

function modeParser(param: string, names: Record<string, string>, dflt: string) {
  return (output: string, args: ParserArgs): ParseResult => {
    const wantRaw = (one(args, 'expected') ?? dflt).toLowerCase();
    const want = names[wantRaw] ?? wantRaw;
    const got = processconfigValue(output, param);
    if (got === undefined) return { ok: false, details: [`${param}: no value in the output`] };
    const label = Object.entries(names).find(([k, v]) => v === got && !/^\d$/.test(k))?.[0] ?? 'unknown';
    return { ok: got === want, details: [`${param} = ${got} (${label}); expected ${want}`] };
  };
}

export const vosClusterSecurityMode = modeParser('ClusterSecurityMode', { mixed: '1', 'non-secure': '0', nonsecure: '0', '1': '1', '0': '0' }, 'mixed');
export const vosSipOAuthMode = modeParser('ClusterSIPOAuthMode', { enabled: '1', disabled: '0', '1': '1', '0': '0' }, 'enabled');
