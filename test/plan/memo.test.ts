// Memoised rendering (src/plan/memo.ts) must never hand one target another's result: a part is
// reused only when every value it read is the same. Checked on the memo itself and on whole plans
// of a multi-cluster inventory against the same plan rendered without the memo.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { evalExpr, parseExpr } from '../../src/catalogue/expr.js';
import { renderTemplate } from '../../src/catalogue/template.js';
import { packageRoot } from '../../src/catalogue/root.js';
import { parseInventory } from '../../src/inventory/load.js';
import { buildTopology } from '../../src/inventory/topology.js';
import { buildPlan } from '../../src/plan/build.js';
import { formatText } from '../../src/plan/format/text.js';
import { defaultCatalogue } from '../../src/plan/load-plan.js';
import { RenderMemo } from '../../src/plan/memo.js';

describe('RenderMemo', () => {
  const counted = () => {
    let calls = 0;
    return {
      calls: () => calls,
      render: (tpl: string, ctx: object) => {
        calls++;
        return renderTemplate(tpl, ctx);
      },
    };
  };

  it('renders once for targets that read the same values, again for a target whose value differs', () => {
    const memo = new RenderMemo<string>();
    const c = counted();
    const cluster = { name: 'us' };
    const a = { cluster, node: { name: 'a' } };
    const b = { cluster, node: { name: 'b' } };
    const tpl = 'cluster {{cluster.name}}';
    expect(memo.get(a, [], () => c.render(tpl, a))).toBe('cluster us');
    expect(memo.get(b, [], () => c.render(tpl, b))).toBe('cluster us');
    expect(c.calls()).toBe(1);
    // Another cluster's name: the context changed, the memo must render again.
    const d = { cluster: { name: 'emea' }, node: { name: 'a' } };
    expect(memo.get(d, [], () => c.render(tpl, d))).toBe('cluster emea');
    expect(c.calls()).toBe(2);
  });

  it('two nodes whose node-specific values differ render differently', () => {
    const memo = new RenderMemo<string>();
    const cluster = { name: 'us' };
    const tpl = 'utils network host {{node.name}} ({{cluster.name}})';
    const out = ['pub', 'sub1', 'pub'].map((name) => {
      const ctx = { cluster, node: { name } };
      return memo.get(ctx, [], () => renderTemplate(tpl, ctx));
    });
    expect(out).toEqual(['utils network host pub (us)', 'utils network host sub1 (us)', 'utils network host pub (us)']);
  });

  it('follows the branch a condition takes: a value read only on the other branch still counts', () => {
    const memo = new RenderMemo<string>();
    const render = (ctx: object) => memo.get(ctx, [], () => (evalExpr(parseExpr('node.secure'), ctx) ? renderTemplate('tls {{node.port}}', ctx) : 'plain'));
    expect(render({ node: { secure: false, port: 5061 } })).toBe('plain');
    expect(render({ node: { secure: true, port: 5061 } })).toBe('tls 5061');
    expect(render({ node: { secure: true, port: 5062 } })).toBe('tls 5062');
    expect(render({ node: { secure: false, port: 5062 } })).toBe('plain');
  });

  it('keys on a list read through a loop variable layered over the context', () => {
    const memo = new RenderMemo<string[]>();
    const render = (ctx: Record<string, unknown>) =>
      memo.get(ctx, [], () => {
        const items = ctx.node && (ctx.node as { peers: string[] }).peers ? (renderTemplate('{{node.peers | join(",")}}', ctx), (ctx.node as { peers: string[] }).peers) : [];
        return items.map((p) => renderTemplate('peer {{p}} of {{node.name}}', Object.assign(Object.create(ctx) as object, { p })));
      });
    expect(render({ node: { name: 'x', peers: ['a', 'b'] } })).toEqual(['peer a of x', 'peer b of x']);
    expect(render({ node: { name: 'x', peers: ['c'] } })).toEqual(['peer c of x']);
  });

  it('keys on the extra inputs the caller names', () => {
    const memo = new RenderMemo<string>();
    const ctx = { node: { name: 'n' } };
    expect(memo.get(ctx, ['vos'], () => 'ssh')).toBe('ssh');
    expect(memo.get(ctx, [undefined], () => 'question')).toBe('question');
    expect(memo.get(ctx, ['vos'], () => 'wrong')).toBe('ssh');
  });
});

