// The change record a change board asks for (issue 25): change number, approver, window,
// impact and rollback owner. Shown at the top of the Method of Procedure (`plan`) and of the
// evidence pack (`report`), never sent to a device. Given in the inventory's `change:` block
// and/or by flags of `plan` and `report`; a flag overrides the inventory's value. The same
// validators check both, so a flag can carry nothing the inventory could not.
import { checked } from './validators.js';
import * as z from 'zod/mini';
import { describe } from '../zod.js';

// Free text for a document, not a device line: any printable character except < > ` (as `label`),
// control characters and line breaks refused by `checked`, every value bounded.
const docText = (kind: string, max: number) => checked(kind, max, /^[^<>`]+$/, 'no < > or ` characters');

/**
 * ISO 8601 date and time with its UTC offset (2026-12-12T22:00:00+01:00, or Z): a window read in
 * another time zone must mean the same instant, so a local time without an offset is refused.
 */
const ISO_OFFSET = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|([+-])(\d{2}):(\d{2}))$/;

/** Milliseconds since the epoch of an ISO 8601 time with offset, or undefined when it is not one (or no such day/time). */
export function isoInstant(s: string): number | undefined {
  const m = ISO_OFFSET.exec(s);
  if (!m) return undefined;
  const [y, mo, d, h, mi, sec] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  const ms = m[7] ? Math.floor(Number(`0${m[7]}`) * 1000) : 0;
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec > 59) return undefined;
  if (d > new Date(Date.UTC(y, mo, 0)).getUTCDate()) return undefined; // day 0 of the next month: this month's length
  let offset = 0;
  if (m[8] !== 'Z') {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 14 || om > 59) return undefined;
    offset = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  return Date.UTC(y, mo - 1, d, h, mi, sec, ms) - offset * 60_000;
}

export const isoTime = checked('date and time', 40, ISO_OFFSET, 'ISO 8601 with its UTC offset, e.g. 2026-12-12T22:00:00+01:00 or 2026-12-12T21:00:00Z').check(
  z.superRefine((s: string, ctx) => {
    if (ISO_OFFSET.test(s) && isoInstant(s) === undefined) ctx.addIssue({ code: 'custom', message: `"${s}" is not a real date and time` });
  }),
);

