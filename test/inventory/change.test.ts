// The change record (issue 25): the inventory's `change:` block and the flags of plan/report,
// each value checked for its kind (no control characters or line breaks, bounded length, a real
// ISO 8601 time with its offset) and a window whose end is not after its start refused, naming
// the field.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ChangeFlagError, isoInstant, mergeChange } from '../../src/inventory/change.js';
import { InventoryError, parseInventory } from '../../src/inventory/load.js';

const example = readFileSync(new URL('../../examples/ent-pa.yaml', import.meta.url), 'utf8');
// The example without its change block, then with the block under test (YAML flow style, one line per field).
const bare = example.replace(/\nchange:[^\n]*\n(?: {2}[^\n]*\n)+/, '\n');

function withChange(lines: string[]): string {
  return bare.replace('domain: ent-pa.com\n', `domain: ent-pa.com\nchange:\n${lines.map((l) => `  ${l}`).join('\n')}\n`);
}

function problems(text: string): { path: string; line?: number; message: string }[] {
  try {
    parseInventory(text, 'inv.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(InventoryError);
    return (e as InventoryError).problems;
  }
  return [];
}

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('the inventory change: block', () => {
  it('is read whole from the shipped example, and left out of the inventory hash', () => {
    const full = parseInventory(example, 'ent-pa.yaml');
    expect(full.inventory.change).toEqual({
      number: 'CHG0012345',
      approver: 'ENT-PA Change Advisory Board',
      window: { start: '2026-12-12T22:00:00+01:00', end: '2026-12-13T04:00:00+01:00' },
      impact: expect.stringMatching(/^Phones and Jabber re-register/),
      rollbackOwner: 'UC operations on call',
    });
    // Filling in the change record during a rollout asks for no plan review.
    expect(parseInventory(bare, 'ent-pa.yaml').hash).toBe(full.hash);
    expect(problems(bare)).toEqual([]);
  });

  it('refuses a window whose end is before (or at) its start, at change.window.end with its line', () => {
    const text = withChange(["window: { start: '2026-12-12T22:00:00+01:00', end: '2026-12-12T20:30:00Z' }"]);
    const p = problems(text);
    expect(p).toHaveLength(1);
    expect(p[0]).toMatchObject({ path: 'change.window.end', line: lineOf(text, 'window:') });
    expect(p[0]!.message).toMatch(/window end \(2026-12-12T20:30:00Z\) is not after its start \(2026-12-12T22:00:00\+01:00\)/);
    // The same instant in two offsets is not a window either.
    expect(problems(withChange(["window: { start: '2026-12-12T22:00+01:00', end: '2026-12-12T21:00Z' }"]))[0]).toMatchObject({ path: 'change.window.end' });
    expect(problems(withChange(["window: { start: '2026-12-12T22:00+01:00', end: '2026-12-12T21:01Z' }"]))).toEqual([]);
  });

  it('refuses a time without its offset, a day that does not exist, and a window with one end', () => {
    expect(problems(withChange(["window: { start: '2026-12-12T22:00:00', end: '2026-12-13T04:00:00+01:00' }"]))[0]).toMatchObject({ path: 'change.window.start' });
    expect(problems(withChange(["window: { start: '2026-02-29T22:00:00Z', end: '2026-03-01T04:00:00Z' }"]))[0]!.message).toMatch(/not a real date and time/);
    expect(problems(withChange(["window: { start: '2026-12-12T22:00:00Z' }"]))[0]).toMatchObject({ path: 'change.window.end' });
  });

  it('refuses control characters and line breaks in every text field, naming the field', () => {
    for (const [field, value] of [
      ['number', '"CHG1\\u001b]0;x\\u0007"'],
      ['approver', '"J. Doe\\nApproved: everyone"'],
      ['impact', '"none\\u009b31m"'],
      ['rollbackOwner', '"ops\\u2028team"'],
    ] as const) {
      const p = problems(withChange([`${field}: ${value}`]));
      expect(p, field).toHaveLength(1);
      expect(p[0]).toMatchObject({ path: `change.${field}` });
      expect(p[0]!.message).toMatch(/must not contain control characters or line breaks/);
    }
  });

  it('bounds each value and refuses unknown keys', () => {
    const p = problems(withChange([`number: CHG${'1'.repeat(62)}`, `approver: ${'a'.repeat(201)}`, `impact: ${'i'.repeat(1001)}`, `rollbackOwner: ${'o'.repeat(201)}`, 'approvedBy: x']));
    expect(p.map((x) => x.path).sort()).toEqual(['change', 'change.approver', 'change.impact', 'change.number', 'change.rollbackOwner']);
    expect(p.find((x) => x.path === 'change.number')!.message).toMatch(/longer than 64 characters/);
    expect(p.find((x) => x.path === 'change.impact')!.message).toMatch(/longer than 1000 characters/);
    expect(p.find((x) => x.path === 'change')!.message).toMatch(/approvedBy/);
    // Within the bounds it is accepted.
    expect(problems(withChange([`number: CHG${'1'.repeat(61)}`, `impact: ${'i'.repeat(1000)}`]))).toEqual([]);
  });
});

describe('the change flags laid over the inventory', () => {
  const inv = { number: 'CHG1', approver: 'CAB', window: { start: '2026-12-12T22:00:00+01:00', end: '2026-12-13T04:00:00+01:00' } };

  it('override field by field; one window flag replaces one end', () => {
    expect(mergeChange(inv, { approver: 'J. Doe', 'window-end': '2026-12-13T06:00+01:00', 'rollback-owner': 'Ops' })).toEqual({
      number: 'CHG1',
      approver: 'J. Doe',
      window: { start: '2026-12-12T22:00:00+01:00', end: '2026-12-13T06:00+01:00' },
      rollbackOwner: 'Ops',
    });
    expect(mergeChange(undefined, {})).toBeUndefined();
  });

  it('are refused naming the flag: an end before the start, half a window, a control character, a long value', () => {
    const refused = (flags: Parameters<typeof mergeChange>[1], base = inv) => {
      try {
        mergeChange(base, flags);
      } catch (e) {
        expect(e).toBeInstanceOf(ChangeFlagError);
        return (e as ChangeFlagError).message;
      }
      return 'accepted';
    };
    expect(refused({ 'window-end': '2026-12-12T21:59:59+01:00' })).toMatch(/^--window-end: the window end .* is not after its start/);
    expect(refused({ 'window-start': '2026-12-12T22:00Z' }, {} as typeof inv)).toMatch(/^--window-end: a change window needs both/);
    expect(refused({ approver: 'a\x1b]0;x\x07' })).toMatch(/^--approver: approver must not contain control characters/);
    expect(refused({ impact: 'x'.repeat(1001) })).toMatch(/^--impact: impact is longer than 1000 characters/);
    expect(refused({ 'change-number': 'CHG 1\nApproved' })).toMatch(/^--change-number: /);
    expect(refused({ 'window-start': '12/12/2026 22:00' })).toMatch(/^--window-start: .*ISO 8601 with its UTC offset/);
  });

  it('reads an ISO 8601 time with its offset as one instant', () => {
    expect(isoInstant('2026-12-12T22:00:00+01:00')).toBe(Date.UTC(2026, 11, 12, 21, 0, 0));
    expect(isoInstant('2026-12-12T21:00Z')).toBe(Date.UTC(2026, 11, 12, 21, 0, 0));
    expect(isoInstant('2026-12-12T21:00:00.250-00:30')).toBe(Date.UTC(2026, 11, 12, 21, 30, 0, 250));
    expect(isoInstant('2026-12-12T24:00Z')).toBeUndefined();
    expect(isoInstant('2026-12-12 21:00Z')).toBeUndefined();
  });
});
