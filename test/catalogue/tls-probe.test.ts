// A checkpoint's `tls:` probes (issue 22) are validated at load like the rest of a step: shape,
// templated port, `when` expressions, and targets that are inventory nodes.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CatalogueError, loadCatalogue } from '../../src/catalogue/load.js';
import { targetShapes } from '../../src/inventory/shapes.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function catalogueWith(targets: string, tls: string): string {
  const root = mkdtempSync(join(tmpdir(), 'collabsec-cat-tls-'));
  dirs.push(root);
  mkdirSync(join(root, 'steps'));
  mkdirSync(join(root, 'templates'));
  writeFileSync(join(root, 'steps', 'products.yaml'), 'products:\n  - { id: tms, name: TMS }\n');
  writeFileSync(join(root, 'templates', 'vos.yaml'), 'platform: vos\nsnippets:\n  noop:\n    commands:\n      - send: show version active\n');
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
  writeFileSync(join(root, 'steps', 'phase-a.yaml'), `phase: A\ntitle: Test\nsteps:\n${step}`);
  return root;
}

function problems(root: string): string {
  try {
    loadCatalogue(root, { shapes: targetShapes });
  } catch (err) {
    expect(err).toBeInstanceOf(CatalogueError);
    return (err as CatalogueError).problems.join('\n');
  }
  throw new Error('catalogue unexpectedly loaded');
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
