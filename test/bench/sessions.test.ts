// The sessions benchmark (bench/sessions.ts) run at a tiny size: one row per backend and operator
// count, every event the operators wrote stored in the session's chain, every timing positive.
// No bound on any timing: the machine is shared; the bench reports, it does not judge.
import { describe, expect, it } from 'vitest';
import { benchSessions, runSessionsBench } from '../../bench/sessions.js';

describe('the sessions benchmark', () => {
  it('measures file and PostgreSQL with 1, 2 and 10 operator processes', async () => {
    const steps = 2;
    const rows = await runSessionsBench({ stepsPerOperator: steps, operators: [1, 2, 10] });
    expect(rows.map((r) => [r.backend, r.operators])).toEqual([
      ['file', 1],
      ['postgres', 1],
      ['file', 2],
      ['postgres', 2],
      ['file', 10],
      ['postgres', 10],
    ]);
    for (const r of rows) {
      expect(r.steps).toBe(r.operators * steps);
      // Two events per step (started, verified), all of them in the stored chain.
      expect(r.events).toBe(r.steps * 2);
      expect(r.stored).toBe(r.events);
      for (const v of [r.appendP50Ms, r.appendP95Ms, r.lockPerStepMeanMs, r.lockPerStepP95Ms, r.eventsPerSecond, r.wallMs]) {
        expect(Number.isFinite(v)).toBe(true);
        expect(v).toBeGreaterThan(0);
      }
      expect(r.appendP95Ms).toBeGreaterThanOrEqual(r.appendP50Ms);
      expect(r.retriesPerEvent).toBeGreaterThanOrEqual(0);
      // The file journal has one writer at a time: nothing to retry.
      if (r.backend === 'file') expect(r.retriesPerEvent).toBe(0);
    }
  }, 600_000);

  it('reports the rows as the bench runner prints them', async () => {
    const results = await benchSessions({ stepsPerOperator: 1, operators: [2] });
    expect(results.map((r) => r.name)).toEqual(
      ['file x2', 'pg x2'].flatMap((w) => ['append p50', 'append p95', 'lock/claim per step (mean)', 'lock/claim per step (p95)', 'CAS retries per event', 'throughput'].map((m) => `${w} ${m}`)),
    );
    for (const r of results) {
      expect(r.value).toBeGreaterThanOrEqual(0);
      if (!r.name.includes('retries')) expect(r.value).toBeGreaterThan(0);
    }
  }, 600_000);
});
