// The TLS probe against real TLS servers on 127.0.0.1 with certificates minted at test time:
// the presented chain is judged like `collabsec cert check`; a port that refuses, speaks plain
// text, closes, or hangs before or during the handshake gets its own verdict within the budget;
// XMPP STARTTLS (RFC 6120 §5.4.2) and the bytes a probe writes (never more than the handshake).
import * as net from 'node:net';
import * as tls from 'node:tls';
import type { X509Certificate } from '@peculiar/x509';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkPresented, fingerprint, probeTls, type ProbeResult } from '../../src/transport/tls-probe.js';
import { expectationFor } from '../../src/verify/cert/expectations.js';
import { hasFailure } from '../../src/verify/cert/types.js';
import { D, US_CM, US_IMP, makeFixture, type Fixture } from '../cert/fixture.js';
import { leaf, pem, privateKeyPem, rootCa } from '../cert/pki.js';

let f: Fixture;
let keyPem: string;
let good: X509Certificate;
beforeAll(async () => {
  f = await makeFixture();
  keyPem = await privateKeyPem(f.leafKeys);
  good = await leaf(f.entCa, { cn: `us-cm-pub-ms.${D}`, sans: [...US_CM, ...US_IMP], keys: f.leafKeys });
});

const servers: net.Server[] = [];
const sockets = new Set<net.Socket>();
afterEach(async () => {
  for (const s of sockets) s.destroy();
  sockets.clear();
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

function listen(s: net.Server): Promise<number> {
  servers.push(s);
  s.on('connection', (c: net.Socket) => sockets.add(c));
  return new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve((s.address() as net.AddressInfo).port)));
}

function tlsServer(certs: X509Certificate[], key = keyPem): Promise<number> {
  return listen(tls.createServer({ cert: pem(...certs), key }, (s) => s.end()));
}

const target = (port: number, over = {}) => ({ node: 'us-cm-pub', host: '127.0.0.1', port, servername: `us-cm-pub.${D}`, timeoutMs: 3_000, ...over });
const ok = (r: ProbeResult): r is ProbeResult & { ok: true } => r.ok;

describe('a port presenting a certificate', () => {
  it('reads the chain leaf first and judges it against the role, the inventory names and roots', async () => {
    const r = await probeTls(target(await tlsServer([good, f.entCa.cert])));
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (!ok(r)) return;
    expect(r.chain.map((c) => c.subject)).toEqual([good.subject, f.entCa.cert.subject]);
    expect(r.sha256).toBe(fingerprint(good.rawData));
    const role = f.role('cucm/tomcat');
    const report = await checkPresented(r, { role, expectation: expectationFor(f.inv, role, 'us'), anchors: f.anchors, installed: fingerprint(good.rawData) });
    expect(hasFailure(report), JSON.stringify(report.verdicts, null, 1)).toBe(false);
    expect(report.verdicts[0]).toMatchObject({ check: 'installed', status: 'pass' });
  });

  it('a self-signed certificate (install not done, or the service not restarted) fails the chain and the installed check', async () => {
    const self = await rootCa(`us-cm-pub.${D}`, f.otherKeys);
    const r = await probeTls(target(await tlsServer([self.cert], await privateKeyPem(f.otherKeys))));
    if (!ok(r)) throw new Error(r.message);
    const role = f.role('cucm/tomcat');
    const report = await checkPresented(r, { role, expectation: expectationFor(f.inv, role, 'us'), anchors: f.anchors, installed: fingerprint(good.rawData) });
    expect(hasFailure(report)).toBe(true);
    expect(report.verdicts[0]).toMatchObject({ check: 'installed', status: 'fail' });
    expect(report.verdicts.find((v) => v.check === 'installed')!.message).toContain(r.sha256);
  });

  it('a certificate for other names fails the names check', async () => {
    const other = await leaf(f.entCa, { cn: `elsewhere.${D}`, sans: [`elsewhere.${D}`], keys: f.leafKeys });
    const r = await probeTls(target(await tlsServer([other, f.entCa.cert])));
    if (!ok(r)) throw new Error(r.message);
    const role = f.role('cucm/tomcat');
    const report = await checkPresented(r, { role, expectation: expectationFor(f.inv, role, 'us'), anchors: f.anchors });
    expect(hasFailure(report)).toBe(true);
  });
});

