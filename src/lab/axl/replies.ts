// What the simulator answers, in Unified CM's shapes:
// - success: `<ns:<op>Response><return>…</return></ns:<op>Response>` in the request's namespace
//   (AXLSoap.xsd Get…Res/List…Res/StandardResponse), objects as `<tag uuid="{…}">fields</tag>`;
// - axlError faults, HTTP 500 (Cisco community thread 50791: faultcode soapenv:Server,
//   "Item not valid: The specified User was not found", axlcode 5007, request getUser; a public
//   Go AXL client quotes -239 "Could not insert new row - duplicate value in a UNIQUE INDEX column
//   (Unique Index:)." for a duplicate addRoutePartition, faultcode soapenv:Client);
// - a version the server does not speak: HTTP 599 with an HTML page "Incorrect axl version.
//   Supported axl versions are …" (as quoted by public AXL clients' fixtures);
// - 401/403/503 as short HTML pages [I: Tomcat's usual answers; the body is not relied on].
import { escapeXml, SOAP_ENV, type AxlRecord, type AxlValue } from '../../transport/axl/index.js';

export interface Reply {
  status: number;
  contentType: string;
  body: string;
  headers?: Record<string, string>;
}

/** XML for a stored value: `@name` keys become attributes, arrays repeat the element. */
export function valueXml(name: string, v: AxlValue): string {
  if (Array.isArray(v)) return v.map((x) => valueXml(name, x)).join('');
  if (typeof v === 'object' && v !== null) {
    const attrs = Object.entries(v).filter(([k]) => k.startsWith('@'));
    const kids = Object.entries(v).filter(([k]) => !k.startsWith('@'));
    const a = attrs.map(([k, x]) => ` ${k.slice(1)}="${escapeXml(String(x as string))}"`).join('');
    return `<${name}${a}>${kids.map(([k, x]) => valueXml(k, x)).join('')}</${name}>`;
  }
  const text = String(v);
  return text === '' ? `<${name}/>` : `<${name}>${escapeXml(text)}</${name}>`;
}

function envelope(inner: string, ns?: string): string {
  return `<?xml version='1.0' encoding='UTF-8'?><soapenv:Envelope xmlns:soapenv="${SOAP_ENV}"><soapenv:Body>${ns === undefined ? inner : inner.replace(/^<ns:(\w+)/, `<ns:$1 xmlns:ns="${ns}"`)}</soapenv:Body></soapenv:Envelope>`;
}

export function success(operation: string, ns: string, ret: AxlRecord | string): Reply {
  return { status: 200, contentType: 'text/xml;charset=UTF-8', body: envelope(`<ns:${operation}Response>${valueXml('return', ret)}</ns:${operation}Response>`, ns) };
}

export function axlFault(operation: string, code: number, message: string, faultcode = 'soapenv:Server'): Reply {
  const m = escapeXml(message);
  return {
    status: 500,
    contentType: 'text/xml;charset=UTF-8',
    body: envelope(`<soapenv:Fault><faultcode>${faultcode}</faultcode><faultstring>${m}</faultstring><detail><axlError><axlcode>${code}</axlcode><axlmessage>${m}</axlmessage><request>${escapeXml(operation)}</request></axlError></detail></soapenv:Fault>`),
  };
}

/** A SOAP fault without axlError (a request the server could not read at all). */
export function soapFault(message: string, faultcode = 'soapenv:Client'): Reply {
  return { status: 500, contentType: 'text/xml;charset=UTF-8', body: envelope(`<soapenv:Fault><faultcode>${faultcode}</faultcode><faultstring>${escapeXml(message)}</faultstring></soapenv:Fault>`) };
}

export function notFound(operation: string, display: string): Reply {
  return axlFault(operation, 5007, `Item not valid: The specified ${display} was not found`);
}

export function duplicate(operation: string): Reply {
  return axlFault(operation, -239, 'Could not insert new row - duplicate value in a UNIQUE INDEX column (Unique Index:).', 'soapenv:Client');
}

export function html(status: number, title: string, message: string, headers?: Record<string, string>): Reply {
  return {
    status,
    contentType: 'text/html;charset=utf-8',
    body: `<html><head><title>${escapeXml(title)}</title></head><body><h1>HTTP Status ${status} - ${escapeXml(message)}</h1><p><b>Message:</b> ${escapeXml(message)}</p></body></html>`,
    ...(headers ? { headers } : {}),
  };
}

export function incorrectVersion(supported: string): Reply {
  return html(599, 'Incorrect axl version', `Incorrect axl version. Supported axl versions are ${supported}`);
}
