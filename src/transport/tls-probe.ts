// TLS probe (issue 22; shared/design/automation.md "TLS probe"): connect to a port a certificate
// serves and read the chain it presents — the one machine check for products without an API
// (TMS, Prime Collaboration, Meeting Management) and the proof, on any product, that an install
// and restart took effect. Read-only by construction: it writes the TLS ClientHello and, for XMPP,
// only the stream header and the STARTTLS request (RFC 6120 §5.4.2); it never authenticates.
// The chain is taken as presented (no verification during the handshake) and judged afterwards
// by the same checks as `collabsec cert check`.
import { createHash } from 'node:crypto';
import * as net from 'node:net';
import * as tls from 'node:tls';
import { X509Certificate } from '@peculiar/x509';
import type { Anchor } from '../verify/cert/chain.js';
import type { Expectation } from '../verify/cert/expectations.js';
import { checkCertificate } from '../verify/cert/report.js';
import type { Role } from '../verify/cert/roles.js';
import type { Report, Verdict } from '../verify/cert/types.js';

/** STARTTLS dialects before the handshake: XMPP client (5222) and server-to-server (5269), RFC 6120. */
export type StartTls = 'xmpp-client' | 'xmpp-server';

export interface ProbeTarget {
  /** Inventory node name, for messages. */
  node: string;
  host: string;
  port: number;
  /** SNI name (the node's FQDN); omitted for IP addresses. */
  servername?: string;
  starttls?: StartTls;
  /** XMPP `to` domain of the stream header (default: servername, else host). */
  xmppDomain?: string;
  /** Whole probe budget: connect, STARTTLS, handshake (default 10 s). */
  timeoutMs?: number;
}

export type ProbeFailure = 'refused' | 'timeout' | 'not-tls' | 'closed' | 'starttls-refused' | 'error';

export type ProbeResult =
  | { ok: true; target: ProbeTarget; chain: X509Certificate[]; sha256: string; protocol: string; elapsedMs: number }
  | { ok: false; target: ProbeTarget; failure: ProbeFailure; message: string; elapsedMs: number };

/** What the XMPP side may send before `<proceed/>` (stream header + features): bounded. */
const MAX_PREAMBLE = 64 * 1024;

/** "AA:BB:…" SHA-256 of a DER certificate, as openssl and the VOS GUI print it. */
export function fingerprint(der: ArrayBuffer | Uint8Array): string {
  const hex = createHash('sha256').update(der instanceof Uint8Array ? der : new Uint8Array(der)).digest('hex').toUpperCase();
  return hex.match(/.{2}/g)!.join(':');
}

function where(t: ProbeTarget): string {
  return `${t.node} (${t.host}:${t.port}${t.starttls ? `, STARTTLS ${t.starttls}` : ''})`;
}

/** The presented chain, leaf first, from node's detailed peer certificate (stops at a self-issued one). */
function presentedChain(socket: tls.TLSSocket): X509Certificate[] {
  const out: X509Certificate[] = [];
  const seen = new Set<string>();
  let c: tls.DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
  while (c && c.raw !== undefined && c.raw.length > 0) {
    const fp = c.fingerprint256;
    if (seen.has(fp)) break;
    seen.add(fp);
    out.push(new X509Certificate(new Uint8Array(c.raw)));
    if (c.issuerCertificate === undefined || c.issuerCertificate === c) break;
    c = c.issuerCertificate;
  }
  return out;
}

export function probeTls(target: ProbeTarget): Promise<ProbeResult> {
  const start = Date.now();
  const budget = target.timeoutMs ?? 10_000;
  return new Promise((resolve) => {
    let done = false;
    let secure: tls.TLSSocket | undefined;
    const finish = (r: { ok: true; chain: X509Certificate[]; protocol: string } | { ok: false; failure: ProbeFailure; message: string }): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      secure?.destroy();
      raw.destroy();
      const elapsedMs = Date.now() - start;
      if (r.ok) resolve({ ok: true, target, chain: r.chain, sha256: fingerprint(r.chain[0]!.rawData), protocol: r.protocol, elapsedMs });
      else resolve({ ok: false, target, failure: r.failure, message: `${where(target)}: ${r.message}`, elapsedMs });
    };
    const timer = setTimeout(() => finish({ ok: false, failure: 'timeout', message: `no TLS certificate within ${Math.round(budget / 1000)} s (${secure ? 'the handshake stalled' : raw.readyState === 'open' ? 'connected, then silence' : 'no connection'})` }), budget);
    const fail = (e: NodeJS.ErrnoException): void => {
      const code = e.code ?? '';
      if (code === 'ECONNREFUSED') return finish({ ok: false, failure: 'refused', message: 'connection refused (nothing listens on that port)' });
      if (code === 'ECONNRESET' || /socket disconnected|socket hang up/i.test(e.message)) return finish({ ok: false, failure: 'closed', message: 'the port closed the connection before presenting a certificate' });
      if (/wrong version number|packet length too long|unknown protocol|http request/i.test(e.message) || code === 'ERR_SSL_WRONG_VERSION_NUMBER')
        return finish({ ok: false, failure: 'not-tls', message: 'the port does not speak TLS (plain text answered the handshake)' });
      finish({ ok: false, failure: 'error', message: e.message.split('\n')[0]! });
    };
    const handshake = (socket: net.Socket): void => {
      // No verification here: the presented chain is judged afterwards, with the inventory's roots.
      secure = tls.connect({ socket, rejectUnauthorized: false, ...(target.servername !== undefined && net.isIP(target.servername) === 0 ? { servername: target.servername } : {}) });
      secure.once('secureConnect', () => {
        const chain = presentedChain(secure!);
        if (chain.length === 0) return finish({ ok: false, failure: 'error', message: 'the handshake completed without a certificate' });
        finish({ ok: true, chain, protocol: secure!.getProtocol() ?? 'TLS' });
      });
      secure.once('error', fail);
      secure.once('close', () => finish({ ok: false, failure: 'closed', message: 'the port closed the connection during the handshake' }));
    };
    const raw = net.connect({ host: target.host, port: target.port });
    raw.once('error', fail);
    raw.once('connect', () => {
      if (target.starttls === undefined) return handshake(raw);
      startTls(raw, target, (err) => (err === undefined ? handshake(raw) : finish({ ok: false, failure: err.failure, message: err.message })));
    });
  });
}

