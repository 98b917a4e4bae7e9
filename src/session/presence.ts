// Who is in a session now (issue 24): the operators working on it, with their last sign of
// life and the steps and nodes they hold, for `sessions` and `status`. On the file journal that
// is the one live lock holder; on PostgreSQL the lease holder or the team's operators with their
// claims (pg-lease.ts). Read-only: nothing here takes or renews anything.
import { lockPathFor, snapshotLock, staleReasonOf } from './lock.js';

/** A step an operator holds, with the nodes it changes (none listed: the step alone). */
export interface PresenceClaim {
  step: string;
  nodes: string[];
  since: string;
}

export interface PresentOperator {
  user: string;
  host: string;
  pid: number;
  /** "alone": holds the session's lock, no one else writes; "team": one of a team's operators. */
  mode: 'alone' | 'team';
  /** When it took the lock or joined. */
  since: string;
  /** Its last renewal (a lock refresh or a lease renewal). */
  lastSeen: string;
  /** Steps (and their nodes) it has claimed; always empty for a holder alone, who holds them all. */
  claims: PresenceClaim[];
}

/** The session file's live lock holder, if any; a stale lock (its holder gone) is no one. */
export async function filePresence(sessionFile: string, staleMs = 30_000): Promise<PresentOperator[]> {
  const seen = await snapshotLock(lockPathFor(sessionFile));
  const o = seen?.owner;
  if (seen === undefined || o === undefined || staleReasonOf(o, seen.mtimeMs, staleMs) !== undefined) return [];
  // A holder refreshes by touching the file: its mtime is the last sign of life.
  const lastSeen = new Date(Math.max(seen.mtimeMs, Date.parse(o.refreshedAt) || 0)).toISOString();
  return [{ user: o.user, host: o.host, pid: o.pid, mode: 'alone', since: o.startedAt, lastSeen, claims: [] }];
}

/** The steps the present operators hold, by step id, to tell a step in progress from one interrupted. */
export function claimedSteps(presence: readonly PresentOperator[]): Map<string, PresentOperator> {
  return new Map(presence.flatMap((p) => p.claims.map((c) => [c.step, p] as const)));
}

/** "S010 on cucm-pub, cucm-sub1; S011" — an operator's claims in one line. */
export function claimsText(claims: readonly PresenceClaim[]): string {
  return claims.map((c) => (c.nodes.length > 0 ? `${c.step} on ${c.nodes.join(', ')}` : c.step)).join('; ');
}

/** One line about one operator, for text output (strings already cleaned by the caller). */
export function operatorText(p: PresentOperator): string {
  const what = p.mode === 'alone' ? 'alone' : p.claims.length > 0 ? `working on ${claimsText(p.claims)}` : 'no step claimed';
  return `${p.user} on ${p.host} (process ${p.pid}, since ${p.since}, last seen ${p.lastSeen}): ${what}`;
}
