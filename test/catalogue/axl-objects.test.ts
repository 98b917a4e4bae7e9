// AXL objects in the catalogue (issue 21) are checked at load like commands: only on targets that
// speak AXL, every expression and value against the target's context, a name always present.
import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../src/catalogue/load.js';
import { targetShapes } from '../../src/inventory/shapes.js';
import { loadProblems as problems, writeCatalogue } from './fixture.js';

function withStep(targets: string, axl: string, extra = ''): string {
  return writeCatalogue({
    product: 'cucm',
    vosTemplates: 'platform: vos\nsnippets:\n  x:\n    commands:\n      - send: show myself\n',
    steps: `  - id: S001
    slug: step-one
    title: Step one
    product: cucm
    kind: gui
    summary: A step.
    targets: ${targets}
    gui: { path: [Somewhere] }
${extra}    axl:
${axl}
    checkpoint: { question: Done?, origin: suggested }
`,
  });
}

const good = `      - object: PhoneSecurityProfile
        mode: create
        fields:
          - { name: name, value: "{{psp.jabber}}" }
          - { name: deviceSecurityMode, value: Encrypted }
`;

describe('AXL objects in the catalogue', () => {
  it('loads on a Unified CM publisher', () => {
    expect(loadCatalogue(withStep('cucm-publisher', good), { shapes: targetShapes }).steps[0]!.axl[0]!.object).toBe('PhoneSecurityProfile');
  });

  it('a list.item[].leaf field only updates existing objects', () => {
    const path = `${good}          - { name: "destinations.destination[].port", value: "5061" }\n`;
    expect(problems(withStep('cucm-publisher', path)).join('\n')).toMatch(/list\.item\[\]\.leaf field changes existing items: update only/);
    expect(loadCatalogue(withStep('cucm-publisher', path.replace('mode: create', 'mode: update')), { shapes: targetShapes }).steps[0]!.axl[0]!.fields.at(-1)!.name).toBe('destinations.destination[].port');
  });

  it('is refused on a step that also sends commands', () => {
    const both = withStep('cucm-publisher', good, '    commands: [vos/x]\n');
    expect(problems(both).join('\n')).toMatch(/S001: a step sends either commands or AXL requests, not both/);
  });

  it('is refused on a target that does not speak AXL', () => {
    expect(problems(withStep('ios-router', good)).join('\n')).toMatch(/S001: AXL objects need a target that speaks AXL/);
  });

  it('names an unknown variable in a field value', () => {
    expect(problems(withStep('cucm-publisher', good.replace('{{psp.jabber}}', '{{psp.nosuch}}'))).join('\n')).toMatch(/S001 \(AXL PhoneSecurityProfile\): unknown variable "psp\.nosuch"/);
  });

  it('needs an unconditional name and refuses a field twice or a bad element name', () => {
    const noName = good.replace('{ name: name, value: "{{psp.jabber}}" }', '{ name: name, value: x, when: has.psp }');
    expect(problems(withStep('cucm-publisher', noName)).join('\n')).toMatch(/every key field of an AXL object must be an unconditional field/);
    const keyed = good.replace('mode: create', 'mode: update\n        key: [processNodeName, name]');
    expect(problems(withStep('cucm-publisher', keyed)).join('\n')).toMatch(/every key field/);
    const twice = `${good}          - { name: deviceSecurityMode, value: Authenticated }\n`;
    expect(problems(withStep('cucm-publisher', twice)).join('\n')).toMatch(/field deviceSecurityMode twice/);
    const badElement = good.replace('name: deviceSecurityMode', 'name: "device<x>"');
    expect(problems(withStep('cucm-publisher', badElement)).join('\n')).toMatch(/fields/);
  });
});
