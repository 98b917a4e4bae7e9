// One snapshot per output format for the example inventory, plus the rules each view promises.
import { describe, expect, it } from 'vitest';
import { formatJson } from '../../src/plan/format/json.js';
import { formatMarkdown } from '../../src/plan/format/markdown.js';
import { formatText } from '../../src/plan/format/text.js';
import { loadPlan } from '../../src/plan/load-plan.js';

const { plan, catalogue } = loadPlan('examples/ent-pa.yaml');
// Fingerprints depend on files beside the example (none are shipped); keep snapshots stable.
const names = Object.fromEntries(catalogue.products.map((p) => [p.id, p.name]));

describe('plan views of the example inventory', () => {
  const text = formatText(plan, { color: false, productNames: names });
  const md = formatMarkdown(plan, names, 'ent-pa.yaml');
  const json = formatJson(plan);

  it('text snapshot', async () => {
    await expect(text).toMatchFileSnapshot('__snapshots__/ent-pa.plan.txt');
  });
  it('markdown snapshot', async () => {
    await expect(md).toMatchFileSnapshot('__snapshots__/ent-pa.plan.md');
  });
  it('json snapshot', async () => {
    await expect(json).toMatchFileSnapshot('__snapshots__/ent-pa.plan.json');
  });

  it('text: the heading counts the steps shown, in the singular for one', () => {
    expect(text.split('\n')[0]).toBe(`${plan.title} — ${plan.steps.length} steps`);
    const one = formatText({ ...plan, steps: plan.steps.slice(0, 1) }, { color: false, productNames: names });
    expect(one.split('\n')[0]).toBe(`${plan.title} — 1 step`);
  });
  it('text: every command line stands alone with only indentation before it', () => {
    const lines = new Set(text.split('\n').map((l) => l.trimStart()));
    const raw = text.split('\n');
    for (const s of plan.steps)
      for (const a of s.actions)
        for (const c of a.commands) {
          expect(lines.has(c.trimStart()), `${s.id} ${c}`).toBe(true);
          expect(raw.some((l) => /^\s*$/.test(l.slice(0, l.length - c.trimStart().length)) && l.endsWith(c.trimStart()))).toBe(true);
        }
    expect(text).not.toContain('\u001b[');
  });

  it('text and markdown show a paste as file name and fingerprint, never a PEM body', () => {
    expect(text).toMatch(/paste .*certs\/rootCAcert\.cer/);
    expect(text).not.toContain('-----BEGIN CERTIFICATE-----');
    expect(md).not.toContain('-----BEGIN CERTIFICATE-----');
  });

  it('markdown: a table of contents entry and anchor for every step, commands in code blocks', () => {
    for (const s of plan.steps) {
      expect(md).toContain(`](#${s.id.toLowerCase()})`);
      expect(md).toContain(`<a id="${s.id.toLowerCase()}"></a>`);
    }
    expect(md).toMatch(/```text\nutils ctl set-cluster mixed-mode\n```/);
    expect(md).toMatch(/> \*\*Warning:\*\* Disruptive/);
  });

  it('json: documented shape, one action per target with its exact commands', () => {
    const doc = JSON.parse(json) as { format: string; version: number; steps: { id: string; actions: { target: string; commands: string[] }[]; checkpoint: object; disruptive: boolean; kind: string; title: string; product: string }[] };
    expect(doc.format).toBe('collabsec-plan');
    expect(doc.version).toBe(1);
    const s022 = doc.steps.find((s) => s.id === 'S022')!;
    expect(s022).toMatchObject({ kind: 'cli', product: 'cucm', disruptive: true });
    expect(s022.actions).toEqual([expect.objectContaining({ target: 'us-cm-pub', commands: ['utils ctl set-cluster mixed-mode'] })]);
    for (const s of doc.steps) {
      const targets = s.actions.map((a) => a.target);
      expect(new Set(targets).size).toBe(targets.length);
    }
  });

  it('json: a baseline read names its baseline, paired before and after the change; other steps carry none', () => {
    const doc = JSON.parse(json) as { steps: { id: string; baseline?: string }[] };
    const kept = doc.steps.filter((s) => s.baseline !== undefined).map((s) => `${s.id}:${s.baseline}`);
    expect(kept).toEqual(['P009:itl', 'P010:ctl', 'P011:own-certificates', 'V001:itl', 'V002:ctl', 'V003:own-certificates']);
    expect(Object.keys(doc.steps.find((s) => s.id === 'S022')!)).not.toContain('baseline');
  });
});

// The chapter's own 2019 releases (Unified CM 12.5, Expressway X12.5, Meeting Server 2.x, IOS-XE 16)
// keep the chapter's commands pinned next to the current releases of ent-pa.yaml (issue 23).
describe('plan views of the chapter-2019 inventory', () => {
  const chapter = loadPlan('examples/chapter-2019.yaml');
  const text = formatText(chapter.plan, { color: false, productNames: names });
  const md = formatMarkdown(chapter.plan, names, 'chapter-2019.yaml');
  const json = formatJson(chapter.plan);

  it('text snapshot', async () => {
    await expect(text).toMatchFileSnapshot('__snapshots__/chapter-2019.plan.txt');
  });
  it('markdown snapshot', async () => {
    await expect(md).toMatchFileSnapshot('__snapshots__/chapter-2019.plan.md');
  });
  it('json snapshot', async () => {
    await expect(json).toMatchFileSnapshot('__snapshots__/chapter-2019.plan.json');
  });
  it('states the releases in every view', () => {
    expect(text.split('\n')[1]).toBe('Releases: Unified CM and IM and Presence 12.5 · Unity Connection 12.5 · Expressway X12.5 · Meeting Server 2.x · IOS-XE 16 · Prime Collaboration Deployment 12.5');
    expect(md).toContain('| Unified CM and IM and Presence release | 12.5 |');
    expect(JSON.parse(json).summary).toContainEqual({ label: 'Meeting Server release', value: '2.x' });
    expect(md).toContain('| Prime Collaboration Deployment release | 12.5 |');
  });
  it('renders the steps of ent-pa and the 2.x XMPP server step, with the 12.5 AXL schema', () => {
    // Meeting Server 2.x keeps S087 (XMPP server); ent-pa runs 3.x without it (review-2026 A.2).
    expect(chapter.plan.steps.map((s) => s.id).filter((id) => id !== 'S087')).toEqual(plan.steps.map((s) => s.id));
    expect(chapter.plan.steps.map((s) => s.id)).toContain('S087');
    expect(json).toContain('"version": "12.5"');
  });
});
