// The session-write benchmark (bench/session.ts) opens a 1,000-step journal it filled through the
// hash chain: a history pushed without the chain was refused as tampered, and `npm run bench`
// crashed. No bound on any timing: the bench reports, it does not judge.
import { describe, expect, it } from 'vitest';
import { benchSession } from '../../bench/session.js';

describe('the session-write benchmark', () => {
  it('opens its filled 1,000-step journal and reports a median and a p90', async () => {
    const rows = await benchSession();
    expect(rows.map((r) => r.name)).toEqual(['session write, 1,000-step history (median)', 'session write, 1,000-step history (p90)']);
    for (const r of rows) expect(r.value).toBeGreaterThan(0);
    expect(rows[0]!.value).toBeLessThanOrEqual(rows[1]!.value);
  });
});
