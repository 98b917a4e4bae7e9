// `plan` wall time on the example and on a generated 50 clusters × 10 nodes inventory, each as a
// ratio to a bare `node -e 0` measured in the same run (issue 25 aims: example ≤ 2×, large ≤ 3×).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { largeInventoryText } from './large-inventory.js';
import { type BenchResult, faultsAgainstNode, timeAgainstNode } from './common.js';

/**
 * The 50 × 10 inventory written to a new temporary directory (the file's parent): whoever asks for
 * it removes that directory.
 */
export function largeInventory(root: string, clusters = 50, nodes = 10): string {
  const file = join(mkdtempSync(join(tmpdir(), 'collabsec-bench-')), 'large.yaml');
  writeFileSync(file, largeInventoryText(root, clusters, nodes));
  return file;
}

export function benchPlan(root: string): BenchResult[] {
  // The `collabsec` command as installed: the bundle `npm run build` writes (scripts/bundle.ts).
  const cli = join(root, 'dist', 'bin', 'cli.js');
  const exampleArgs = [cli, 'plan', '--inventory', join(root, 'examples', 'ent-pa.yaml')];
  const large = largeInventory(root);
  try {
    return planResults(root, exampleArgs, [cli, 'plan', '--inventory', large]);
  } finally {
    rmSync(dirname(large), { recursive: true, force: true });
  }
}

function planResults(root: string, exampleArgs: string[], largeArgs: string[]): BenchResult[] {
  const example = timeAgainstNode(exampleArgs, 9, root);
  const large = timeAgainstNode(largeArgs, 11, root);
  const exampleFaults = faultsAgainstNode(exampleArgs, 3, root);
  const largeFaults = faultsAgainstNode(largeArgs, 3, root);
  return [
    { name: 'node -e 0 (baseline)', value: example.base, unit: 'ms', note: `median of the runs beside the example's; beside the 50 × 10 plan's: ${large.base.toFixed(0)} ms` },
    { name: 'plan, example inventory', value: example.ratio, unit: '× baseline', note: `${example.ms.toFixed(0)} ms, median of 9 in turns with node -e 0, runs' ratios ${example.spread}; aim ≤ 2×` },
    { name: 'plan, 50 clusters × 10 nodes', value: large.ratio, unit: '× baseline', note: `${large.ms.toFixed(0)} ms, median of 11 in turns with node -e 0, runs' ratios ${large.spread}; aim ≤ 3×` },
    // The same runs' steadier measure: page faults (see faultsAgainstNode).
    { name: 'plan, example: minor page faults', value: exampleFaults.faults, unit: 'faults', note: `median of 3, counted by a --require preload; node -e 0 with it: ${exampleFaults.base}` },
    { name: 'plan, 50 × 10: minor page faults', value: largeFaults.faults, unit: 'faults', note: `median of 3, counted by a --require preload; node -e 0 with it: ${largeFaults.base}` },
  ];
}