describe('ports that present nothing get a verdict within the budget', () => {
  it('refused: nothing listens', async () => {
    const port = await listen(net.createServer());
    await new Promise((r) => servers.pop()!.close(r));
    const r = await probeTls(target(port));
    expect(r).toMatchObject({ ok: false, failure: 'refused' });
  });

  it('plain text: an HTTP or SSH banner answers the ClientHello', async () => {
    const port = await listen(net.createServer((s) => s.once('data', () => s.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n'))));
    const r = await probeTls(target(port));
    expect(r).toMatchObject({ ok: false });
    if (r.ok) return;
    expect(['not-tls', 'closed']).toContain(r.failure);
    const ssh = await listen(net.createServer((s) => s.write('SSH-2.0-OpenSSH_9.2\r\n')));
    const r2 = await probeTls(target(ssh));
    expect(r2).toMatchObject({ ok: false, failure: 'not-tls' });
  });

  it('closed: the port accepts and hangs up', async () => {
    const port = await listen(net.createServer((s) => s.destroy()));
    expect(await probeTls(target(port))).toMatchObject({ ok: false, failure: 'closed' });
  });

  it('silence after connect, and a handshake that stalls after the ClientHello: timeout, with which it was', async () => {
    const silent = await listen(net.createServer(() => undefined));
    const r = await probeTls(target(silent, { timeoutMs: 500 }));
    expect(r).toMatchObject({ ok: false, failure: 'timeout' });
    if (!r.ok) expect(r.message).toContain('the handshake stalled');
    const seen: Buffer[] = [];
    const stall = await listen(net.createServer((s) => s.on('data', (d: Buffer) => seen.push(d))));
    expect(await probeTls(target(stall, { timeoutMs: 500 }))).toMatchObject({ ok: false, failure: 'timeout' });
    // What reached the port is a TLS handshake record (0x16) and nothing else.
    expect(Buffer.concat(seen)[0]).toBe(0x16);
  });
});

describe('XMPP STARTTLS (IM and Presence 5222 / 5269)', () => {
  /** Minimal RFC 6120 server: header + features offering STARTTLS, `<proceed/>`, then TLS. */
  function xmppServer(certs: X509Certificate[], offer = true): Promise<{ port: number; before: () => string }> {
    let before = '';
    const s = net.createServer((sock) => {
      sock.on('data', function onData(d: Buffer) {
        before += d.toString();
        if (before.includes('<stream:stream') && !before.includes('<starttls')) {
          sock.write(`<?xml version='1.0'?><stream:stream from='${D}' id='1' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'><stream:features>${offer ? "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls>" : ''}<mechanisms/></stream:features>`);
          if (!offer) sock.end('</stream:stream>');
        }
        if (before.includes('<starttls')) {
          sock.off('data', onData);
          sock.write("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>", () => {
            const t = new tls.TLSSocket(sock, { isServer: true, cert: pem(...certs), key: keyPem });
            t.on('error', () => undefined);
          });
        }
      });
    });
    return listen(s).then((port) => ({ port, before: () => before }));
  }

  it('upgrades and reads the cup-xmpp chain; the probe wrote only the stream header and the STARTTLS request', async () => {
    const xmpp = await leaf(f.entCa, { cn: `us-imp-pub-ms.${D}`, sans: US_IMP, keys: f.leafKeys });
    const srv = await xmppServer([xmpp, f.entCa.cert]);
    const r = await probeTls(target(srv.port, { node: 'us-imp-pub', servername: `us-imp-pub.${D}`, starttls: 'xmpp-client', xmppDomain: D }));
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (ok(r)) expect(r.chain[0]!.subject).toBe(xmpp.subject);
    expect(srv.before()).toBe(`<?xml version='1.0'?><stream:stream to='${D}' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>`);
  });

  it('a server that does not offer STARTTLS: starttls-refused', async () => {
    const srv = await xmppServer([good], false);
    expect(await probeTls(target(srv.port, { starttls: 'xmpp-client' }))).toMatchObject({ ok: false, failure: 'starttls-refused' });
  });
});
