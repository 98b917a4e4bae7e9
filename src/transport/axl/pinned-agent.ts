// HTTPS connections whose server certificate is checked against the pin store before a single
// HTTP byte (and so the Authorization header) is written. Node verifies a chain against CAs and
// only then calls checkServerIdentity; a self-signed tomcat certificate (Unified CM before S008)
// fails the first check, so chain verification is not used here (`rejectUnauthorized: false`)
// and is REPLACED, not skipped: the agent hands the socket to the HTTP request only after the
// leaf's SHA-256 matched a pin, or the operator accepted it (stored), and refuses it otherwise —
// TlsPinChanged for a changed certificate, TlsPinRejected for an unaccepted one.
import { X509Certificate } from 'node:crypto';
import * as https from 'node:https';
import type { Duplex } from 'node:stream';
import * as tls from 'node:tls';
import { checkPin, pinHostToken, pinOf, TlsPinChanged, TlsPinRejected, type TlsPinStore } from '../tls-pins.js';

export interface PinOptions {
  node: string;
  host: string;
  port: number;
  pins: TlsPinStore;
  /** Asked for a certificate with no pin yet: the pin (`sha256:<hex>`) and the subject; true stores it. */
  confirm?: (fingerprint: string, subject: string) => Promise<boolean>;
  /** Bound on TCP connect + TLS handshake (the operator's answer is not bounded). */
  connectTimeoutMs: number;
}

/** A connect-phase failure: nothing was sent on this connection. */
export class ConnectFailure extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'ConnectFailure';
  }
}

/** Subject DN on one line, printable characters only (the certificate is untrusted input). */
function subjectOf(der: Buffer): string {
  try {
    return new X509Certificate(der).subject.split('\n').join(', ').replace(/[^\x20-\x7e]/g, '?').slice(0, 300);
  } catch {
    return '(unreadable subject)';
  }
}

export class PinnedAgent extends https.Agent {
  /** Pins already matched in this process: later connections need no file read. */
  private readonly trusted = new Set<string>();
  /** One pin decision at a time, so concurrent first connections ask the operator once. */
  private deciding: Promise<void> = Promise.resolve();

  constructor(private readonly o: PinOptions) {
    // No TLS session cache: a resumed session skips the certificate, and every connection is checked.
    super({ keepAlive: true, maxSockets: 4, maxCachedSessions: 0 });
  }

  override createConnection(options: https.RequestOptions, callback?: (err: Error | null, stream: Duplex) => void): Duplex | null | undefined {
    const cb = callback ?? (() => undefined);
    const servername = typeof options.servername === 'string' && options.servername !== '' ? options.servername : undefined;
    // See the header: verification is by pin, below, before the socket is released to HTTP.
    const socket = tls.connect({ host: this.o.host, port: this.o.port, rejectUnauthorized: false, ...(servername !== undefined ? { servername } : {}) });
    let done = false;
    const finish = (err: Error | null): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.off('error', onError);
      if (err) {
        socket.destroy();
        cb(err, socket);
      } else cb(null, socket);
    };
    const onError = (e: NodeJS.ErrnoException): void => finish(new ConnectFailure(e.message.split('\n')[0]!, e.code ?? 'ERROR'));
    const timer = setTimeout(() => finish(new ConnectFailure(`no TLS handshake within ${Math.round(this.o.connectTimeoutMs / 1000)} s`, 'ETIMEDOUT')), this.o.connectTimeoutMs);
    socket.once('error', onError);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      this.verify(socket).then(
        () => finish(null),
        (e: Error) => finish(e),
      );
    });
    return null;
  }

  private async verify(socket: tls.TLSSocket): Promise<void> {
    const raw = socket.getPeerCertificate().raw as Buffer | undefined;
    if (raw === undefined || raw.length === 0) throw new ConnectFailure('the server presented no certificate', 'ENOCERT');
    const sha = pinOf(raw);
    if (this.trusted.has(sha)) return;
    const decision = this.deciding.then(() => this.decide(sha, raw));
    this.deciding = decision.catch(() => undefined);
    return decision;
  }

  private async decide(sha: string, raw: Buffer): Promise<void> {
    if (this.trusted.has(sha)) return;
    const { node, host, port, pins, confirm } = this.o;
    const address = pinHostToken(host, port);
    const status = checkPin(await pins.load(), host, port, sha);
    if (status.status === 'changed') throw new TlsPinChanged(node, address, sha, status.known);
    if (status.status === 'unknown') {
      if (confirm === undefined) throw new TlsPinRejected(node, address, sha, false);
      if (!(await confirm(sha, subjectOf(raw)))) throw new TlsPinRejected(node, address, sha, true);
      await pins.append(host, port, sha);
    }
    this.trusted.add(sha);
  }
}
