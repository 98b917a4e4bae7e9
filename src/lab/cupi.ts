// The lab's CUPI endpoint: HTTPS on 127.0.0.1, `/vmrest/…`, basic auth of a Unity Connection
// administrator, JSON only, answering from an in-memory configuration seeded like a fresh
// Unity Connection with one SIP integration. Behaviour from Cisco's CUPI pages ("SIP Profiles",
// "Port Groups and Ports", "Restriction Patterns", "Restriction Tables", "Class of Service") and
// the C# Cisco.UnityConnection.RestFunctions SDK (see src/transport/cupi/client.ts):
// - values are strings; lists are `{ "@total": "N", "<Element>": [ … ] }`, paged by
//   rowsPerPage/pageNumber; [I] a list of one is an object, not an array;
// - POST → 201 with the new object's URI as body; PUT → 204; an unknown id → 404;
// - a SIP security profile's DisplayName is made from Port and DoTLS ("5061/TLS");
// - the default restriction pattern (`*`, last) cannot be edited or deleted; [I] a new pattern is
//   inserted before it.
// Tests switch faults on: 401 or 403 for every request, a write that takes effect and whose answer
// is lost (the connection dropped before the reply), a changed certificate.
import { createHash, randomUUID, X509Certificate } from 'node:crypto';
import * as https from 'node:https';
import { newKeyPair, privateKeyPem, selfSigned } from './pki.js';

export type CupiRecord = Record<string, string>;

export interface CupiLabState {
  sipSecurityProfiles: CupiRecord[];
  portGroups: CupiRecord[];
  /** Port group ObjectId → its servers. */
  portGroupServers: Map<string, CupiRecord[]>;
  restrictionTables: CupiRecord[];
  /** Restriction table ObjectId → its patterns. */
  restrictionPatterns: Map<string, CupiRecord[]>;
  coses: CupiRecord[];
}

export interface CupiSeed {
  portGroup?: string;
  /** Addresses of the Unified CM SIP servers of the integration (TLS port not set yet). */
  callManagers?: string[];
}

/** A fresh Unity Connection with one SIP integration to Unified CM ([I] default names of 12.5+). */
export function seedCupiState(seed: CupiSeed = {}): CupiLabState {
  const s: CupiLabState = { sipSecurityProfiles: [], portGroups: [], portGroupServers: new Map(), restrictionTables: [], restrictionPatterns: new Map(), coses: [] };
  s.sipSecurityProfiles.push({ ObjectId: randomUUID(), Port: '5060', DoTLS: 'false', DisplayName: '5060' });
  const pg = randomUUID();
  s.portGroups.push({ ObjectId: pg, DisplayName: seed.portGroup ?? 'PhoneSystem-1', TelephonyIntegrationMethodEnum: '2', SipDoSRTP: 'false', SipEnableNextGenSecurity: 'false', MediaSipSecurityProfileObjectId: s.sipSecurityProfiles[0]!.ObjectId!, SipTransportProtocolEnum: '10' });
  s.portGroupServers.set(pg, (seed.callManagers ?? ['192.0.2.10']).map((h, i) => ({ ObjectId: randomUUID(), HostOrIpAddress: h, Port: '5060', TlsPort: '0', Precedence: String(i), MediaRemoteServiceEnum: '100' })));
  for (const name of ['Default Fax', 'Default Outdial', 'Default System Transfer', 'Default Transfer']) {
    const id = randomUUID();
    s.restrictionTables.push({ ObjectId: id, DisplayName: name, DefaultBlocked: 'false', MinDigits: '1', MaxDigits: '30' });
    s.restrictionPatterns.set(id, [{ ObjectId: randomUUID(), RestrictionTableObjectId: id, NumberPattern: '*', Blocked: 'false', SequenceNumber: '0' }]);
  }
  const id = (n: string): string => s.restrictionTables.find((t) => t.DisplayName === n)!.ObjectId!;
  for (const name of ['System', 'Voice Mail User COS']) s.coses.push({ ObjectId: randomUUID(), DisplayName: name, FaxRestrictionObjectId: id('Default Fax'), OutcallRestrictionObjectId: id('Default Outdial'), XferRestrictionObjectId: id('Default Transfer') });
  return s;
}

export interface CupiRequestLog {
  method: string;
  path: string;
  status: number;
  body: string;
}

export type CupiFault = 'unauthorized' | 'forbidden' | 'lose-write-answer';

