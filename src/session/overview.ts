// A session's standing as plain data, for `status` (text and --json) and the wizard's header.
import type { Plan } from '../plan/types.js';
import { describeBreak, integrityLine, isTampered, verifyJournal, type ChainBreak } from './chain.js';
import { planHash } from './hash.js';
import type { LockOwner } from './lock.js';
import { claimedSteps, filePresence, type PresentOperator } from './presence.js';
import { diffPlan, lastActivity, markInterrupted, nextStep, progress, type PlanDiff, type Progress } from './resume.js';
import { currentStatus, lastEvent, type SessionState, type TamperAck } from './state.js';

export interface StepMention {
  id: string;
  title: string;
  at: string;
  user: string;
  target?: string;
  detail?: string;
}

/** The journal's hash chain (chain.ts), as `status` shows it. */
export interface JournalOverview {
  integrity: 'chained' | 'not-chained' | 'tampered';
  /** Edited outside collabsec: now (integrity "tampered") or before an operator accepted it. */
  tampered: boolean;
  summary: string;
  events: number;
  firstBroken?: ChainBreak & { description: string };
  breaks?: number;
  acknowledged?: TamperAck[];
}

export function journalOverview(state: SessionState): JournalOverview {
  const i = verifyJournal(state);
  const out: JournalOverview = { integrity: i.kind, tampered: isTampered(i), summary: integrityLine(i), events: i.events };
  if (i.kind === 'tampered') Object.assign(out, { firstBroken: { ...i.first, description: describeBreak(i.first) }, breaks: i.breaks.length });
  if (i.kind !== 'not-chained' && i.acknowledged.length > 0) out.acknowledged = i.acknowledged;
  return out;
}

export interface SessionOverview {
  name: string;
  file: string;
  /** Whether the history is as collabsec wrote it. */
  journal: JournalOverview;
  planTitle: string;
  inventoryPath: string;
  serial: number;
  progress: Progress;
  lastActivity: string;
  /** Live holder of the lock, if any (a stale lock is reported as not in use). */
  lockedBy?: Omit<LockOwner, 'token'>;
  /** Who is in the session now: the lock holder, or a team's operators with the steps and nodes they claimed. */
  presence: PresentOperator[];
  /**
   * Steps started without an outcome: interrupted, or running now (every one while lockedBy is
   * set; on a team, those a present operator claimed, which carry `claimedBy`).
   */
  interrupted: (StepMention & { claimedBy?: { user: string; host: string; pid: number } })[];
  /** A line was sent and its result is unknown (status "in-doubt"). */
  inDoubt: StepMention[];
  failed: StepMention[];
  /** Only with a plan. */
  next?: { id: string; title: string; reason: string; missing: string[] };
  changes?: PlanDiff;
}

/**
 * `presence` says who is in a session kept elsewhere (SessionStore.presence); by default the
 * session file's lock is read.
 */
export async function sessionOverview(file: string, state: SessionState, plan?: Plan, presence?: () => Promise<PresentOperator[]>): Promise<SessionOverview> {
  const present = presence ? await presence() : await filePresence(file);
  const alone = present.find((p) => p.mode === 'alone');
  const claimed = claimedSteps(present);
  const mention = (id: string): StepMention => {
    const rec = state.steps[id];
    const e = lastEvent(rec);
    const detail = e?.checkpoint?.summary ?? e?.reason;
    return { id, title: rec?.title ?? id, at: e?.at ?? '', user: e?.user ?? '', ...(e?.target ? { target: e.target } : {}), ...(detail ? { detail } : {}) };
  };
  // Without a live holder, a "started" step is interrupted (unless a team member claims it): the
  // counts and nextStep see it that way, as the interrupted list does (issue 12: byStatus said 0).
  const seen = alone ? state : markInterrupted(state, new Date().toISOString(), '', undefined, new Set(claimed.keys())).state;
  const ids = plan ? plan.steps.map((s) => s.id) : state.order;
  const withStatus = (...statuses: string[]) => ids.filter((id) => statuses.includes(currentStatus(state.steps[id]))).map(mention);
  const overview: SessionOverview = {
    name: state.name,
    file,
    journal: journalOverview(state),
    planTitle: state.planTitle,
    inventoryPath: state.inventory.path,
    serial: state.serial,
    progress: progress(seen, plan?.steps),
    lastActivity: lastActivity(state),
    presence: present,
    interrupted: withStatus('started', 'interrupted').map((m) => {
      const by = claimed.get(m.id);
      return by ? { ...m, claimedBy: { user: by.user, host: by.host, pid: by.pid } } : m;
    }),
    inDoubt: withStatus('in-doubt'),
    failed: withStatus('failed'),
  };
  if (alone) overview.lockedBy = { pid: alone.pid, host: alone.host, user: alone.user, startedAt: alone.since, refreshedAt: alone.lastSeen };
  if (plan) {
    const n = nextStep(plan, seen);
    if (n) overview.next = { id: n.step.id, title: n.step.title, reason: n.reason, missing: n.missing };
    overview.changes = diffPlan(plan, state, planHash(plan));
  }
  return overview;
}

