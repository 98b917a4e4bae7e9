// A checkpoint's `verify` may be a list (review-2026 B.6): every entry whose `when` holds is read on
// the target, in order, and all must pass; an entry with `each` adds one read per element.
// Alternatives by release are entries with exclusive conditions (S088). Rendered on the example
// inventory with a throwaway catalogue, and on the shipped catalogue (S035, S088).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../src/catalogue/load.js';
import { packageRoot } from '../../src/catalogue/root.js';
import { parseInventory } from '../../src/inventory/load.js';
import { targetShapes } from '../../src/inventory/shapes.js';
import { buildTopology } from '../../src/inventory/topology.js';
import { buildPlan } from '../../src/plan/build.js';
import { loadPlan } from '../../src/plan/load-plan.js';
import { verifications } from '../../src/plan/verifications.js';
import { writeCatalogue } from './fixture.js';

const file = join(packageRoot(), 'examples', 'ent-pa.yaml');
const loaded = parseInventory(readFileSync(file, 'utf8'), file);

/** The publisher's rendered checkpoint of one cli step whose checkpoint is `verify` (YAML lines). */
function rendered(verify: string) {
  const root = writeCatalogue({
    product: 'cucm',
    vosTemplates: 'platform: vos\nsnippets:\n  noop:\n    commands:\n      - send: show version active\n',
    steps: `  - id: S001
    slug: reads
    title: Reads
    product: cucm
    kind: cli
    summary: Reads.
    targets: cucm-publisher
    commands: [vos/noop]
    checkpoint:
      question: Done?
      origin: suggested
      verify:
${verify}`,
  });
  const plan = buildPlan(buildTopology(loaded), loadCatalogue(root, { shapes: targetShapes }), { inventoryHash: loaded.hash });
  const s = plan.steps[0]!;
  return s.actions[0]?.checkpoint ?? s.checkpoint;
}

describe('a verify list: every entry whose condition holds, all must pass', () => {
  it('reads every entry in order and leaves out the one whose condition is false', () => {
    const cp = rendered(`        - { command: "show a {{node.name}}", parser: vos-read }
        - { when: "!has.cms", command: show never, parser: vos-read }
        - { when: "has.cms", command: show b, parser: vos-read }
`);
    expect(Array.isArray(cp.verify)).toBe(true);
    expect(verifications(cp).map((v) => v.command)).toEqual(['show a us-cm-pub', 'show b']);
  });

  it('expands an entry with each next to a plain one', () => {
    const cp = rendered(`        - { command: show first, parser: vos-read }
        - { each: "h in cluster.dnsLookups", command: "utils network host {{h.query}}", parser: vos-read }
`);
    const cmds = verifications(cp).map((v) => v.command);
    expect(cmds[0]).toBe('show first');
    expect(cmds.length).toBeGreaterThan(10);
    expect(cmds.slice(1).every((c) => c.startsWith('utils network host '))).toBe(true);
  });

  it('one entry left by exclusive conditions is a single read, as before; none leaves the question', () => {
    const one = rendered(`        - { when: "has.cms", command: show three, parser: vos-read }
        - { when: "!has.cms", command: show two, parser: vos-read }
`);
    expect(one.verify).toEqual({ command: 'show three', parser: 'vos-read', args: {} });
    const none = rendered(`        - { when: "!has.cms", command: show two, parser: vos-read }
`);
    expect(none.verify).toBeUndefined();
  });
});

describe('the shipped catalogue', () => {
  it('S035 reads the LSC issuer trustpoint and the credentials service (port 2445, the router certificate trustpoint)', () => {
    const s = loadPlan('examples/ent-pa.yaml').plan.steps.find((x) => x.id === 'S035')!;
    expect(verifications(s.checkpoint)).toEqual([
      { command: 'show crypto pki trustpoints LSC-ISSUER status', parser: 'ios-trustpoint-status', args: { trustpoint: 'LSC-ISSUER', require: ['ca'] } },
      {
        command: 'show running-config | section credentials',
        parser: 'ios-config-sections',
        args: { sections: ['credentials'], lines: ['ip source-address 192.0.2.51 port 2445', 'trustpoint SRST-Certificate'] },
      },
    ]);
  });

  it.each([
    ['examples/ent-pa.yaml', 'webbridge3'],
    ['examples/chapter-2019.yaml', 'webbridge'],
  ])('S088 on %s reads only its release\'s command (%s)', (example, command) => {
    const s = loadPlan(example).plan.steps.find((x) => x.id === 'S088')!;
    for (const a of s.actions) expect(verifications(a.checkpoint ?? s.checkpoint).map((v) => v.command)).toEqual([command]);
  });
});