export interface CupiSimulator {
  host: string;
  port: number;
  pin: string;
  state: CupiLabState;
  requests: CupiRequestLog[];
  fault(mode: CupiFault | null): void;
  rotateCertificate(): Promise<string>;
  close(): Promise<void>;
}

async function cert(cn: string): Promise<{ key: string; cert: string; pin: string }> {
  const keys = await newKeyPair();
  const pem = await selfSigned(`CN=${cn.replace(/[,=+<>#;"\\]/g, ' ')}, OU=lab, O=collabsec`, keys);
  return { key: await privateKeyPem(keys), cert: pem, pin: 'sha256:' + createHash('sha256').update(new X509Certificate(pem).raw).digest('hex') };
}

type Reply = { status: number; body?: unknown };
const GUID = '([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})';
const MAX_REQUEST_BYTES = 1024 * 1024;

function page(list: CupiRecord[], element: string, q: URLSearchParams): Reply {
  const rows = Math.min(Math.max(Number(q.get('rowsPerPage') ?? 50) || 50, 1), 2000);
  const n = Math.max(Number(q.get('pageNumber') ?? 1) || 1, 1);
  const slice = list.slice((n - 1) * rows, n * rows);
  const body: Record<string, unknown> = { '@total': String(list.length) };
  if (slice.length === 1) body[element] = slice[0];
  else if (slice.length > 1) body[element] = slice;
  return { status: 200, body };
}

function error(status: number, message: string): Reply {
  return { status, body: { ErrorDetails: { errors: { code: status === 404 ? 'NOT_FOUND' : 'DATA_EXCEPTION', message } } } };
}

/** Only fields a string can hold, none that names the object's identity. */
function fields(body: unknown): CupiRecord | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const out: CupiRecord = {};
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return undefined;
    if (k === 'ObjectId' || k === 'URI') continue;
    out[k] = String(v);
  }
  return out;
}

