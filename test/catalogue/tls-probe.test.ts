// A checkpoint's `tls:` probes (issue 22) are validated at load like the rest of a step: shape,
// templated port, `when` expressions, and targets that are inventory nodes.
import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../src/catalogue/load.js';
import { targetShapes } from '../../src/inventory/shapes.js';
import { loadProblems, writeCatalogue } from './fixture.js';

function catalogueWith(targets: string, tls: string): string {
  const step = `  - id: S001
    slug: restart
    title: Restart
    product: tms
    kind: gui
    summary: Restart.
    targets: ${targets}
    gui: { path: [Services] }
    checkpoint:
      question: Done?
      origin: suggested
      tls:
${tls}`;
  return writeCatalogue({ product: 'tms', steps: step, vosTemplates: 'platform: vos\nsnippets:\n  noop:\n    commands:\n      - send: show version active\n' });
}

function problems(root: string): string {
  return loadProblems(root).join('\n');
}

describe('checkpoint tls probes', () => {
  it('accepts a port, a templated port, STARTTLS, a role and a when', () => {
    const cat = loadCatalogue(catalogueWith('tms', '        - { port: 443, role: tms/server }\n        - { port: "{{node.host}}", starttls: xmpp-client, when: "features.mra" }\n'), { shapes: targetShapes });
    expect(cat.steps[0]!.checkpoint.tls).toHaveLength(2);
  });

  it('rejects an unknown STARTTLS dialect, a malformed role and an unknown field', () => {
    expect(problems(catalogueWith('tms', '        - { port: 5222, starttls: smtp }\n'))).toMatch(/checkpoint\.tls\.0\.starttls/);
    expect(problems(catalogueWith('tms', '        - { port: 443, role: "TMS server" }\n'))).toMatch(/checkpoint\.tls\.0\.role/);
    expect(problems(catalogueWith('tms', '        - { port: 443, sni: x }\n'))).toMatch(/checkpoint\.tls\.0/);
    expect(problems(catalogueWith('tms', '        - { port: 70000 }\n'))).toMatch(/checkpoint\.tls\.0\.port/);
  });

  it('rejects an unknown variable in the port or the when, and targets without a node address', () => {
    expect(problems(catalogueWith('tms', '        - { port: "{{node.nosuch}}" }\n'))).toMatch(/node\.nosuch/);
    expect(problems(catalogueWith('tms', '        - { port: 443, when: "features.teleport" }\n'))).toMatch(/features\.teleport/);
    expect(problems(catalogueWith('operator', '        - { port: 443 }\n'))).toMatch(/TLS probe needs targets that are inventory nodes/);
  });
});
