// The Unity Connection steps through CUPI, read before write: each task reads what is in place,
// records it, and sends only what is missing; nothing is ever deleted, and an object the operator
// made differently is reported, not overwritten. Object ids are looked up by name at run time and
// reach a path only as GUIDs (cupiPath). Resources and fields (see client.ts for the sources):
// - S042 `/vmrest/sipsecurityprofiles`: Port, DoTLS, DisplayName "5061/TLS" (CUPI "SIP Profiles";
//   POST `{ "Port": "5061", "DoTLS": "true" }`, the name is made by the server).
// - S043 `/vmrest/portgroups/{id}`: MediaSipSecurityProfileObjectId, SipDoSRTP (C# SDK PortGroup.cs;
//   CUPI "Port Groups and Ports" list), SipEnableNextGenSecurity [I: the field name is seen only in a
//   public CUPI inventory probe; Cisco's page does not list it].
// - S044 `/vmrest/portgroups/{id}/portgroupservers`: HostOrIpAddress, Port, TlsPort, Precedence,
//   MediaRemoteServiceEnum (SDK PortGroupServer.cs; enum CCM=100, CcmTftp=101, SipProxy=102).
//   [I] The SIP servers of a SIP integration are the 100/102 entries; TFTP servers are 101.
// - S125 `/vmrest/coses` (OutcallRestrictionObjectId, XferRestrictionObjectId, FaxRestrictionObjectId),
//   `/vmrest/restrictiontables`, `/vmrest/restrictiontables/{id}/restrictionpatterns` (NumberPattern,
//   Blocked, SequenceNumber; "Default restriction pattern cannot be edited or deleted"; POST adds a
//   pattern — CUPI "Restriction Patterns"). [I] A new pattern is placed before the default `*`.
import { cupiPath, type CupiClient, type CupiObject } from './client.js';
import { CupiError } from './errors.js';

export interface CupiWrite {
  method: 'POST' | 'PUT';
  path: string;
  body: CupiObject;
  /** One line for people. */
  readable: string;
}

export interface CupiOutcome {
  /** What was looked at, by name. */
  object: string;
  state: 'in-place' | 'written' | 'missing' | 'differs';
  detail: string;
}

export interface CupiResult {
  outcomes: CupiOutcome[];
  writes: CupiWrite[];
  /** Every outcome in place (or written). */
  ok: boolean;
}

export type CupiTask =
  | { kind: 'sip-security-profile'; port: number }
  | { kind: 'port-group-security'; portGroup: string; profilePort: number }
  | { kind: 'port-group-servers'; portGroup: string; tlsPort: number; tftp: readonly string[] }
  | { kind: 'restriction-patterns'; tables: readonly string[]; blocked: readonly string[] };

export interface CupiRunOptions {
  step?: string;
  /** check: read only, report what is missing; apply: write what is missing. */
  mode: 'apply' | 'check';
}

