// The README says how many steps each shipped example plans and why the rest are left out
// (issue 25, from issue 12 "CLI conventions"); this keeps those numbers and names true.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadPlan } from '../../src/plan/load-plan.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8').replace(/\s+/g, ' ');

describe('README: the steps each example plans', () => {
  it.each(['ent-pa', 'chapter-2019'])('examples/%s.yaml: the count the README gives, and each step left out named', (name) => {
    const { plan, catalogue } = loadPlan(`examples/${name}.yaml`);
    const planned = new Set(plan.steps.map((s) => s.id));
    const off = catalogue.steps.filter((s) => !planned.has(s.id)).map((s) => s.id);
    const claim = new RegExp(`\`examples/${name}\\.yaml\` plans (\\d+)( of the catalogue's (\\d+) steps)?`).exec(readme);
    expect(claim, `the README states what examples/${name}.yaml plans`).not.toBeNull();
    expect(Number(claim![1])).toBe(plan.steps.length);
    if (claim![3] !== undefined) expect(Number(claim![3])).toBe(catalogue.steps.length);
    // Every step left out of the fuller example is named with its reason.
    if (name === 'ent-pa') for (const id of off) expect(readme).toMatch(new RegExp(`${id} [a-z]`));
  });
});
