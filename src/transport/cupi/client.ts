/**
 * The CUPI client: one Unity Connection node, HTTPS with the server certificate pinned on first
 * use (the AXL PinnedAgent), JSON in and out, HTTP basic auth of a Unity Connection
 * administrator. Sources (Cisco "Cisco Unity Connection Provisioning Interface (CUPI) API" pages,
 * as mirrored in the public Cisco Unity Connection API documentation; and the open-source
 * Cisco.UnityConnection.RestFunctions C# SDK, ConnectionServerRest/HTTPFunctions):
 * - Resources under `https://<connection-server>/vmrest/…`; `Accept: application/json` and
 *   `Content-Type: application/json` select JSON ("JSON Examples to List SIP Profiles",
 *   "Restriction Patterns — JSON Example").
 * - JSON values are strings (`"Port": "5065"`, `"DoTLS": "true"`); a list is an object with
 *   `@total` and the element name (`"SipSecurityProfile": […]`). [I] A list of exactly one comes
 *   back as an object instead of an array (the SDK's GetObjectsFromJson accepts both), so both are read.
 * - POST answers 201 with the new object's URI as the body (`/vmrest/portgroups/<id>`: the SDK
 *   reads ReturnedObjectId from it); PUT and DELETE answer 204.
 * - Paging: `rowsPerPage` and `pageNumber` query parameters (SDK GetPortGroupServers).
 * - 401 bad credentials, 403 not an administrator, 404 unknown object [I: the usual Tomcat
 *   answers; the CUPI pages do not print them]. Error bodies: [I] `ErrorDetails.errors.message`
 *   when present, else the body's text.
 * Retry policy as the AXL client's: a connection that fails before the request left is retried
 * once; a timeout or a drop after a WRITE left is "in doubt" and never retried (the caller reads
 * back); a read is retried once. Writes go one at a time per client.
 */
import { PinnedAgent } from '../axl/pinned-agent.js';
import { pinnedRequest, retryingRequest, type PinnedReply } from '../axl/pinned-request.js';
import type { HttpsNodeOptions } from '../https-node.js';
import { authFailed, CupiError, forbidden, oneLine, type CupiWhere } from './errors.js';

/** Unity Connection's tomcat (443). */
export type CupiClientOptions = HttpsNodeOptions;

export type CupiMethod = 'GET' | 'POST' | 'PUT';
/** A CUPI object as JSON: every value a string (see the header). */
export type CupiObject = Record<string, string>;

export interface CupiCall {
  method: CupiMethod;
  /** Absolute path, `/vmrest/…`, already encoded (see cupiPath). */
  path: string;
  /** JSON body for POST/PUT. */
  body?: CupiObject;
  /** For messages: step, operation and object. */
  step?: string;
  operation: string;
  object?: string;
  signal?: AbortSignal;
}

export interface CupiReply {
  status: number;
  /** Parsed JSON (GET), or undefined. */
  json?: unknown;
  /** Raw text (POST: the new object's URI). */
  text: string;
}

export interface CupiClient {
  readonly node: string;
  send(call: CupiCall): Promise<CupiReply>;
  /** Every object of a collection (`/vmrest/portgroups`), paged, at most `max` (default 2000). */
  list(path: string, element: string, where: Omit<CupiWhere, 'node'>, max?: number): Promise<CupiObject[]>;
  close(): void;
}

export const CUPI_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
const PAGE = 100;

/** A path from fixed parts and object ids: each id must be a GUID, so a name can never reach a path. */
export function cupiPath(template: string, ids: Record<string, string> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => {
    const id = ids[k];
    if (id === undefined || !/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(id)) throw new Error(`CUPI path ${template}: {${k}} is not an object id`);
    return id.toLowerCase();
  });
}

/** The objects of a CUPI JSON list: `{ "@total": "2", "PortGroup": [ … ] }` (or one object). */
export function listItems(json: unknown, element: string): CupiObject[] {
  if (json === null || typeof json !== 'object') return [];
  const v = (json as Record<string, unknown>)[element];
  const arr = Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
  return arr.filter((x): x is Record<string, unknown> => x !== null && typeof x === 'object').map((o) => Object.fromEntries(Object.entries(o).map(([k, val]) => [k, typeof val === 'string' ? val : JSON.stringify(val)])));
}