const PATTERN = /^[0-9*#?+]{1,40}$/;
const truthy = (v: string | undefined): boolean => v?.toLowerCase() === 'true' || v === '1';

class Run {
  readonly outcomes: CupiOutcome[] = [];
  readonly writes: CupiWrite[] = [];
  constructor(
    readonly c: CupiClient,
    readonly o: CupiRunOptions,
  ) {}
  where(operation: string, object?: string): { operation: string; step?: string; object?: string } {
    return { operation, ...(this.o.step !== undefined ? { step: this.o.step } : {}), ...(object !== undefined ? { object } : {}) };
  }
  fail(operation: string, object: string, detail: string, hint?: string): never {
    throw new CupiError({ node: this.c.node, ...this.where(operation, object) }, 'conflict', detail, hint);
  }
  async write(w: CupiWrite, object: string, detail: string): Promise<string> {
    if (this.o.mode === 'check') {
      this.outcomes.push({ object, state: 'missing', detail });
      return '';
    }
    const r = await this.c.send({ method: w.method, path: w.path, body: w.body, ...this.where(w.readable, object) });
    this.writes.push(w);
    this.outcomes.push({ object, state: 'written', detail });
    return r.text.trim();
  }
  async portGroup(name: string): Promise<CupiObject> {
    const all = await this.c.list('/vmrest/portgroups', 'PortGroup', this.where('GET /vmrest/portgroups', name));
    const pg = all.find((p) => p.DisplayName === name);
    if (pg === undefined) this.fail('GET /vmrest/portgroups', name, `no port group of that name (there are: ${all.map((p) => p.DisplayName).join(', ').slice(0, 200) || 'none'})`, 'set unity.portGroup in the inventory to the port group of the Unified CM integration');
    return pg;
  }
}

async function sipSecurityProfile(r: Run, port: number): Promise<void> {
  const name = `${port}/TLS`;
  const all = await r.c.list('/vmrest/sipsecurityprofiles', 'SipSecurityProfile', r.where('GET /vmrest/sipsecurityprofiles', name));
  const same = all.filter((p) => Number(p.Port) === port);
  if (same.some((p) => truthy(p.DoTLS))) return void r.outcomes.push({ object: name, state: 'in-place', detail: 'listed' });
  // A non-TLS profile on the same port is the operator's (a port group may use it): reported, not changed.
  if (same.length > 0) return void r.outcomes.push({ object: name, state: 'differs', detail: `profile ${same[0]!.DisplayName ?? port} exists without TLS` });
  await r.write({ method: 'POST', path: '/vmrest/sipsecurityprofiles', body: { Port: String(port), DoTLS: 'true' }, readable: `POST SIP security profile Port=${port} DoTLS=true` }, name, 'created');
}

async function profileId(r: Run, port: number): Promise<string | undefined> {
  const all = await r.c.list('/vmrest/sipsecurityprofiles', 'SipSecurityProfile', r.where('GET /vmrest/sipsecurityprofiles', `${port}/TLS`));
  return all.find((p) => Number(p.Port) === port && truthy(p.DoTLS))?.ObjectId;
}

async function portGroupSecurity(r: Run, name: string, port: number): Promise<void> {
  const pg = await r.portGroup(name);
  const prof = await profileId(r, port);
  if (prof === undefined) return void r.outcomes.push({ object: `${port}/TLS`, state: 'missing', detail: 'the SIP security profile is not there (S042)' });
  const want: CupiObject = { MediaSipSecurityProfileObjectId: prof, SipDoSRTP: 'true', SipEnableNextGenSecurity: 'true' };
  const diff: CupiObject = {};
  for (const [k, v] of Object.entries(want)) {
    const have = pg[k];
    const same = k === 'MediaSipSecurityProfileObjectId' ? have?.toLowerCase() === v.toLowerCase() : truthy(have);
    if (!same) diff[k] = v;
  }
  if (Object.keys(diff).length === 0) return void r.outcomes.push({ object: name, state: 'in-place', detail: `${port}/TLS, Secure RTP, Next Generation Encryption` });
  const path = cupiPath('/vmrest/portgroups/{pg}', { pg: pg.ObjectId ?? '' });
  await r.write({ method: 'PUT', path, body: diff, readable: `PUT port group ${name} ${Object.entries(diff).map(([k, v]) => `${k}=${v}`).join(' ')}` }, name, `set ${Object.keys(diff).join(', ')}`);
}

async function portGroupServers(r: Run, name: string, tlsPort: number, tftp: readonly string[]): Promise<void> {
  const pg = await r.portGroup(name);
  const base = cupiPath('/vmrest/portgroups/{pg}/portgroupservers', { pg: pg.ObjectId ?? '' });
  const servers = await r.c.list(base, 'PortGroupServer', r.where('GET port group servers', name));
  const sip = servers.filter((s) => s.MediaRemoteServiceEnum === '100' || s.MediaRemoteServiceEnum === '102');
  if (sip.length === 0) r.outcomes.push({ object: name, state: 'missing', detail: 'the port group lists no Unified CM server' });
  for (const s of sip) {
    const host = s.HostOrIpAddress ?? '?';
    if (Number(s.TlsPort) === tlsPort) {
      r.outcomes.push({ object: `${name} server ${host}`, state: 'in-place', detail: `TLS port ${tlsPort}` });
      continue;
    }
    const path = cupiPath('/vmrest/portgroups/{pg}/portgroupservers/{s}', { pg: pg.ObjectId ?? '', s: s.ObjectId ?? '' });
    await r.write({ method: 'PUT', path, body: { TlsPort: String(tlsPort) }, readable: `PUT port group ${name} server ${host} TlsPort=${tlsPort}` }, `${name} server ${host}`, `TLS port ${s.TlsPort ?? '-'} → ${tlsPort}`);
  }
  const listed = servers.filter((s) => s.MediaRemoteServiceEnum === '101');
  let precedence = Math.max(0, ...listed.map((s) => Number(s.Precedence) || 0));
  for (const t of tftp) {
    if (listed.some((s) => s.HostOrIpAddress?.toLowerCase() === t.toLowerCase())) {
      r.outcomes.push({ object: `${name} TFTP ${t}`, state: 'in-place', detail: 'listed' });
      continue;
    }
    precedence++;
    await r.write({ method: 'POST', path: base, body: { HostOrIpAddress: t, MediaRemoteServiceEnum: '101', Precedence: String(precedence) }, readable: `POST port group ${name} TFTP server ${t}` }, `${name} TFTP ${t}`, 'added');
  }
}

async function restrictionPatterns(r: Run, names: readonly string[], blocked: readonly string[]): Promise<void> {
  for (const p of blocked) if (!PATTERN.test(p)) r.fail('restriction pattern', p, 'not a restriction pattern (digits, *, ?, #, +; at most 40)');
  const tables = await r.c.list('/vmrest/restrictiontables', 'RestrictionTable', r.where('GET /vmrest/restrictiontables'));
  let wanted = names;
  if (wanted.length === 0) {
    // Every table a class of service uses (transfer, outcall/notification, fax).
    const coses = await r.c.list('/vmrest/coses', 'Cos', r.where('GET /vmrest/coses'));
    const ids = new Set(coses.flatMap((c) => [c.XferRestrictionObjectId, c.OutcallRestrictionObjectId, c.FaxRestrictionObjectId]).filter((x): x is string => x !== undefined).map((x) => x.toLowerCase()));
    wanted = tables.filter((t) => ids.has((t.ObjectId ?? '').toLowerCase())).map((t) => t.DisplayName ?? '');
  }
  for (const name of wanted) {
    const t = tables.find((x) => x.DisplayName === name);
    if (t === undefined) {
      r.outcomes.push({ object: name, state: 'missing', detail: 'no restriction table of that name' });
      continue;
    }
    const base = cupiPath('/vmrest/restrictiontables/{t}/restrictionpatterns', { t: t.ObjectId ?? '' });
    const pats = (await r.c.list(base, 'RestrictionPattern', r.where('GET restriction patterns', name))).sort((a, b) => Number(a.SequenceNumber) - Number(b.SequenceNumber));
    for (const p of blocked) {
      const have = pats.find((x) => x.NumberPattern === p);
      const obj = `${name} ${p}`;
      if (have && truthy(have.Blocked)) r.outcomes.push({ object: obj, state: 'in-place', detail: 'blocked' });
      // An explicit permit is the operator's decision: reported, never changed or deleted.
      else if (have) r.outcomes.push({ object: obj, state: 'differs', detail: 'the pattern is there and permitted' });
      else await r.write({ method: 'POST', path: base, body: { NumberPattern: p, Blocked: 'true' }, readable: `POST restriction table ${name} pattern ${p} Blocked=true` }, obj, 'added, blocked');
    }
  }
}

export async function runCupiTask(c: CupiClient, task: CupiTask, o: CupiRunOptions): Promise<CupiResult> {
  const r = new Run(c, o);
  switch (task.kind) {
    case 'sip-security-profile':
      await sipSecurityProfile(r, task.port);
      break;
    case 'port-group-security':
      await portGroupSecurity(r, task.portGroup, task.profilePort);
      break;
    case 'port-group-servers':
      await portGroupServers(r, task.portGroup, task.tlsPort, task.tftp);
      break;
    case 'restriction-patterns':
      await restrictionPatterns(r, task.tables, task.blocked);
      break;
  }
  return { outcomes: r.outcomes, writes: r.writes, ok: r.outcomes.every((x) => x.state === 'in-place' || x.state === 'written') };
}
