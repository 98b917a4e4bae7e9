/**
 * The AXL client: one Unified CM publisher, one schema version, HTTPS with the server
 * certificate pinned (pinned-agent.ts). Sources:
 * - Endpoint `https://<publisher>:8443/axl/`, HTTP POST, basic auth of an application user with
 *   "Standard AXL API Access" (+ "Standard CCM Admin Users"): Cisco AXL Developer Guide
 *   (developer.cisco.com/docs/axl-developer-guide, "AXL HTTP Request Basics", "Authentication")
 *   and the AXL 10.0 FAQ ("What role is required for a user to access AXL?").
 * - Namespace and SOAPAction per version: the published AXLSoap.xsd/AXLAPI.wsdl (envelope.ts).
 * - Faults: HTTP 500 + SOAP Fault with `axlError` (axlcode, axlmessage, request) — Cisco community
 *   thread 50791 (5007 "Item not valid: The specified User was not found"); -239 "Could not insert
 *   new row - duplicate value in a UNIQUE INDEX column" (quoted by public AXL clients).
 * - A version the server does not speak: HTTP 599 "Incorrect axl version. Supported axl versions
 *   are 12.x, 14.0 and 15.0" (quoted by public AXL clients' fixtures, e.g. AletheiaUC); a 500
 *   fault saying the same is mapped alike [I].
 * - Throttling: the Developer Guide's "Data Throttling and Performance": AXL answers HTTP 503
 *   while it sheds load, writes are throttled, send them one at a time and back off.
 * - 401 for bad credentials, 403 for a user without the AXL role [I: the usual Tomcat answers;
 *   Cisco's guide does not print them].
 * Retry policy: 503 is retried (nothing was processed) with exponential back-off and jitter
 * inside `throttleBudgetMs`; a connection that fails before the request left is retried once;
 * a timeout or a drop after a WRITE left is AxlInDoubt and never retried (the caller reads back);
 * a read is retried once. Writes go one at a time per client.
 */
import type { HttpsNodeOptions } from '../https-node.js';
import { axlEnvelope, type AxlRequest } from './envelope.js';
import {
  AxlAuthFailed,
  AxlBadResponse,
  AxlFault,
  AxlForbidden,
  AxlHttpError,
  AxlInDoubt,
  AxlThrottled,
  AxlTimeout,
  AxlUnreachable,
  AxlVersionMismatch,
} from './errors.js';
import { ConnectFailure, PinnedAgent } from './pinned-agent.js';
import { pinnedRequest, SentFailure, type PinnedReply } from './pinned-request.js';
import { MAX_RESPONSE_BYTES, parseAxlResponse } from './response.js';
import { apiVersion, type AxlVersion } from './version.js';
import type { AxlRecord, AxlValue } from './xml-write.js';
import { sleep } from '../sleep.js';

export interface AxlClientOptions extends HttpsNodeOptions {
  /** The cluster's `cucm[].version`. */
  version: AxlVersion;
  /** Total time spent backing off from HTTP 503 for one call (default 60 s). */
  throttleBudgetMs?: number;
  /** First back-off after a 503 (default 1 s), doubled each time, with jitter. */
  backoffMs?: number;
  /** Jitter source in [0, 1) (tests). */
  random?: () => number;
}

export interface AxlCallOptions {
  /** Default: every operation but get…, list… and executeSQLQuery is a write. */
  write?: boolean;
  signal?: AbortSignal;
}

export interface AxlClient {
  readonly node: string;
  readonly version: AxlVersion;
  /** The request `call` would send (dry-run display); throws AxlPayloadError for a bad payload. */
  request(operation: string, payload: AxlRecord): AxlRequest;
  /** Sends one operation; resolves to the response element as plain JS (`{ return: … }`). */
  call(operation: string, payload: AxlRecord, opts?: AxlCallOptions): Promise<AxlRecord>;
  close(): void;
}

const READ_OPS = /^(get|list|executeSQLQuery$)/;
const MAX_BACKOFF_MS = 30_000;

/** The object a request is about, for messages: its `name`, or its first child's `name`. */
export function objectOf(payload: AxlRecord): string | undefined {
  const name = (v: AxlValue | undefined): string | undefined => (typeof v === 'string' ? v.slice(0, 100) : undefined);
  if (name(payload.name) !== undefined) return name(payload.name);
  const first = Object.values(payload)[0];
  if (first !== undefined && typeof first === 'object' && !Array.isArray(first)) return name(first.name) ?? name(first.uuid);
  return name(payload.uuid);
}



/** A one-line, printable summary of a non-SOAP body (HTML error pages). */
function summary(body: string): string {
  const text = body.replace(/<[^>]*>/g, ' ').replace(/&[a-z]+;/g, ' ').replace(/[^\x20-\x7e]+/g, ' ').replace(/\s+/g, ' ').trim();
  // The 599 page repeats its message (title, heading, paragraph): keep the sentence with the versions.
  const msg = /Incorrect axl version\.\s*Supported axl versions are [0-9x., ]*(?:and [0-9x.]+)?/i.exec(text)?.[0].trim() ?? text;
  return msg.slice(0, 200);
}