function errorText(text: string): string {
  try {
    const j = JSON.parse(text) as { ErrorDetails?: { errors?: { message?: unknown } | { message?: unknown }[] } };
    const e = j.ErrorDetails?.errors;
    const m = Array.isArray(e) ? e[0]?.message : e?.message;
    if (typeof m === 'string') return oneLine(m);
  } catch {
    // not JSON: an HTML error page
  }
  return oneLine(text.replace(/<[^>]*>/g, ' '));
}


export function createCupiClient(o: CupiClientOptions): CupiClient {
  const timeoutMs = o.timeoutMs ?? 60_000;
  const agent = new PinnedAgent({ node: o.node, host: o.host, port: o.port, pins: o.pins, ...(o.confirm ? { confirm: o.confirm } : {}), connectTimeoutMs: timeoutMs });
  // Built once and kept in this closure only: never in an error, a log line or a child process.
  const authorization = `Basic ${Buffer.from(`${o.username}:${o.password}`, 'utf8').toString('base64')}`;
  let writes: Promise<unknown> = Promise.resolve();

  const exchange = (c: CupiCall): Promise<PinnedReply> =>
    pinnedRequest(agent, {
      host: o.host,
      port: o.port,
      path: c.path,
      method: c.method,
      headers: { Accept: 'application/json', Authorization: authorization, ...(c.body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      ...(c.body !== undefined ? { body: Buffer.from(JSON.stringify(c.body), 'utf8') } : {}),
      ...(c.signal ? { signal: c.signal } : {}),
      timeoutMs,
      maxBytes: CUPI_MAX_RESPONSE_BYTES,
    });

  const run = async (c: CupiCall): Promise<CupiReply> => {
    const w: CupiWhere = { node: o.node, operation: c.operation, ...(c.step !== undefined ? { step: c.step } : {}), ...(c.object !== undefined ? { object: c.object } : {}) };
    const write = c.method !== 'GET';
    const raw = await retryingRequest(() => exchange(c), {
      write,
      ...(c.signal ? { signal: c.signal } : {}),
      fail: (f) =>
        f.kind === 'in-doubt'
          ? new CupiError(w, 'in-doubt', `${f.message} after the request was sent: the write is in doubt`, 'read the object back (the step\'s check) before doing anything else')
          : f.kind === 'unreachable' && f.connect
            ? new CupiError(w, 'unreachable', `cannot reach https://${o.host}:${o.port}/vmrest/ (${f.message})`, 'check the Unity Connection node\'s address in the inventory and that Cisco Tomcat runs on it')
            : new CupiError(w, f.kind, f.message),
    });
    if (raw.status === 401) throw authFailed(w, o.username);
    if (raw.status === 403) throw forbidden(w, o.username);
    if (raw.status === 404) throw new CupiError(w, 'not-found', `not found (HTTP 404)${raw.text.trim() === '' ? '' : `: ${errorText(raw.text)}`}`);
    if (raw.status >= 400 && raw.status < 500) throw new CupiError(w, 'refused', `refused (HTTP ${raw.status}): ${errorText(raw.text)}`);
    if (raw.status < 200 || raw.status > 299) throw new CupiError(w, 'http', `unexpected HTTP ${raw.status}${raw.text.trim() === '' ? '' : `: ${errorText(raw.text)}`}`);
    if (c.method !== 'GET') return { status: raw.status, text: raw.text };
    try {
      return { status: raw.status, json: raw.text.trim() === '' ? {} : (JSON.parse(raw.text) as unknown), text: raw.text };
    } catch (e) {
      throw new CupiError(w, 'bad-response', `unreadable JSON (${oneLine((e as Error).message, 120)})`);
    }
  };

  const send = (c: CupiCall): Promise<CupiReply> => {
    if (c.method === 'GET') return run(c);
    const p = writes.then(() => run(c), () => run(c));
    writes = p.catch(() => undefined);
    return p;
  };

  return {
    node: o.node,
    send,
    async list(path, element, where, max = 2000) {
      const out: CupiObject[] = [];
      for (let page = 1; ; page++) {
        const sep = path.includes('?') ? '&' : '?';
        const r = await send({ method: 'GET', path: `${path}${sep}rowsPerPage=${PAGE}&pageNumber=${page}`, ...where });
        const items = listItems(r.json, element);
        out.push(...items);
        const total = Number((r.json as Record<string, unknown> | undefined)?.['@total'] ?? items.length);
        if (items.length < PAGE || out.length >= total) return out;
        if (out.length >= max) throw new CupiError({ node: o.node, ...where }, 'bad-response', `more than ${max} objects listed; nothing was written`);
      }
    },
    close: () => agent.destroy(),
  };
}
