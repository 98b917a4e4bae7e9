// The Unity Connection CUPI requests of a plan (issue 21: S042, S043, S044, S125), built here so
// that the dry-run shows what the live run sends: each task's reads (GET, always sent) and its
// writes (POST/PUT, sent only where the read before shows the state missing). Object ids are not
// known before the run: a path names them as `{name}` (the port group `{PhoneSystem-1}`), and the
// runner looks each up by name and puts only a GUID in the path (src/transport/cupi/client.ts
// cupiPath). Resources, fields and sources: src/transport/cupi/ensure.ts.
// Every value is checked for its kind before it goes in a body: ports as integers, names and
// host names by bounded patterns, number patterns by the restriction-pattern alphabet. No control
// character, quote or slash can reach a request.
import type { ApiRequest } from './types.js';

/** What the runner does on one Unity Connection node; structurally the transport's CupiTask. */
export type CupiTaskSpec =
  | { kind: 'sip-security-profile'; port: number }
  | { kind: 'port-group-security'; portGroup: string; profilePort: number }
  | { kind: 'port-group-servers'; portGroup: string; tlsPort: number; tftp: string[] }
  | { kind: 'restriction-patterns'; tables: string[]; blocked: string[] };

export class CupiValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CupiValueError';
  }
}

/** A port group's display name (the inventory's objectName rule). */
const PORT_GROUP = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** A restriction table's display name (the inventory's cupiName rule). */
const TABLE = /^(?=.{1,64}$)[A-Za-z0-9][A-Za-z0-9._()-]*(?: [A-Za-z0-9._()-]+)*$/;
/** A number pattern (CUPI "Restriction Patterns"; `#`, `+` [I]). */
const PATTERN = /^[0-9*#?+]{1,40}$/;
/** A host name, FQDN or IPv4 address. */
const HOST = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const MAX_ITEMS = 100;

const shown = (s: string): string => JSON.stringify(s.slice(0, 60));

function check(kind: string, v: string, re: RegExp): string {
  if (!re.test(v)) throw new CupiValueError(`${kind} ${shown(v)} is not valid for CUPI`);
  return v;
}

function checkPort(kind: string, n: number): number {
  if (!Number.isInteger(n) || n < 1024 || n > 65535) throw new CupiValueError(`${kind} ${n} is not a port between 1024 and 65535`);
  return n;
}

function checkList(kind: string, vs: readonly string[], re: RegExp): string[] {
  if (vs.length > MAX_ITEMS) throw new CupiValueError(`more than ${MAX_ITEMS} ${kind}s`);
  return vs.map((v) => check(kind, v, re));
}

/** The task with every value checked (throws CupiValueError). */
export function checkCupiTask(t: CupiTaskSpec): CupiTaskSpec {
  switch (t.kind) {
    case 'sip-security-profile':
      return { kind: t.kind, port: checkPort('SIP security profile port', t.port) };
    case 'port-group-security':
      return { kind: t.kind, portGroup: check('port group', t.portGroup, PORT_GROUP), profilePort: checkPort('SIP security profile port', t.profilePort) };
    case 'port-group-servers':
      return { kind: t.kind, portGroup: check('port group', t.portGroup, PORT_GROUP), tlsPort: checkPort('TLS port', t.tlsPort), tftp: checkList('TFTP server', t.tftp, HOST) };
    case 'restriction-patterns':
      if (t.blocked.length === 0) throw new CupiValueError('no number pattern to block');
      return { kind: t.kind, tables: checkList('restriction table', t.tables, TABLE), blocked: checkList('restriction pattern', t.blocked, PATTERN) };
  }
}

const json = (o: Record<string, string>): string => JSON.stringify(o);
const pairs = (o: Record<string, string>): string => Object.entries(o).map(([k, v]) => `${k}=${v}`).join(' ');
const get = (path: string, subject: string, what: string): ApiRequest => ({ api: 'cupi', mode: 'check', method: 'GET', path, readable: `GET ${path} (${what})`, subject });
function write(method: 'POST' | 'PUT', path: string, body: Record<string, string>, subject: string, tail = ''): ApiRequest {
  return { api: 'cupi', mode: 'write', method, path, body: json(body), readable: `${method} ${path} ${pairs(body)}${tail}`, subject };
}

/**
 * The task's requests in the order the runner makes them, and the checkpoint's reads (the same
 * GETs, judged against the wanted state). A `{…}` value in a body is found by a read at run time.
 */
export function cupiRequests(task: CupiTaskSpec): { requests: ApiRequest[]; checks: ApiRequest[] } {
  const t = checkCupiTask(task);
  const requests: ApiRequest[] = [];
  switch (t.kind) {
    case 'sip-security-profile': {
      const name = `${t.port}/TLS`;
      requests.push(get('/vmrest/sipsecurityprofiles', name, `a profile with Port=${t.port} DoTLS=true`));
      requests.push(write('POST', '/vmrest/sipsecurityprofiles', { Port: String(t.port), DoTLS: 'true' }, name, ` (the server names it ${name})`));
      break;
    }
    case 'port-group-security': {
      const pg = t.portGroup;
      const prof = `${t.profilePort}/TLS`;
      requests.push(get('/vmrest/portgroups', pg, `port group ${pg}`));
      requests.push(get('/vmrest/sipsecurityprofiles', prof, `the ${prof} profile's ObjectId`));
      // [I] SipEnableNextGenSecurity is "Enable Next Generation Encryption" (see ensure.ts); only the fields that differ are sent.
      requests.push(write('PUT', `/vmrest/portgroups/{${pg}}`, { MediaSipSecurityProfileObjectId: `{${prof}}`, SipDoSRTP: 'true', SipEnableNextGenSecurity: 'true' }, pg, ' (only the fields that differ)'));
      break;
    }
    case 'port-group-servers': {
      const pg = t.portGroup;
      const servers = `/vmrest/portgroups/{${pg}}/portgroupservers`;
      requests.push(get('/vmrest/portgroups', pg, `port group ${pg}`));
      requests.push(get(servers, pg, 'its Unified CM (MediaRemoteServiceEnum 100/102) and TFTP (101) servers'));
      requests.push(write('PUT', `${servers}/{each Unified CM server}`, { TlsPort: String(t.tlsPort) }, pg, ' (each server whose TlsPort differs)'));
      for (const h of t.tftp) requests.push(write('POST', servers, { HostOrIpAddress: h, MediaRemoteServiceEnum: '101', Precedence: '{next}' }, `${pg} TFTP ${h}`, ' (unless listed)'));
      break;
    }
    case 'restriction-patterns': {
      const tables = t.tables.length > 0 ? t.tables : ['each table a class of service uses'];
      requests.push(get('/vmrest/restrictiontables', tables.join(', '), 'the tables by name'));
      if (t.tables.length === 0) requests.push(get('/vmrest/coses', 'classes of service', 'their transfer, outcall and fax restriction tables'));
      for (const table of tables) {
        const path = `/vmrest/restrictiontables/{${table}}/restrictionpatterns`;
        requests.push(get(path, table, 'its patterns'));
        for (const p of t.blocked) requests.push(write('POST', path, { NumberPattern: p, Blocked: 'true' }, `${table} ${p}`, ' (unless there; a permitted one is reported, not changed)'));
      }
      break;
    }
  }
  return { requests, checks: requests.filter((r) => r.mode === 'check') };
}