describe('memoised plan = plan rendered for every target', () => {
  const root = packageRoot();
  const exampleFile = join(root, 'examples', 'ent-pa.yaml');
  type Cluster = { name: string; version: string; publisher: { host: string; ip: string; services: string[] }; subscribers: { host: string; ip: string; services: string[] }[]; imp: { publisher: { host: string; ip: string }; subscribers: { host: string; ip: string }[] } };
  const inv = parse(readFileSync(exampleFile, 'utf8')) as { cucm: Cluster[] };
  const us = inv.cucm[0]!;
  // Three clusters that differ in release, node count, services and addresses.
  const clone = (name: string, version: string, octet: number, subs: number): Cluster => {
    const c = structuredClone(us);
    c.name = name;
    c.version = version;
    c.publisher = { host: `${name}-cm-pub`, ip: `198.18.${octet}.10`, services: octet % 2 === 0 ? ['tftp'] : ['callmanager', 'tftp'] };
    c.subscribers = Array.from({ length: subs }, (_, i) => ({ host: `${name}-cm-sub${i + 1}`, ip: `198.18.${octet}.${11 + i}`, services: i % 2 === 0 ? ['callmanager', 'ctimanager'] : ['tftp'] }));
    c.imp = { publisher: { host: `${name}-imp-pub`, ip: `198.18.${octet}.20` }, subscribers: [{ host: `${name}-imp-sub1`, ip: `198.18.${octet}.21` }] };
    return c;
  };
  // Eight publishers and over 30 nodes: every Unified CM step is on enough targets to be memoised.
  inv.cucm.push(clone('c2', '14SU2', 2, 3), clone('c3', '14', 3, 1), clone('c4', '15', 4, 5), clone('c5', '14SU2', 5, 2), clone('c6', '14', 6, 4), clone('c7', '15', 7, 1), clone('c8', '14', 8, 6));
  const loaded = parseInventory(stringify(inv), exampleFile);
  const topology = buildTopology(loaded);
  const catalogue = defaultCatalogue();
  const memoised = buildPlan(topology, catalogue, { inventoryHash: loaded.hash });
  const reference = buildPlan(topology, catalogue, { inventoryHash: loaded.hash, memo: false });

  it('gives the same plan, step by step', () => {
    expect(memoised.steps.map((s) => s.id)).toEqual(reference.steps.map((s) => s.id));
    for (let i = 0; i < reference.steps.length; i++) expect(JSON.stringify(memoised.steps[i]), reference.steps[i]!.id).toBe(JSON.stringify(reference.steps[i]));
    const names = Object.fromEntries(catalogue.products.map((p) => [p.id, p.name]));
    expect(formatText(memoised, { color: false, productNames: names })).toBe(formatText(reference, { color: false, productNames: names }));
  });

  it('the comparison means something: steps on many targets, whose targets render different lines', () => {
    expect(reference.steps.filter((s) => s.actions.length >= 8).length).toBeGreaterThan(20);
    // A step on every Unified CM node whose lines name the node: each target its own commands.
    const differing = reference.steps.filter((s) => new Set(s.actions.map((a) => JSON.stringify(a.commands))).size > 1);
    expect(differing.length).toBeGreaterThan(5);
    const s = memoised.steps.find((x) => x.id === differing[0]!.id)!;
    expect(new Set(s.actions.map((a) => JSON.stringify(a.commands))).size).toBeGreaterThan(1);
  });
});
