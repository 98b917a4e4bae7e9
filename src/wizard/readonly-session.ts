// A read-only view of a session for listing without acting (plain mode without --steps, e.g.
// `npm start` in a pipe). It takes no lock and writes nothing, so listing never creates a session
// file beside the inventory and never collides with a wizard that holds the session open.
// Adapter over src/session's pure functions: the journal API offers no lock-free read of a Plan.
import { randomUUID } from 'node:crypto';
import { access } from 'node:fs/promises';
import type { Plan } from '../plan/types.js';
import { diffPlan, loadSession, nextStep, planHashes, preconditionsMet, progress, stepStatus, type PlanHashes, type SessionState } from '../session/index.js';
import { filePresence } from '../session/presence.js';
import type { WizardSession } from './types.js';

function emptyState(name: string, plan: Plan, hashes: PlanHashes, inventoryPath: string): SessionState {
  const at = new Date().toISOString();
  return {
    version: 1,
    lineage: randomUUID(),
    serial: 0,
    name,
    createdAt: at,
    updatedAt: at,
    createdBy: { user: '', host: '' },
    inventory: { path: inventoryPath, hash: plan.inventoryHash },
    catalogueHash: plan.catalogueHash,
    planHash: hashes.plan,
    planTitle: plan.title,
    planHistory: [],
    steps: Object.fromEntries(plan.steps.map((s, i) => [s.id, { id: s.id, title: s.title, product: s.product, commandsHash: hashes.steps[i]!, history: [], notes: [] }])),
    order: plan.steps.map((s) => s.id),
  };
}

export async function peekSession(file: string, name: string, plan: Plan, inventoryPath: string): Promise<WizardSession> {
  const exists = await access(file).then(
    () => true,
    () => false,
  );
  // loadSession refuses a damaged file (naming its backup) exactly as opening it would.
  // Hashed once: the plan's hash for the diff and, for a session not created yet, its steps'.
  const hashes = planHashes(plan);
  const state = exists ? await loadSession(file) : emptyState(name, plan, hashes, inventoryPath);
  const currentHash = hashes.plan;
  const readOnly = (): Promise<never> => Promise.reject(new Error('read-only session view'));
  return {
    plan,
    state,
    name,
    file: exists ? file : `${file} (not created yet)`,
    diff: diffPlan(plan, state, currentHash),
    needsPlanAcceptance: state.planHash !== currentHash,
    interruptedOnOpen: [],
    // Whoever holds the file's lock (a wizard open on it) is someone else: a peek holds nothing.
    ...(exists ? { store: { presence: () => filePresence(file) } } : {}),
    status: (id) => stepStatus(state, id),
    next: () => nextStep(plan, state),
    progress: () => progress(state, plan.steps),
    preconditions: (id) => {
      const step = plan.steps.find((s) => s.id === id);
      return step ? preconditionsMet(step, state) : { met: false, missing: [] };
    },
    recordStarted: readOnly,
    recordResult: readOnly,
    recordSkip: readOnly,
    recordOverride: readOnly,
    recordVerdictAccepted: readOnly,
    recordReopen: readOnly,
    recordBackedOut: readOnly,
    addNote: readOnly,
    acceptPlan: readOnly,
  };
}