/** RFC 6120 §5.4.2: stream header, wait for `<proceed/>` (or `<failure/>`), then hand the socket to TLS. */
function startTls(socket: net.Socket, t: ProbeTarget, next: (err?: { failure: ProbeFailure; message: string }) => void): void {
  const ns = t.starttls === 'xmpp-server' ? 'jabber:server' : 'jabber:client';
  const domain = t.xmppDomain ?? t.servername ?? t.host;
  let buf = '';
  let asked = false;
  const onData = (d: Buffer): void => {
    buf += d.toString('utf8');
    if (buf.length > MAX_PREAMBLE) return stop({ failure: 'error', message: `more than ${MAX_PREAMBLE} bytes before STARTTLS could start` });
    if (/<failure[\s>/]/.test(buf) || /<\/stream:stream>/.test(buf)) return stop({ failure: 'starttls-refused', message: 'the server refused STARTTLS' });
    if (asked && /<proceed[\s>/]/.test(buf)) return stop();
    if (!asked && /<stream:features[\s>]/.test(buf) && /<\/stream:features>/.test(buf)) {
      if (!/<starttls[\s>/]/.test(buf)) return stop({ failure: 'starttls-refused', message: 'the server does not offer STARTTLS' });
      asked = true;
      socket.write(`<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>`);
    }
  };
  const onEnd = (): void => stop({ failure: 'closed', message: 'the port closed the connection before STARTTLS' });
  const stop = (err?: { failure: ProbeFailure; message: string }): void => {
    socket.off('data', onData);
    socket.off('end', onEnd);
    next(err);
  };
  socket.on('data', onData);
  socket.once('end', onEnd);
  socket.write(`<?xml version='1.0'?><stream:stream to='${xmlAttr(domain)}' xmlns='${ns}' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>`);
}

function xmlAttr(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface PresentedExpectation {
  role: Role;
  expectation?: Expectation;
  anchors?: Anchor[];
  intermediates?: X509Certificate[];
  /** SHA-256 ("AA:BB:…") of the certificate the step installed: the port must present exactly it. */
  installed?: string;
  now?: Date;
  expiryDays?: number;
}

/**
 * The presented chain judged like a file given to `collabsec cert check` (usages, names, key,
 * signature, validity, chain to the inventory's roots), plus: is it the certificate just installed?
 */
export async function checkPresented(r: ProbeResult & { ok: true }, e: PresentedExpectation): Promise<Report> {
  const report = await checkCertificate({
    file: `${r.target.host}:${r.target.port}`,
    certs: r.chain,
    role: e.role,
    ...(e.expectation !== undefined ? { expectation: e.expectation } : {}),
    ...(e.anchors !== undefined ? { anchors: e.anchors } : {}),
    ...(e.intermediates !== undefined ? { intermediates: e.intermediates } : {}),
    ...(e.now !== undefined ? { now: e.now } : {}),
    ...(e.expiryDays !== undefined ? { expiryDays: e.expiryDays } : {}),
  });
  if (e.installed !== undefined) {
    const same = e.installed.toUpperCase() === r.sha256;
    const v: Verdict = same
      ? { check: 'installed', status: 'pass', message: `presents the installed certificate (SHA-256 ${r.sha256})` }
      : { check: 'installed', status: 'fail', message: `presents SHA-256 ${r.sha256}, not the installed ${e.installed.toUpperCase()} (not installed on this node, or the service was not restarted)` };
    report.verdicts.unshift(v);
  }
  return report;
}
