// Issue 20 slice 4: which node of a cluster runs first is a fact of the topology adapter
// (TargetNode.runsFirst), not a guess from a group's or a host's name.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { parseInventory } from '../../src/inventory/load.js';
import { buildTopology, type Topology } from '../../src/inventory/topology.js';
import { buildPlan } from '../../src/plan/build.js';
import { defaultCatalogue } from '../../src/plan/load-plan.js';
import { firstNode, inventoryTargets, sshActions } from '../../src/wizard/reach.js';

const example = readFileSync(new URL('../../examples/ent-pa.yaml', import.meta.url), 'utf8');

/** The example with its publishers renamed so that no publisher's name says "pub", and a subscriber's does. */
function renamed() {
  const d = parseDocument(example);
  d.setIn(['cucm', 0, 'publisher', 'host'], 'cm-alpha');
  d.setIn(['cucm', 0, 'subscribers', 0, 'host'], 'cm-pub-beta');
  d.setIn(['cucm', 0, 'imp', 'publisher', 'host'], 'im-one');
  d.setIn(['unity', 'publisher', 'host'], 'vm-one');
  const loaded = parseInventory(String(d), 'renamed.yaml');
  return { loaded, topology: buildTopology(loaded) };
}

describe('the first node of a multi-node step comes from the topology', () => {
  it('the publishers are the nodes the inventory names as publisher, whatever their host names', () => {
    const { publishers } = inventoryTargets(renamed().topology);
    expect([...publishers].sort()).toEqual(['cm-alpha', 'im-one', 'vm-one']);
  });

  it('a step on several cluster nodes runs the publisher first even when it is not first in the step', () => {
    const { loaded, topology } = renamed();
    const { publishers } = inventoryTargets(topology);
    const plan = buildPlan(topology, defaultCatalogue(), { inventoryHash: loaded.hash });
    // Every step whose lines go to the Unified CM publisher and to other nodes of its cluster over SSH
    // (a step on Unified CM and IM and Presence nodes has two publishers; the first in plan order leads).
    const targets = (s: (typeof plan.steps)[number]) => sshActions(s).map((a) => a.target);
    const multi = plan.steps.filter((s) => targets(s).length > 1 && targets(s).filter((t) => publishers.has(t)).join() === 'cm-alpha');
    expect(multi.length).toBeGreaterThan(0);
    for (const s of multi) {
      const reversed = [...sshActions(s)].reverse();
      expect(firstNode(reversed, publishers), s.id).toBe('cm-alpha');
    }
  });

  it('reads the runsFirst mark, not the group name', () => {
    const topology: Topology = {
      globals: {},
      groups: {
        'cucm-publisher': [{ name: 'named-like-a-group', host: '192.0.2.1', platform: 'vos', context: {} }],
        'cucm-node': [{ name: 'marked', host: '192.0.2.2', platform: 'vos', runsFirst: true, context: {} }],
      },
    };
    expect([...inventoryTargets(topology).publishers]).toEqual(['marked']);
  });

  it('the shipped example keeps the publishers it always had (Unified CM, IM and Presence, Unity Connection)', () => {
    const loaded = parseInventory(example, 'ent-pa.yaml');
    const topology = buildTopology(loaded);
    const byGroupName = new Set(Object.entries(topology.groups).flatMap(([g, ts]) => (g.endsWith('publisher') ? ts.map((t) => t.name) : [])));
    expect(inventoryTargets(topology).publishers).toEqual(byGroupName);
    expect([...byGroupName].sort()).toEqual(['us-cm-pub', 'us-cuc', 'us-imp-pub']);
  });
});