const VERSION_TEXT = /incorrect axl version|unsupported axl version|axl version[^.]{0,40}not supported/i;

export function createAxlClient(o: AxlClientOptions): AxlClient {
  const timeoutMs = o.timeoutMs ?? 60_000;
  const budgetMs = o.throttleBudgetMs ?? 60_000;
  const backoffMs = o.backoffMs ?? 1000;
  const random = o.random ?? Math.random;
  const agent = new PinnedAgent({ node: o.node, host: o.host, port: o.port, pins: o.pins, ...(o.confirm ? { confirm: o.confirm } : {}), connectTimeoutMs: timeoutMs });
  // Built once and kept in this closure only: never in an error, a log line or a child process.
  const authorization = `Basic ${Buffer.from(`${o.username}:${o.password}`, 'utf8').toString('base64')}`;
  const address = `${o.host}:${o.port}`;
  let writes: Promise<unknown> = Promise.resolve();

  const post = (req: AxlRequest, signal?: AbortSignal): Promise<PinnedReply> =>
    pinnedRequest(agent, {
      host: o.host,
      port: o.port,
      path: '/axl/',
      method: 'POST',
      headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: req.soapAction, Authorization: authorization },
      body: Buffer.from(req.body, 'utf8'),
      ...(signal ? { signal } : {}),
      timeoutMs,
      maxBytes: MAX_RESPONSE_BYTES,
    });

  const send = async (req: AxlRequest, write: boolean, object: string | undefined, signal?: AbortSignal): Promise<AxlRecord> => {
    const op = req.operation;
    const started = Date.now();
    let throttled = 0;
    let connectRetried = false;
    let readRetried = false;
    for (;;) {
      let raw: PinnedReply;
      try {
        raw = await post(req, signal);
      } catch (e) {
        if (e instanceof ConnectFailure) {
          // Nothing left on this connection: safe to try once more, read or write.
          if (!connectRetried) {
            connectRetried = true;
            continue;
          }
          throw new AxlUnreachable(o.node, op, address, e.message);
        }
        if (!(e instanceof SentFailure)) throw e;
        if (e.kind === 'too-large') throw new AxlBadResponse(o.node, op, e.message);
        if (write) throw new AxlInDoubt(o.node, op, object, e.message);
        if (e.kind === 'aborted') throw signal?.reason ?? e;
        if (!readRetried) {
          readRetried = true;
          continue;
        }
        if (e.kind === 'timeout') throw new AxlTimeout(o.node, op, timeoutMs);
        throw new AxlUnreachable(o.node, op, address, e.message);
      }
      if (raw.status === 503) {
        throttled++;
        const delay = Math.min(backoffMs * 2 ** (throttled - 1), MAX_BACKOFF_MS) * (0.5 + random() / 2);
        if (Date.now() - started + delay > budgetMs) throw new AxlThrottled(o.node, op, object, budgetMs, throttled);
        await sleep(delay, signal);
        continue;
      }
      if (raw.status === 401) throw new AxlAuthFailed(o.node, op, o.username);
      if (raw.status === 403) throw new AxlForbidden(o.node, op, o.username);
      if (VERSION_TEXT.test(raw.text) && raw.status !== 200) throw new AxlVersionMismatch(o.node, op, o.version, apiVersion(o.version), summary(raw.text));
      if (raw.status !== 200 && raw.status !== 500) throw new AxlHttpError(o.node, op, raw.status, summary(raw.text));
      let reply;
      try {
        reply = parseAxlResponse(raw.text, op);
      } catch (e) {
        if (raw.status === 500) throw new AxlHttpError(o.node, op, 500, summary(raw.text));
        throw new AxlBadResponse(o.node, op, (e as Error).message.slice(0, 200));
      }
      if (reply.ok) return reply.result;
      const f = reply.fault;
      if (VERSION_TEXT.test(f.message)) throw new AxlVersionMismatch(o.node, op, o.version, apiVersion(o.version), f.message.slice(0, 200));
      throw new AxlFault(o.node, op, object, f.code, f.message.replace(/[^\x20-\x7e\u00a0-\uffff]+/g, ' ').slice(0, 300));
    }
  };

  return {
    node: o.node,
    version: o.version,
    request: (operation, payload) => axlEnvelope(operation, payload, o.version),
    async call(operation, payload, opts = {}) {
      // Built before queueing: a bad payload (AxlPayloadError) is refused without waiting for other writes.
      const req = axlEnvelope(operation, payload, o.version);
      const write = opts.write ?? !READ_OPS.test(operation);
      const run = (): Promise<AxlRecord> => send(req, write, objectOf(payload), opts.signal);
      if (!write) return run();
      const p = writes.then(run, run);
      writes = p.catch(() => undefined);
      return p;
    },
    close: () => agent.destroy(),
  };
}
