// Serialising an AXL payload: a JS value whose object key order is the element order (AXL's XSD
// types are sequences, so the order is part of the contract; tests validate every request against
// the published schema). Text is escaped so no value can change the document's structure, and
// what XML 1.0 cannot carry, or what a terminal or log would render misleadingly, is refused.

/** A payload value: text, an element per key (in order), or repeated elements for an array. */
export type AxlValue = string | number | boolean | AxlRecord | AxlValue[];
export interface AxlRecord {
  [k: string]: AxlValue;
}

/** Longest text value accepted (AXL strings are at most a few thousand characters; certificates ~8 KiB PEM). */
export const MAX_VALUE_LENGTH = 64 * 1024;
/** Deepest nesting accepted (AXL types nest a handful of levels). */
export const MAX_DEPTH = 16;

const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
// C0 controls except TAB/LF/CR, DEL and C1, and the Unicode line/paragraph separators: XML 1.0 cannot
// carry most C0s at all, and the rest would let a value forge lines in a log or a terminal.
// TAB, LF and CR are refused too: no AXL field the catalogue writes is multi-line. (Named, so a
// caller can say which field.)
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
// Lone surrogates cannot be encoded as UTF-8.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** A payload that cannot be sent as is; names the field by its path (`phoneSecurityProfile.description`). */
export class AxlPayloadError extends Error {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`AXL field ${field}: ${reason}`);
    this.name = 'AxlPayloadError';
  }
}

/** `&`, `<`, `>` always, so `]]>` cannot appear in text either; quotes are for attribute use. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;'));
}

/** The text of a scalar, checked. */
export function scalarText(v: string | number | boolean, field: string): string {
  let s: string;
  if (typeof v === 'boolean') s = v ? 'true' : 'false';
  else if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new AxlPayloadError(field, 'is not a finite number');
    s = String(v);
  } else s = v;
  if (s.length > MAX_VALUE_LENGTH) throw new AxlPayloadError(field, `is longer than ${MAX_VALUE_LENGTH} characters`);
  const c = CONTROL.exec(s);
  if (c) throw new AxlPayloadError(field, `contains the control character U+${c[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`);
  if (LONE_SURROGATE.test(s)) throw new AxlPayloadError(field, 'contains an unpaired UTF-16 surrogate');
  return s;
}

export function checkName(name: string, field: string): void {
  if (!NAME.test(name) || name.length > 128) throw new AxlPayloadError(field, `"${name.slice(0, 40).replace(/[^\x20-\x7e]/g, '?')}" is not a valid AXL element name`);
}

/** `<name>…</name>` for one value (an array repeats the element). */
export function elementXml(name: string, value: AxlValue, path: string, depth = 0): string {
  checkName(name, path);
  if (depth > MAX_DEPTH) throw new AxlPayloadError(path, `nests deeper than ${MAX_DEPTH} levels`);
  if (Array.isArray(value)) return value.map((v, i) => (Array.isArray(v) ? fail(`${path}[${i}]`) : elementXml(name, v, `${path}[${i}]`, depth + 1))).join('');
  if (typeof value === 'object' && value !== null) return `<${name}>${childrenXml(value, path, depth + 1)}</${name}>`;
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') throw new AxlPayloadError(path, `has an unsupported value (${value === null ? 'null' : typeof value})`);
  const text = scalarText(value, path);
  return text === '' ? `<${name}/>` : `<${name}>${escapeXml(text)}</${name}>`;
}

/** The children of a record, in key order. */
export function childrenXml(record: AxlRecord, path: string, depth = 0): string {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) throw new AxlPayloadError(path || '(payload)', 'must be an object of elements');
  return Object.entries(record)
    .map(([k, v]) => elementXml(k, v, path === '' ? k : `${path}.${k}`, depth))
    .join('');
}

function fail(path: string): never {
  throw new AxlPayloadError(path, 'an array cannot hold an array (repeat the element instead)');
}
