// One HTTPS request through a PinnedAgent, shared by the AXL and CUPI clients (and any product
// API that pins its certificate). What matters to callers is WHEN it failed: before the socket
// was handed over (ConnectFailure, a pin refusal: nothing left, safe to retry) or after
// (SentFailure: the request may have reached the server, so a write is in doubt).
import * as https from 'node:https';
import { TlsPinChanged, TlsPinRejected } from '../tls-pins.js';
import { ConnectFailure, type PinnedAgent } from './pinned-agent.js';

/** Failure after the socket was handed over (the request may have left). */
export class SentFailure extends Error {
  constructor(readonly kind: 'timeout' | 'dropped' | 'aborted' | 'too-large', message: string) {
    super(message);
  }
}

export interface PinnedRequest {
  host: string;
  port: number;
  path: string;
  method: string;
  /** Content-Length is added for a body. */
  headers: Record<string, string>;
  body?: Buffer;
  signal?: AbortSignal;
  /** The answer's bound once the request has left. */
  timeoutMs: number;
  /** A larger reply is cut off (SentFailure 'too-large'). */
  maxBytes: number;
}

export interface PinnedReply {
  status: number;
  contentType: string;
  text: string;
}

export function pinnedRequest(agent: PinnedAgent, q: PinnedRequest): Promise<PinnedReply> {
  return new Promise((resolve, reject) => {
    let sent = false;
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    const settle = (err: Error | null, reply?: PinnedReply): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      q.signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve(reply!);
    };
    const r = https.request({
      agent,
      host: q.host,
      port: q.port,
      path: q.path,
      method: q.method,
      headers: { ...q.headers, ...(q.body ? { 'Content-Length': q.body.length } : {}) },
    });
    const fail = (kind: SentFailure['kind'], message: string): void => {
      settle(sent ? new SentFailure(kind, message) : kind === 'aborted' ? (q.signal!.reason as Error) : new ConnectFailure(message, kind));
      r.destroy();
    };
    const onAbort = (): void => fail('aborted', 'interrupted');
    if (q.signal?.aborted) return settle(q.signal.reason as Error);
    q.signal?.addEventListener('abort', onAbort, { once: true });
    r.once('socket', () => {
      // The agent releases a socket only once the certificate is pinned: from here the request leaves.
      sent = true;
      timer = setTimeout(() => fail('timeout', `no answer within ${Math.round(q.timeoutMs / 1000)} s`), q.timeoutMs);
    });
    r.once('error', (e: Error) => {
      if (e instanceof TlsPinChanged || e instanceof TlsPinRejected || e instanceof ConnectFailure) return settle(e);
      fail('dropped', `the connection dropped (${e.message.split('\n')[0]!.replace(/[^\x20-\x7e]+/g, ' ').slice(0, 120)})`);
    });
    r.once('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (d: Buffer) => {
        size += d.length;
        if (size > q.maxBytes) return fail('too-large', `response larger than ${q.maxBytes} bytes`);
        chunks.push(d);
      });
      res.once('end', () => settle(null, { status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), text: Buffer.concat(chunks).toString('utf8') }));
      res.once('aborted', () => fail('dropped', 'the connection dropped during the response'));
      res.once('error', () => fail('dropped', 'the connection dropped during the response'));
    });
    r.end(q.body);
  });
}

/** Why a request through retryingRequest finally failed; each client words it (and its remedy) itself. */
export type RequestFailure =
  | { kind: 'unreachable'; message: string; connect: boolean }
  | { kind: 'bad-response'; message: string }
  | { kind: 'in-doubt'; message: string }
  | { kind: 'timeout'; message: string };

/**
 * The retry rule the pinned API clients share: a failure before anything left (ConnectFailure) is
 * retried once; a read that failed after sending is retried once; a write that failed after
 * sending is never retried — it is in doubt, and the step's read-back settles it.
 */
export async function retryingRequest(send: () => Promise<PinnedReply>, opts: { write: boolean; signal?: AbortSignal; fail: (f: RequestFailure) => Error }): Promise<PinnedReply> {
  let connectRetried = false;
  let readRetried = false;
  for (;;) {
    try {
      return await send();
    } catch (e) {
      if (e instanceof ConnectFailure) {
        if (!connectRetried) {
          connectRetried = true;
          continue;
        }
        throw opts.fail({ kind: 'unreachable', message: e.message, connect: true });
      }
      if (!(e instanceof SentFailure)) throw e;
      if (e.kind === 'too-large') throw opts.fail({ kind: 'bad-response', message: e.message });
      if (opts.write) throw opts.fail({ kind: 'in-doubt', message: e.message });
      if (e.kind === 'aborted') throw opts.signal?.reason ?? e;
      if (!readRetried) {
        readRetried = true;
        continue;
      }
      throw opts.fail(e.kind === 'timeout' ? { kind: 'timeout', message: e.message } : { kind: 'unreachable', message: e.message, connect: false });
    }
  }
}
