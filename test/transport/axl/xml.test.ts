// Request building and response reading without a network.
import { describe, expect, it } from 'vitest';
import { axlEnvelope, parseAxlResponse, readXml, XmlReadError } from '../../../src/transport/axl/index.js';
import { checkPin, parseTlsPins, type SkippedPin } from '../../../src/transport/tls-pins.js';

describe('axlEnvelope', () => {
  it.each([
    ['12.5', '12.5'],
    ['14', '14.0'],
    ['15', '15.0'],
  ] as const)('version %s: namespace and SOAPAction %s', (v, api) => {
    const r = axlEnvelope('getPhone', { name: 'SEP001122334455' }, v);
    expect(r.namespace).toBe(`http://www.cisco.com/AXL/API/${api}`);
    expect(r.soapAction).toBe(`"CUCM:DB ver=${api} getPhone"`);
    expect(r.body).toContain(`<soapenv:Body><ns:getPhone><name>SEP001122334455</name></ns:getPhone></soapenv:Body>`);
  });

  it('keeps key order, repeats arrays, escapes text', () => {
    const r = axlEnvelope('x', { b: 1, a: { c: [true, 'x&y'] }, d: '' }, '15');
    expect(r.body).toContain('<ns:x><b>1</b><a><c>true</c><c>x&amp;y</c></a><d/></ns:x>');
  });

  it('refuses oversized values and bad names', () => {
    expect(() => axlEnvelope('x', { a: 'y'.repeat(70_000) }, '15')).toThrow(/AXL field a: is longer than/);
    expect(() => axlEnvelope('x<y', {}, '15')).toThrow(/not a valid AXL element name/);
    expect(() => axlEnvelope('x', { 'a:b': 'c' }, '15')).toThrow(/AXL field a:b/);
  });
});

describe('parseAxlResponse', () => {
  const env = (body: string) => `<?xml version='1.0' encoding='UTF-8'?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;

  it('reads a get response into plain JS', () => {
    const r = parseAxlResponse(env('<ns:getXResponse xmlns:ns="http://www.cisco.com/AXL/API/15.0"><return><x uuid="{A}"><name>n &amp; m</name><empty/><l>1</l><l>2</l></x></return></ns:getXResponse>'), 'getX');
    expect(r).toEqual({ ok: true, result: { return: { x: { '@uuid': '{A}', name: 'n & m', empty: '', l: ['1', '2'] } } } });
  });

  it('reads an axlError fault (Cisco community thread 50791)', () => {
    const r = parseAxlResponse(env('<soapenv:Fault><faultcode>soapenv:Server</faultcode><faultstring>Item not valid: The specified User was not found</faultstring><detail><axlError><axlcode>5007</axlcode><axlmessage>Item not valid: The specified User was not found</axlmessage><request>getUser</request></axlError></detail></soapenv:Fault>'), 'getUser');
    expect(r).toEqual({ ok: false, fault: { faultcode: 'soapenv:Server', faultstring: 'Item not valid: The specified User was not found', code: 5007, message: 'Item not valid: The specified User was not found', request: 'getUser' } });
  });

  it('refuses a DOCTYPE, unknown entities and excess', () => {
    expect(() => readXml('<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>')).toThrow(XmlReadError);
    expect(() => readXml('<x>&a;</x>')).toThrow(/unknown entity/);
    expect(() => readXml('<x>&#1;</x>')).toThrow(/not an XML character/);
    expect(() => readXml('<a>'.repeat(100) + '</a>'.repeat(100))).toThrow(/deeper/);
    expect(() => readXml(`<x>${'y'.repeat(100)}</x>`, { maxChars: 50 })).toThrow(/larger/);
    expect(() => parseAxlResponse(env('<ns:other xmlns:ns="u"/>'), 'getX')).toThrow(/expected getXResponse/);
  });
});

describe('TLS pin file', () => {
  it('reads pins, skips bad lines with a reason, decides trusted/unknown/changed', () => {
    const a = 'sha256:' + 'a'.repeat(64);
    const b = 'sha256:' + 'b'.repeat(64);
    const skipped: SkippedPin[] = [];
    const pins = parseTlsPins(`# comment\ncucm-pub:8443 ${a}\n[::1]:8443 ${b}\nbroken line here\nhost:99999 ${a}\nhost:1 sha256:XYZ\n`, 'f', skipped);
    expect(pins.map((p) => [p.host, p.port])).toEqual([['cucm-pub', 8443], ['::1', 8443]]);
    expect(skipped.map((s) => s.line)).toEqual([4, 5, 6]);
    expect(checkPin(pins, 'CUCM-PUB', 8443, a).status).toBe('trusted');
    expect(checkPin(pins, 'cucm-pub', 8443, b)).toEqual({ status: 'changed', sha256: b, known: [a] });
    expect(checkPin(pins, 'cucm-sub', 8443, a).status).toBe('unknown');
  });
});
