// The plan the sessions benchmark works (bench/sessions.ts): `n` independent steps, each on a
// node of its own, so a team's operators never wait for each other's claims and what is
// measured is the backend (appends, locks, claims), not the plan's ordering.
import type { Plan, PlannedStep } from '../src/plan/types.js';

export function benchTeamPlan(n: number): Plan {
  const step = (i: number): PlannedStep => {
    const id = `S${String(i + 1).padStart(4, '0')}`;
    const line = `set cert regen tomcat ${id}`;
    return {
      id, slug: `s-${i}`, title: `Step ${i + 1}`, product: 'cucm', phase: 'p', kind: 'cli', summary: 's', disruptive: false,
      restarts: [], warnings: [], requires: [], instructions: [], checkpoint: { question: 'ok?', origin: 'source' },
      actions: [{ target: `node-${i + 1}`, host: `node-${i + 1}.example.com`, platform: 'vos', commands: [line], exchanges: [{ line, dialogue: [], timeoutMs: 1000 }], pasteFiles: [] }],
    };
  };
  return { inventoryHash: 'i', catalogueHash: 'c', title: 'sessions bench', summary: [], steps: Array.from({ length: n }, (_, i) => step(i)) };
}
