// Requests to product APIs besides AXL (Plan `requests`), dispatched by each target's API to that
// API's runner: Control Center Services (live-controlcenter.ts) and Unity Connection CUPI
// (live-cupi.ts). A step's targets of one API go to that runner together, in plan order.
import { UserError } from '../errors.js';
import type { Action, ApiName, PlannedStep } from '../plan/types.js';
import type { CheckpointResult } from '../session/index.js';
import { apiName } from '../plan/format/requests.js';
import { apiActions, apiCheckTargets } from './reach.js';
import type { ApiRunner } from './live-controlcenter.js';
import type { RunHooks, StepRunOutcome } from './types.js';

export interface ApiPort {
  run(step: PlannedStep, hooks: RunHooks): Promise<StepRunOutcome>;
  verify(step: PlannedStep): Promise<CheckpointResult>;
  close(): void;
}

function byApi(actions: Action[]): Map<ApiName, Action[]> {
  const m = new Map<ApiName, Action[]>();
  for (const a of actions) {
    const api = a.apiEndpoint!.api;
    m.set(api, [...(m.get(api) ?? []), a]);
  }
  return m;
}

export function apiPort(runners: Partial<Record<ApiName, ApiRunner>>): ApiPort {
  const runnerOf = (step: PlannedStep, api: ApiName): ApiRunner => {
    const r = runners[api];
    if (r === undefined) throw new UserError(`${step.id} sends ${apiName(api)} requests, and this run has no ${apiName(api)} port`);
    return r;
  };
  return {
    async run(step, hooks) {
      const groups = [...byApi(apiActions(step))];
      // One API per step today (the catalogue allows one transport per step); kept general.
      const results: StepRunOutcome[] = [];
      for (const [api, actions] of groups) {
        const r = await runnerOf(step, api).run(step, actions, hooks);
        results.push(r);
        if (r.outcome !== 'ok') break;
      }
      if (results.length === 1) return results[0]!;
      const nodes = results.flatMap((r) => r.nodes ?? []);
      const outcome = results.every((r) => r.outcome === 'ok') ? 'ok' : results.some((r) => r.outcome === 'in-doubt') ? 'in-doubt' : 'failed';
      return { outcome, summary: results.map((r) => r.summary).join('; '), nodes };
    },
    async verify(step) {
      const results: CheckpointResult[] = [];
      for (const [api, actions] of byApi(apiCheckTargets(step))) results.push(await runnerOf(step, api).verify(step, actions));
      if (results.length === 1) return results[0]!;
      const outcome = results.length > 0 && results.every((r) => r.outcome === 'passed') ? 'passed' : results.some((r) => r.outcome === 'failed') ? 'failed' : 'unknown';
      return { method: 'automatic', outcome, summary: results.map((r) => r.summary).join('; '), details: results.flatMap((r) => r.details ?? []) };
    },
    close() {
      for (const r of Object.values(runners)) r?.close();
    },
  };
}
