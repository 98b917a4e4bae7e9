// CMS MMP parsers (cli-facts §3): `pki list` prints `User supplied certificates and keys:` then
// file names; MMP commands report `SUCCESS:` / `FAILURE:` lines.
import { lines, list, type ParseResult, type ParserArgs } from './types.js';

export function pkiFiles(output: string): string[] {
  const ls = lines(output);
  const start = ls.findIndex((l) => /User supplied certificates and keys:/.test(l));
  if (start < 0) return [];
  return ls
    .slice(start + 1)
    .map((l) => l.trim())
    .filter((l) => /^[\w.-]+\.(?:key|csr|crt|cer|pem|der)$/i.test(l));
}

/** args: `files` that must be listed. */
export function cmsPkiList(output: string, args: ParserArgs): ParseResult {
  const files = pkiFiles(output);
  const missing = list(args, 'files').filter((f) => !files.includes(f));
  return { ok: missing.length === 0 && files.length > 0, details: [`files: ${files.join(', ') || 'none'}`, ...missing.map((f) => `missing ${f}`)] };
}

/** args: `contains` texts expected on SUCCESS lines (optional). Any FAILURE: line fails. */
export function mmpSuccess(output: string, args: ParserArgs): ParseResult {
  const ls = lines(output);
  const failures = ls.filter((l) => /^\s*FAILURE:/.test(l)).map((l) => l.trim());
  const successes = ls.filter((l) => /^\s*SUCCESS:/.test(l)).map((l) => l.trim());
  const missing = list(args, 'contains').filter((c) => !successes.some((s) => s.includes(c)));
  return {
    ok: failures.length === 0 && successes.length > 0 && missing.length === 0,
    details: [...failures, ...successes, ...missing.map((c) => `no SUCCESS line with "${c}"`), ...(successes.length === 0 ? ['no SUCCESS: line'] : [])],
  };
}
