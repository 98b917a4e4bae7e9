// Service activation through Control Center Services, read before write: the status is read
// first (already Started: recorded, nothing sent; Starting: an earlier deployment is under way,
// waited for, never sent again), then the deployment is sent once and the status polled, a
// bounded number of times, until Started. A deployment whose answer was lost is "in doubt": it is
// never sent again here — the caller records it and the next run (or the checkpoint) reads first.
import { ControlCenterError } from './errors.js';
import type { ControlCenterClient, ServiceInfo } from './client.js';
import { sleep } from '../sleep.js';

/** A request of the plan: its exact body (and path). */
export interface PlannedBody {
  body: string;
  path?: string;
}

export interface Activation {
  /** The service's display name (the requests' `subject`). */
  service: string;
  /** soapGetServiceStatus of the service. */
  read: PlannedBody;
  /** soapDoServiceDeployment Deploy of the service. */
  write: PlannedBody;
}

export interface ActivationOptions {
  step?: string;
  signal?: AbortSignal;
  /** Status reads after the deployment before giving up (default 60). */
  pollCount?: number;
  /** Pause before each of those reads (default 5 s). */
  pollIntervalMs?: number;
  progress?: (text: string) => void;
  /** Called just before the deployment is sent (the journal's intent). */
  beforeWrite?: (service: string) => Promise<void>;
}

export type ActivationState = 'in-place' | 'started' | 'failed' | 'in-doubt';

export interface ActivationOutcome {
  service: string;
  state: ActivationState;
  /** One line for people: `Cisco Tftp: already Started — recorded, nothing sent`. */
  line: string;
  /** True once the deployment was sent (answered or not). */
  sent: boolean;
}


/** `Stopped (-1068 Service Not Activated)`: a status with its reason, for messages. */
export function describeStatus(s: ServiceInfo): string {
  const why = [s.reasonCode !== undefined && s.reasonCode !== -1 ? String(s.reasonCode) : '', s.reason.trim()].filter((x) => x !== '').join(' ');
  return why === '' ? s.status : `${s.status} (${why})`;
}

/** The service's status as the node answers it; undefined when the node does not list it. */
export async function readService(client: ControlCenterClient, service: string, read: PlannedBody, o: Pick<ActivationOptions, 'step' | 'signal'> = {}): Promise<ServiceInfo | undefined> {
  const r = await client.send({ ...read, service, ...(o.step !== undefined ? { step: o.step } : {}), ...(o.signal ? { signal: o.signal } : {}) });
  return r.services.find((s) => s.name === service);
}

/** Activates one service unless it already runs; see the header. ControlCenterErrors other than a lost deployment answer propagate. */
export async function activateService(client: ControlCenterClient, a: Activation, o: ActivationOptions = {}): Promise<ActivationOutcome> {
  const pollCount = o.pollCount ?? 60;
  const interval = o.pollIntervalMs ?? 5_000;
  const where = { ...(o.step !== undefined ? { step: o.step } : {}), ...(o.signal ? { signal: o.signal } : {}) };
  const out = (state: ActivationState, text: string, sent: boolean): ActivationOutcome => ({ service: a.service, state, line: `${a.service}: ${text}`, sent });
  const before = await readService(client, a.service, a.read, where);
  if (before === undefined) return out('failed', 'the node lists no such service (check the name in Service Activation); nothing was sent', false);
  if (before.status === 'Started') return out('in-place', 'already Started — recorded, nothing sent', false);
  if (before.status === 'Stopping') return out('failed', `${describeStatus(before)}: someone is stopping it; nothing was sent — check the node and decide`, false);
  let sent = false;
  if (before.status !== 'Starting') {
    o.progress?.(`${a.service}: ${describeStatus(before)} — sending the deployment…`);
    await o.beforeWrite?.(a.service);
    try {
      sent = true;
      await client.send({ ...a.write, service: a.service, ...where });
    } catch (e) {
      if (e instanceof ControlCenterError && e.failure === 'in-doubt') return out('in-doubt', `in doubt — the deployment was sent and its answer lost (${e.detail}); nothing is sent again: the next run reads the status first`, true);
      throw e;
    }
  }
  let last = before;
  for (let i = 1; i <= pollCount; i++) {
    await sleep(interval, o.signal);
    const now = await readService(client, a.service, a.read, where);
    if (now === undefined) return out('failed', 'no longer listed by the node after the deployment', sent);
    last = now;
    if (now.status === 'Started') return out('started', `${sent ? 'deployed' : 'its earlier deployment finished'}; Started after ${i} status read(s)`, sent);
    o.progress?.(`${a.service}: ${describeStatus(now)} (${i}/${pollCount})…`);
  }
  return out('failed', `${sent ? 'deployed, but' : 'was Starting, and'} not Started after ${pollCount} status reads (last: ${describeStatus(last)}); nothing more was sent`, sent);
}

/** The checkpoint's reads: each service must answer Started. */
export async function checkServicesStarted(client: ControlCenterClient, reads: { service: string; read: PlannedBody }[], o: Pick<ActivationOptions, 'step' | 'signal'> = {}): Promise<{ ok: boolean; details: string[] }> {
  const details: string[] = [];
  let ok = true;
  for (const r of reads) {
    const s = await readService(client, r.service, r.read, o);
    const good = s?.status === 'Started';
    ok &&= good;
    details.push(`${r.service}: ${s === undefined ? 'not listed by the node' : describeStatus(s)}`);
  }
  return { ok, details };
}