export function handleCupi(s: CupiLabState, method: string, url: URL, body: unknown): Reply {
  const p = url.pathname.replace(/\/+$/, '');
  const q = url.searchParams;
  let m: RegExpExecArray | null;
  const f = fields(body);
  if (p === '/vmrest/sipsecurityprofiles') {
    if (method === 'GET') return page(s.sipSecurityProfiles, 'SipSecurityProfile', q);
    if (method === 'POST') {
      const port = Number(f?.Port);
      if (!Number.isInteger(port) || port < 1024 || port > 65535) return error(400, 'Port must be a number between 1024 and 65535');
      const tls = f?.DoTLS === 'true';
      if (s.sipSecurityProfiles.some((x) => Number(x.Port) === port)) return error(400, `a SIP security profile for port ${port} already exists`);
      const id = randomUUID();
      s.sipSecurityProfiles.push({ ObjectId: id, Port: String(port), DoTLS: String(tls), DisplayName: tls ? `${port}/TLS` : String(port) });
      return { status: 201, body: `/vmrest/sipsecurityprofiles/${id}` };
    }
  }
  if (p === '/vmrest/portgroups' && method === 'GET') return page(s.portGroups, 'PortGroup', q);
  if ((m = new RegExp(`^/vmrest/portgroups/${GUID}$`).exec(p))) {
    const pg = s.portGroups.find((x) => x.ObjectId === m![1]);
    if (!pg) return error(404, 'port group not found');
    if (method === 'GET') return { status: 200, body: pg };
    if (method === 'PUT') {
      if (!f) return error(400, 'unreadable body');
      if (f.MediaSipSecurityProfileObjectId !== undefined && !s.sipSecurityProfiles.some((x) => x.ObjectId === f.MediaSipSecurityProfileObjectId)) return error(400, 'unknown SIP security profile');
      Object.assign(pg, f);
      return { status: 204 };
    }
  }
  if ((m = new RegExp(`^/vmrest/portgroups/${GUID}/portgroupservers(?:/${GUID})?$`).exec(p))) {
    const list = s.portGroupServers.get(m[1]!);
    if (!list) return error(404, 'port group not found');
    if (m[2] === undefined && method === 'GET') return page(list, 'PortGroupServer', q);
    if (m[2] === undefined && method === 'POST') {
      if (!f?.HostOrIpAddress || !/^[A-Za-z0-9.:-]{1,255}$/.test(f.HostOrIpAddress)) return error(400, 'HostOrIpAddress is required');
      const id = randomUUID();
      list.push({ Port: '0', TlsPort: '0', Precedence: '0', MediaRemoteServiceEnum: '100', ...f, ObjectId: id, MediaPortGroupObjectId: m[1]! });
      return { status: 201, body: `/vmrest/portgroups/${m[1]!}/portgroupservers/${id}` };
    }
    const one = list.find((x) => x.ObjectId === m![2]);
    if (!one) return error(404, 'port group server not found');
    if (method === 'GET') return { status: 200, body: one };
    if (method === 'PUT' && f) return (Object.assign(one, f), { status: 204 });
  }
  if (p === '/vmrest/restrictiontables' && method === 'GET') return page(s.restrictionTables, 'RestrictionTable', q);
  if (p === '/vmrest/coses' && method === 'GET') return page(s.coses, 'Cos', q);
  if ((m = new RegExp(`^/vmrest/restrictiontables/${GUID}/restrictionpatterns$`).exec(p))) {
    const list = s.restrictionPatterns.get(m[1]!);
    if (!list) return error(404, 'restriction table not found');
    if (method === 'GET') return page(list, 'RestrictionPattern', q);
    if (method === 'POST') {
      if (!f?.NumberPattern || !/^[0-9*#?+]{1,40}$/.test(f.NumberPattern)) return error(400, 'NumberPattern is invalid');
      const id = randomUUID();
      // [I] Inserted before the default pattern, which stays last.
      const last = list.pop();
      list.push({ ObjectId: id, RestrictionTableObjectId: m[1]!, NumberPattern: f.NumberPattern, Blocked: f.Blocked ?? 'true' });
      if (last) list.push(last);
      list.forEach((x, i) => (x.SequenceNumber = String(i)));
      return { status: 201, body: `/vmrest/restrictiontables/${m[1]!}/restrictionpatterns/${id}` };
    }
  }
  return error(404, 'no such resource');
}

function authorised(header: string | undefined, users: Record<string, string>): boolean {
  const m = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header ?? '');
  if (!m) return false;
  const plain = Buffer.from(m[1]!, 'base64').toString('utf8');
  const i = plain.indexOf(':');
  return i > 0 && Object.hasOwn(users, plain.slice(0, i)) && users[plain.slice(0, i)] === plain.slice(i + 1);
}

export async function startCupiSimulator(o: { users: Record<string, string>; state?: CupiLabState; commonName?: string; host?: string }): Promise<CupiSimulator> {
  const host = o.host ?? '127.0.0.1';
  let tls = await cert(o.commonName ?? host);
  let mode: CupiFault | null = null;
  const state = o.state ?? seedCupiState();
  const requests: CupiRequestLog[] = [];
  const server = https.createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const log: CupiRequestLog = { method: req.method ?? '', path: req.url ?? '', status: 0, body: '' };
    requests.push(log);
    const send = (r: Reply): void => {
      log.status = r.status;
      if (r.body === undefined) return void res.writeHead(r.status).end();
      const text = typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
      res.writeHead(r.status, { 'Content-Type': typeof r.body === 'string' ? 'text/plain' : 'application/json' }).end(text);
    };
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (d: Buffer) => {
      size += d.length;
      if (size <= MAX_REQUEST_BYTES) chunks.push(d);
    });
    req.on('end', () => {
      if (mode === 'unauthorized' || !authorised(req.headers.authorization, o.users)) return send({ status: 401, body: 'Unauthorized' });
      if (size > MAX_REQUEST_BYTES) return send(error(413, 'request too large'));
      log.body = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      if (log.body !== '') {
        try {
          body = JSON.parse(log.body) as unknown;
        } catch {
          return send(error(400, 'unreadable JSON'));
        }
      }
      if (mode === 'forbidden') return send({ status: 403, body: 'Forbidden' });
      const r = handleCupi(state, req.method ?? 'GET', new URL(req.url ?? '/', 'https://lab'), body);
      // The write took effect; the answer never leaves (a dropped connection).
      if (mode === 'lose-write-answer' && req.method !== 'GET') return void (log.status = -1, req.socket.destroy());
      send(r);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  const sim: CupiSimulator = {
    host,
    port,
    pin: tls.pin,
    state,
    requests,
    fault: (m) => void (mode = m),
    async rotateCertificate() {
      tls = await cert(o.commonName ?? host);
      server.setSecureContext({ key: tls.key, cert: tls.cert });
      server.closeAllConnections();
      sim.pin = tls.pin;
      return tls.pin;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return sim;
}
