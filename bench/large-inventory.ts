// The example inventory grown to many Unified CM clusters: the bench's 50 clusters × 10 nodes, and
// the tests that check a large plan (young generation, optimising tier, session hashes) build the
// same one. Its own module, without the bench's process runner, so a unit test can import it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';

/** The YAML of the example (`root`/examples/ent-pa.yaml) with `clusters` clusters of `nodes` nodes each. */
export function largeInventoryText(root: string, clusters = 50, nodes = 10): string {
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
  return doc.toString();
}
