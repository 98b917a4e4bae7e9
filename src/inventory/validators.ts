// Field validators for every value that can reach a device line. An interactive CLI is injected
// through newlines and control characters (Ctrl-C, Ctrl-Z, ESC) and `?` (Cisco context help),
// not shell quoting (reliability notes), so each kind of value gets a whitelist, and every
// string additionally passes `noControl`.
import * as z from 'zod/mini';
import { meta } from '../zod.js';

// C0, DEL, C1 controls and the Unicode line/paragraph separators.
 
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

export function hasControl(s: string): boolean {
  return CONTROL.test(s);
}

const noControl = (kind: string) => (s: string) => !hasControl(s) || `${kind} must not contain control characters or line breaks`;

export function checked(kind: string, max: number, pattern: RegExp, hint: string) {
  // The pattern is also published in the JSON Schema (meta), so editors flag bad values early.
  return meta(z.string(), { pattern: pattern.source, maxLength: max, description: hint }).check(
    z.superRefine((s: string, ctx) => {
      const nc = noControl(kind)(s);
      if (nc !== true) return void ctx.addIssue({ code: 'custom', message: nc });
      if (s.length === 0) return void ctx.addIssue({ code: 'custom', message: `${kind} is empty` });
      if (s.length > max) return void ctx.addIssue({ code: 'custom', message: `${kind} is longer than ${max} characters` });
      if (!pattern.test(s)) ctx.addIssue({ code: 'custom', message: `"${s}" is not a valid ${kind}: ${hint}` });
    }),
  );
}

const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';

/** A single DNS label (host part): letters, digits, inner hyphens. */
export const hostname = checked('host name', 63, new RegExp(`^${LABEL}$`), 'letters, digits and inner hyphens, 1–63 characters');

/** Fully qualified domain name: at least two labels, 253 characters at most. */
export const fqdn = checked(
  'FQDN',
  253,
  new RegExp(`^${LABEL}(?:\\.${LABEL})+$`),
  'dot-separated labels of letters, digits and inner hyphens, e.g. us-cm-pub.ent-pa.com',
);

/** FQDN with an optional leading "*." — accepted only where the chapter allows wildcards. */
export const domainName = fqdn;

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
export const ipv4 = checked('IPv4 address', 15, new RegExp(`^${OCTET}(?:\\.${OCTET}){3}$`), 'four decimal octets, e.g. 192.0.2.10');

/** Dotted network mask with contiguous ones (255.255.255.0). */
export const netmask = ipv4.check(
  z.superRefine((s: string, ctx) => {
    const n = s.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
    const inverted = 0xffffffff - n;
    // Contiguous ones ⇔ the inverted mask plus one is a power of two.
    if ((inverted & (inverted + 1)) !== 0) ctx.addIssue({ code: 'custom', message: `"${s}" is not a contiguous network mask` });
  }),
);

/** IOS trustpoint / key label / Cisco object name: no spaces, no `?`. */
export const objectName = checked('name', 64, /^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-", starting with a letter or digit');

/** A file name (no directories) that appears on a device line, e.g. CAsignedCluster.cer. */
export const fileName = checked('file name', 100, /^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-", no folders');

/**
 * A Unity Connection object's display name that CUPI requests look up by (a restriction table such
 * as "Default Transfer"): letters, digits, single blanks and . _ ( ) -, at most 64 characters. It
 * reaches a request only as a value compared with what the server lists, never inside a path.
 */
export const cupiName = checked('Unity Connection name', 64, /^[A-Za-z0-9][A-Za-z0-9._()-]*(?: [A-Za-z0-9._()-]+)*$/, 'letters, digits, single blanks and . _ ( ) -');

/**
 * A restriction-table number pattern (CUPI "Restriction Patterns"): digits, `*` (any digits), `?`
 * (one digit), `#` and `+` [I: `#` and `+` as on the Restriction Tables page], at most 40 characters.
 */
export const restrictionPattern = checked('restriction pattern', 40, /^[0-9*#?+]+$/, 'digits, * (any digits), ? (one digit), # and +');

/** A base name for CMS key/certificate files (MMP: letters, digits, "-", "_"). */
export const baseName = checked('base name', 64, /^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'letters, digits, "_" and "-"');

/**
 * A path on the operator machine (never sent to a device as text). The rule (src/inventory/files.ts):
 * relative to the folder holding the inventory file, `..` allowed, absolute as written, no `~`.
 */
export const localPath = checked(
  'file path',
  4096,
  /^[^\0~][^\0]*$/,
  'a file on the operator machine: a relative path resolves against the folder holding the inventory file (not the current folder; ".." may leave it), an absolute path is used as written, "~" is not expanded; it must be a regular file (no device, FIFO, folder or /proc path) of at most 512 KiB',
);

/** Free text that appears inside a device line (e.g. CSR subject attributes): no quotes, no `?`. */
export const safeText = checked('text', 64, /^[A-Za-z0-9][A-Za-z0-9 .,&'()/_-]*$/, 'letters, digits, spaces and . , & \' ( ) / _ -');

/** One word inside a device line where the chapter prints it unquoted (CMS `ST:California`). */
export const safeWord = checked('word', 64, /^[A-Za-z0-9][A-Za-z0-9.&'()/_-]*$/, 'letters, digits and . & \' ( ) / _ - without spaces (the MMP splits arguments on spaces)');

/** Text shown in GUI instructions only (CA names, titles). */
export const label = checked('label', 200, /^[^<>`]+$/, 'no < > or ` characters');

export const port = z.number().check(z.int(), z.gte(1), z.lte(65535));

/** Name of an environment variable that holds a secret; the secret itself never is in the file. */
export const envVar = checked('environment variable name', 128, /^[A-Z_][A-Z0-9_]*$/, 'upper-case letters, digits and _');

export const isoCountry = checked('country code', 2, /^[A-Z]{2}$/, 'two upper-case letters, e.g. US');
