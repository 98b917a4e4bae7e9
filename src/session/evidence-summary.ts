// The one-page summary that opens the evidence pack (issue 25): whether collabsec sent anything
// (LIVE) or the session was a rehearsal, the change record, the versions, how many steps ended in
// each status, every overridden and skipped step with its recorded reason, and the time the
// session spans. Format-neutral: evidence.ts renders it as markdown or HTML.
import { changeRows } from '../inventory/change.js';
import type { Plan } from '../plan/types.js';
import { currentStatus, type SessionState, type StepEvent, type StepStatus } from './state.js';

/**
 * - `live`: at least one event was recorded by `run --live` (collabsec sent to devices), or an
 *   event from before the mode was recorded keeps transcripts (only a live run writes them);
 * - `rehearsal`: every event was recorded in a rehearsal: nothing was sent;
 * - `none`: no step was started or concluded;
 * - `unrecorded`: events written before collabsec recorded the mode, with no sign of a live run.
 */
export type SessionMode = 'live' | 'rehearsal' | 'none' | 'unrecorded';

export const SUMMARY_COUNTS = ['verified', 'skipped', 'overridden', 'failed', 'in doubt', 'backed out', 'pending'] as const;
export type SummaryCount = (typeof SUMMARY_COUNTS)[number];

export interface ReasonedStep {
  id: string;
  title: string;
  reason: string;
  at: string;
  user: string;
}

export interface EvidenceSummary {
  mode: SessionMode;
  /** The first line's words: "LIVE", "REHEARSAL"… */
  modeLabel: string;
  /** One sentence under it saying what the mode means for the statuses below. */
  modeText: string;
  change: { label: string; value: string }[];
  versions: { label: string; value: string }[];
  counts: Record<SummaryCount, number>;
  overridden: ReasonedStep[];
  skipped: ReasonedStep[];
  /** First and last recorded event (undefined when nothing was recorded). */
  span?: { from: string; to: string; duration: string };
}

function countOf(status: StepStatus): SummaryCount {
  switch (status) {
    case 'verified':
    case 'skipped':
    case 'overridden':
    case 'failed':
    case 'pending':
      return status;
    case 'backed-out':
      return 'backed out';
    case 'started':
    case 'interrupted':
    case 'in-doubt':
      return 'in doubt';
  }
}

function modeOf(events: StepEvent[]): { mode: SessionMode; label: string; text: string } {
  const live = events.filter((e) => e.mode === 'live').length;
  const unrecorded = events.filter((e) => e.mode === undefined);
  if (live > 0)
    return {
      mode: 'live',
      label: 'LIVE',
      text: `collabsec sent commands to devices in this session (${live} of ${events.length} recorded events were written by a live run${events.length > live ? '; the others by a rehearsal or by collabsec on opening the session' : ''}).`,
    };
  if (events.length === 0) return { mode: 'none', label: 'NOTHING RECORDED', text: 'no step was started or concluded in this session; nothing was sent to any device.' };
  if (unrecorded.some((e) => (e.transcripts ?? []).length > 0))
    return { mode: 'live', label: 'LIVE', text: 'device transcripts are recorded (only a live run writes them); this session was written before collabsec recorded live or rehearsal on each event.' };
  if (events.some((e) => e.mode === 'rehearsal') && unrecorded.every((e) => e.status === 'interrupted'))
    return {
      mode: 'rehearsal',
      label: 'REHEARSAL',
      text: 'nothing was sent to any device. Each status below is what the operator recorded while rehearsing (a "verified" step was typed and checked by hand, not by collabsec).',
    };
  return {
    mode: 'unrecorded',
    label: 'MODE NOT RECORDED',
    text: `${unrecorded.length} of ${events.length} events were written before collabsec recorded live or rehearsal, and no transcript shows a live run; treat the statuses as operator-asserted.`,
  };
}

function duration(ms: number): string {
  const min = Math.max(0, Math.round(ms / 60_000));
  const d = Math.floor(min / 1440);
  const h = Math.floor((min % 1440) / 60);
  const m = min % 60;
  return [d > 0 ? `${d} d` : '', h > 0 ? `${h} h` : '', `${m} min`].filter((x) => x !== '').join(' ');
}

/** The last event with the step's current status (its conclusion, with its reason). */
function conclusion(state: SessionState, id: string): StepEvent | undefined {
  return state.steps[id]?.history.at(-1);
}

export function summarize(plan: Plan, state: SessionState, collabsecVersion?: string): EvidenceSummary {
  const events = plan.steps.flatMap((s) => state.steps[s.id]?.history ?? []);
  const { mode, label, text } = modeOf(events);
  const counts = Object.fromEntries(SUMMARY_COUNTS.map((c) => [c, 0])) as Record<SummaryCount, number>;
  const overridden: ReasonedStep[] = [];
  const skipped: ReasonedStep[] = [];
  for (const step of plan.steps) {
    const status = currentStatus(state.steps[step.id]);
    counts[countOf(status)]++;
    const last = conclusion(state, step.id);
    if (last && (status === 'overridden' || status === 'skipped'))
      (status === 'overridden' ? overridden : skipped).push({ id: step.id, title: step.title, reason: last.reason ?? '(no reason recorded)', at: last.at, user: last.user });
  }
  // ISO 8601 UTC timestamps from one clock format sort as text; a hand-edited one that does not parse is left out.
  const times = events.map((e) => e.at).filter((t) => !Number.isNaN(Date.parse(t))).sort();
  const span = times.length > 0 ? { from: times[0]!, to: times.at(-1)!, duration: duration(Date.parse(times.at(-1)!) - Date.parse(times[0]!)) } : undefined;
  const versions = [
    ...(collabsecVersion !== undefined ? [{ label: 'collabsec', value: collabsecVersion }] : []),
    { label: 'Catalogue sha256', value: state.catalogueHash },
    ...plan.summary.filter((r) => r.label.endsWith(' release')),
  ];
  return { mode, modeLabel: label, modeText: text, change: changeRows(plan.change), versions, counts, overridden, skipped, ...(span ? { span } : {}) };
}
