// `plan` wall time on the example and on a generated 50 clusters × 10 nodes inventory, each as a
// ratio to a bare `node -e 0` measured in the same run (issue 25 aims: example ≤ 2×, large ≤ 3×).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { type BenchResult, faultsAgainstNode, timeAgainstNode } from './common.js';

/** The example inventory grown to `clusters` Unified CM clusters of `nodes` nodes each. */
export function largeInventory(root: string, clusters = 50, nodes = 10): string {
  const doc = parseDocument(readFileSync(join(root, 'examples', 'ent-pa.yaml'), 'utf8'));
  // RFC 2544 benchmarking range 198.18.0.0/15: room for 500 addresses, never routed.
  const ip = (c: number, n: number) => `198.${18 + Math.floor(c / 200)}.${c % 200}.${n + 1}`;
  const list = [];
  for (let c = 0; c < clusters; c++) {
    const node = (n: number) => ({ host: `c${c}-cm${n}`, ip: ip(c, n), services: n === 0 ? ['tftp'] : ['callmanager', 'ctimanager'] });
    list.push({
      name: `c${c}`,
      publisher: node(0),
      subscribers: Array.from({ length: nodes - 1 }, (_, i) => node(i + 1)),
      imp: { publisher: { host: `c${c}-imp1`, ip: ip(c, 100) }, subscribers: [{ host: `c${c}-imp2`, ip: ip(c, 101) }] },
      b2bIncomingPort: 5561,
      capfOnlineCa: { host: 'us-ca.ent-pa.com', port: 443, template: 'CiscoLSC', type: 'Microsoft CA', username: 'capf-enroll' },
    });
  }
  doc.set('cucm', list);
  const dir = mkdtempSync(join(tmpdir(), 'collabsec-bench-'));
  const file = join(dir, 'large.yaml');
  writeFileSync(file, doc.toString());
  return file;
}

export function benchPlan(root: string): BenchResult[] {
  // The `collabsec` command as installed: the bundle `npm run build` writes (scripts/bundle.ts).
  const cli = join(root, 'dist', 'bin', 'cli.js');
  const exampleArgs = [cli, 'plan', '--inventory', join(root, 'examples', 'ent-pa.yaml')];
  const largeArgs = [cli, 'plan', '--inventory', largeInventory(root)];
  const example = timeAgainstNode(exampleArgs, 9, root);
  const large = timeAgainstNode(largeArgs, 7, root);
  const exampleFaults = faultsAgainstNode(exampleArgs, 3, root);
  const largeFaults = faultsAgainstNode(largeArgs, 3, root);
  return [
    { name: 'node -e 0 (baseline)', value: example.base, unit: 'ms', note: `median of the runs beside the example's; beside the 50 × 10 plan's: ${large.base.toFixed(0)} ms` },
    { name: 'plan, example inventory', value: example.ratio, unit: '× baseline', note: `${example.ms.toFixed(0)} ms, median of 9 in turns with node -e 0; aim ≤ 2×` },
    { name: 'plan, 50 clusters × 10 nodes', value: large.ratio, unit: '× baseline', note: `${large.ms.toFixed(0)} ms, median of 7 in turns with node -e 0; aim ≤ 3×` },
    // The same runs' steadier measure: page faults (see faultsAgainstNode).
    { name: 'plan, example: minor page faults', value: exampleFaults.faults, unit: 'faults', note: `median of 3, counted by a --require preload; node -e 0 with it: ${exampleFaults.base}` },
    { name: 'plan, 50 × 10: minor page faults', value: largeFaults.faults, unit: 'faults', note: `median of 3, counted by a --require preload; node -e 0 with it: ${largeFaults.base}` },
  ];
}
