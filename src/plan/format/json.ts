// Machine view of the plan; its shape is documented in docs/plan-json.md and versioned, so
// scripts can rely on it: { format, version, title, inventoryHash, catalogueHash, steps: [...] }.
import type { Plan } from '../types.js';

export const PLAN_JSON_VERSION = 1;

export function formatJson(plan: Plan): string {
  const doc = {
    format: 'collabsec-plan',
    version: PLAN_JSON_VERSION,
    title: plan.title,
    inventoryHash: plan.inventoryHash,
    catalogueHash: plan.catalogueHash,
    summary: plan.summary,
    // The change record (inventory `change:`, flags over it), only when one is given.
    ...(plan.change !== undefined ? { change: plan.change } : {}),
    steps: plan.steps.map((s) => ({
      id: s.id,
      slug: s.slug,
      title: s.title,
      product: s.product,
      phase: s.phase,
      kind: s.kind,
      summary: s.summary,
      source: s.source ?? null,
      disruptive: s.disruptive,
      restarts: s.restarts,
      warnings: s.warnings,
      requires: s.requires,
      actions: s.actions.map((a) => ({
        target: a.target,
        host: a.host ?? null,
        platform: a.platform ?? null,
        configMode: a.configMode === true,
        commands: a.commands,
        exchanges: a.exchanges,
        pasteFiles: a.pasteFiles,
        gui: a.gui ?? null,
        axl: a.axl ?? [],
        axlEndpoint: a.axlEndpoint ?? null,
        // Requests to other product APIs (Control Center Services…), bodies exactly as sent; only where a target has them.
        ...(a.requests !== undefined ? { requests: a.requests, apiEndpoint: a.apiEndpoint ?? null } : {}),
        // The step's checkpoint is the first target's: when targets probe different addresses, each one's own TLS probes.
        ...(a.checkpoint?.tls !== undefined ? { tls: a.checkpoint.tls } : {}),
      })),
      gui: s.gui ?? null,
      instructions: s.instructions,
      checkpoint: s.checkpoint,
      backout: s.backout ?? null,
      // The read kept per node before and after the change (P009–P011, V001–V003), so a consumer can pair them.
      ...(s.baseline !== undefined ? { baseline: s.baseline } : {}),
    })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