export const changeNumber = checked('change number', 64, /^[A-Za-z0-9][A-Za-z0-9 ._:#/-]*$/, 'letters, digits, spaces and . _ : # / -, e.g. CHG0012345');
export const changeApprover = docText('approver', 200);
export const changeImpact = docText('impact', 1000);
export const changeRollbackOwner = docText('rollback owner', 200);

/** Refuses a window whose end is not after its start, naming the end. */
function windowOrder(w: { start?: string | undefined; end?: string | undefined }, ctx: z.core.$RefinementCtx, endPath: (string | number)[], endName: string, startName: string): void {
  if (w.start === undefined || w.end === undefined) return;
  const a = isoInstant(w.start);
  const b = isoInstant(w.end);
  if (a !== undefined && b !== undefined && b <= a) ctx.addIssue({ code: 'custom', path: endPath, message: `${endName} (${w.end}) is not after ${startName} (${w.start})` });
}

/** The inventory's `change:` block. */
export const changeRecord = describe(
  z.strictObject({
    number: describe(z.optional(changeNumber), 'Change request number, e.g. CHG0012345'),
    approver: describe(z.optional(changeApprover), 'Who approved the change'),
    window: z.optional(
      z
        .strictObject({
          start: describe(isoTime, 'Start of the change window, ISO 8601 with offset'),
          end: describe(isoTime, 'End of the change window, ISO 8601 with offset'),
        })
        .check(z.superRefine((w, ctx) => windowOrder(w, ctx, ['end'], 'the window end', 'its start'))),
    ),
    impact: describe(z.optional(changeImpact), 'Expected impact on users and services'),
    rollbackOwner: describe(z.optional(changeRollbackOwner), 'Who decides and carries out the back-out'),
  }),
  'Change record shown at the top of the Method of Procedure and the evidence pack (never sent to a device)',
);

export type ChangeRecord = z.infer<typeof changeRecord>;

/** The change flags of `plan` and `report`, as parseArgs options; help and completion come from the usage texts. */
export const changeOptions = {
  'change-number': { type: 'string' },
  approver: { type: 'string' },
  'window-start': { type: 'string' },
  'window-end': { type: 'string' },
  impact: { type: 'string' },
  'rollback-owner': { type: 'string' },
} as const;

export const changeUsage = `      --change-number N      change record at the top of the document; each of these
      --approver NAME        flags overrides the inventory's change: block
      --window-start TIME    change window, ISO 8601 with its offset: 2026-12-12T22:00+01:00
      --window-end TIME      (must be after --window-start)
      --impact TEXT          expected impact on users and services
      --rollback-owner NAME  who decides and carries out the back-out`;

export type ChangeFlags = Partial<Record<keyof typeof changeOptions, string | undefined>>;

export class ChangeFlagError extends Error {
  constructor(readonly flag: string, readonly problem: string) {
    super(`--${flag}: ${problem}`);
  }
}

/**
 * The inventory's change record with the flags laid over it, each flag checked by its field's
 * validator. A window must have both ends (one flag may replace one end of the inventory's);
 * an end not after the start is refused naming --window-end. Undefined when nothing is given.
 */
export function mergeChange(fromInventory: ChangeRecord | undefined, flags: ChangeFlags): ChangeRecord | undefined {
  const check = (flag: keyof typeof changeOptions, schema: z.ZodMiniType<string>): string | undefined => {
    const v = flags[flag];
    if (v === undefined) return undefined;
    const r = schema.safeParse(v);
    if (!r.success) throw new ChangeFlagError(flag, r.error.issues.map((i) => i.message).join('; '));
    return r.data;
  };
  const number = check('change-number', changeNumber) ?? fromInventory?.number;
  const approver = check('approver', changeApprover) ?? fromInventory?.approver;
  const start = check('window-start', isoTime) ?? fromInventory?.window?.start;
  const end = check('window-end', isoTime) ?? fromInventory?.window?.end;
  const impact = check('impact', changeImpact) ?? fromInventory?.impact;
  const rollbackOwner = check('rollback-owner', changeRollbackOwner) ?? fromInventory?.rollbackOwner;
  if ((start === undefined) !== (end === undefined))
    throw new ChangeFlagError(start === undefined ? 'window-start' : 'window-end', 'a change window needs both --window-start and --window-end (or change.window in the inventory)');
  if (start !== undefined && end !== undefined && (isoInstant(end) ?? 0) <= (isoInstant(start) ?? 0))
    throw new ChangeFlagError('window-end', `the window end (${end}) is not after its start (${start})`);
  const out: ChangeRecord = {
    ...(number !== undefined ? { number } : {}),
    ...(approver !== undefined ? { approver } : {}),
    ...(start !== undefined && end !== undefined ? { window: { start, end } } : {}),
    ...(impact !== undefined ? { impact } : {}),
    ...(rollbackOwner !== undefined ? { rollbackOwner } : {}),
  };
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The record as label → value rows, in the order a change board reads them (every view uses these). */
export function changeRows(c: ChangeRecord | undefined): { label: string; value: string }[] {
  if (!c) return [];
  return [
    ...(c.number !== undefined ? [{ label: 'Change number', value: c.number }] : []),
    ...(c.approver !== undefined ? [{ label: 'Approver', value: c.approver }] : []),
    ...(c.window !== undefined ? [{ label: 'Window', value: `${c.window.start} → ${c.window.end}` }] : []),
    ...(c.impact !== undefined ? [{ label: 'Impact', value: c.impact }] : []),
    ...(c.rollbackOwner !== undefined ? [{ label: 'Rollback owner', value: c.rollbackOwner }] : []),
  ];
}
