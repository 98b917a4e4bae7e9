// Reading an AXL response into plain JS. The shape, from the published schema: the Body holds
// `<ns:<operation>Response>` whose `<return>` carries the result (a string for add/update/remove,
// `<phoneSecurityProfile uuid="…">…` for get, repeated elements for list). Faults are SOAP 1.1
// Faults whose detail holds `<axlError><axlcode/><axlmessage/><request/></axlError>` — the shape
// Unified CM 9.1–15 answers with (Cisco community thread 50791: "Item not valid: The specified
// User was not found", axlcode 5007, request getUser).
// Mapping: an element with child elements → an object (repeated names → an array, attributes as
// `@name` keys, e.g. `@uuid`); an element without children → its text ('' when empty; the
// attributes of such a leaf, e.g. the uuid of a foreign key, are not kept).
import { SOAP_ENV } from './envelope.js';
import { child, readXml, type XmlElement } from './xml-read.js';
import type { AxlRecord, AxlValue } from './xml-write.js';

/** Largest response read (a listPhone of 5,000 phones with a few returned tags is ~2 MiB). */
export const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

export function toValue(el: XmlElement): AxlValue {
  if (el.children.length === 0) return el.text;
  const out: AxlRecord = {};
  for (const [k, v] of Object.entries(el.attrs)) if (k !== 'xmlns' && !k.startsWith('xmlns:')) out[`@${k}`] = v;
  const counts = new Map<string, number>();
  for (const c of el.children) counts.set(c.local, (counts.get(c.local) ?? 0) + 1);
  for (const c of el.children) {
    const v = toValue(c);
    if (counts.get(c.local)! > 1) ((out[c.local] ??= []) as AxlValue[]).push(v);
    else out[c.local] = v;
  }
  return out;
}

export interface SoapFaultInfo {
  faultcode: string;
  faultstring: string;
  code?: number;
  message: string;
  request?: string;
}

export type AxlReply = { ok: true; result: AxlRecord } | { ok: false; fault: SoapFaultInfo };

/** The Body of a SOAP envelope, or an error message. */
export function soapBody(text: string): XmlElement {
  const env = readXml(text, { maxChars: MAX_RESPONSE_BYTES });
  if (env.local !== 'Envelope' || env.ns !== SOAP_ENV) throw new Error('not a SOAP 1.1 envelope');
  const body = child(env, 'Body');
  if (!body || body.ns !== SOAP_ENV) throw new Error('no SOAP Body');
  return body;
}

export function readFault(fault: XmlElement): SoapFaultInfo {
  const text = (p: XmlElement | undefined, n: string) => (p === undefined ? '' : (child(p, n)?.text ?? '').trim());
  const axl = child(child(fault, 'detail') ?? fault, 'axlError');
  const rawCode = text(axl, 'axlcode');
  const faultstring = text(fault, 'faultstring');
  const message = text(axl, 'axlmessage') || faultstring;
  const request = text(axl, 'request');
  return {
    faultcode: text(fault, 'faultcode'),
    faultstring,
    ...(/^-?\d{1,9}$/.test(rawCode) ? { code: Number(rawCode) } : {}),
    message,
    ...(request !== '' ? { request } : {}),
  };
}

/** Parse a response to `operation`: its result record (`{ return: … }`) or its fault. */
export function parseAxlResponse(text: string, operation: string): AxlReply {
  const body = soapBody(text);
  const first = body.children[0];
  if (!first) throw new Error('empty SOAP Body');
  if (first.local === 'Fault' && first.ns === SOAP_ENV) return { ok: false, fault: readFault(first) };
  if (first.local !== `${operation}Response`) throw new Error(`expected ${operation}Response, got ${first.local.slice(0, 80)}`);
  const v = toValue(first);
  return { ok: true, result: typeof v === 'string' ? {} : (v as AxlRecord) };
}

/** A value as a list: list responses hold one element as a single value and several as an array. */
export function asList(v: AxlValue | undefined): AxlValue[] {
  if (v === undefined || v === '') return [];
  return Array.isArray(v) ? v : [v];
}

/** The text of a leaf (or '' when it is not one). */
export function textOf(v: AxlValue | undefined): string {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
}
