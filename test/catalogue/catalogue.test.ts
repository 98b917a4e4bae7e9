import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CatalogueError, loadCatalogue } from '../../src/catalogue/load.js';
import { packageRoot } from '../../src/catalogue/root.js';
import { condTextParts, verifyVariants, type CondTextDef } from '../../src/catalogue/schema.js';

/** A catalogue line's text, whatever its condition. */
const plain = (t: CondTextDef) => condTextParts(t).text;
import { targetShapes } from '../../src/inventory/shapes.js';
import { outlineSteps } from './outline-steps.js';

describe('the shipped catalogue', () => {
  it('loads and validates (template variables, snippets, requirements)', () => {
    const cat = loadCatalogue(packageRoot(), { shapes: targetShapes });
    expect(cat.steps.length).toBeGreaterThan(0);
    expect(cat.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('holds every outline step S001–S126 with the outline slug, in order, and the review additions where they belong', () => {
    const cat = loadCatalogue(packageRoot(), { shapes: targetShapes });
    // review-2026 B.1: the MRA part of S032 (S127) runs after the Expressway-C certificate (S052) and the E-side zone (S055), last (ids ascend).
    // review-2026 C.4/B.3: the pre-flight reads and baselines (P001–P011), DNS of every name from each
    // publisher and the Unity Connection reads (P012–P015, issue 23) come first, the reads after the change (V001–V003) last.
    const preflight = ['preflight-dns-forward', 'preflight-dns-reverse', 'preflight-ntp', 'preflight-diagnose', 'preflight-dbreplication', 'preflight-network-cluster', 'preflight-license-export', 'preflight-drs-backup', 'baseline-itl', 'baseline-ctl', 'baseline-own-certificates', 'preflight-dns-every-name', 'preflight-cuc-dns', 'preflight-cuc-ntp', 'preflight-cuc-diagnose'];
    const expected = [...preflight.map((slug, i) => [`P${String(i + 1).padStart(3, '0')}`, slug]), ...outlineSteps];
    expected.push(['S127', 'cucm-phone-assign-psp-mra'], ['V001', 'after-itl'], ['V002', 'after-ctl'], ['V003', 'after-own-certificates']);
    expect(cat.steps.map((s) => [s.id, s.slug])).toEqual(expected);
  });

  it('confirms the DRS backup before the certificate replacement and mixed mode, and reads each baseline before and after (review-2026 B.3)', () => {
    const cat = loadCatalogue(packageRoot(), { shapes: targetShapes });
    const byId = new Map(cat.steps.map((s) => [s.id, s]));
    for (const id of ['S008', 'S022']) expect(byId.get(id)!.requires, id).toContain('P008');
    expect(verifyVariants(byId.get('P008')!.checkpoint)[0]?.command).toBe('utils disaster_recovery history backup');
    const names = (ids: string[]) => ids.map((id) => [byId.get(id)!.baseline, verifyVariants(byId.get(id)!.checkpoint)[0]?.command]);
    expect(names(['P009', 'P010', 'P011'])).toEqual(names(['V001', 'V002', 'V003']));
    expect(names(['P009', 'P010', 'P011'])).toEqual([['itl', 'show itl'], ['ctl', 'show ctl'], ['own-certificates', 'show cert list own']]);
    // Nothing of the pre-flight is sent as a change: its steps only read, at the checkpoint.
    for (const s of cat.steps.filter((x) => /^[PV]/.test(x.id))) {
      expect(s.commands, s.id).toEqual([]);
      expect(s.disruptive, s.id).toBe(false);
      expect(s.checkpoint.verify, s.id).toBeDefined();
    }
  });

  it('puts the MRA endpoints on encrypted profiles only after the Expressway-C certificate and the traversal zone (review-2026 B.1)', () => {
    const cat = loadCatalogue(packageRoot(), { shapes: targetShapes });
    const byId = new Map(cat.steps.map((s) => [s.id, s]));
    expect(byId.get('S127')!.requires).toEqual(expect.arrayContaining(['S052', 'S055']));
    // S032 no longer assigns MRA endpoints: its fields name no MRA profile.
    expect(JSON.stringify(byId.get('S032')!.gui)).not.toMatch(/MRA/);
  });
});

// A minimal catalogue in a temp dir, with one defect injected per test.
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const products = 'products:\n  - { id: cucm, name: Unified CM }\n';
const templates = `platform: vos
snippets:
  hello:
    params: [unit]
    commands:
      - send: set cert import trust {{unit}}
`;
function step(id: string, extra: string): string {
  return `  - id: ${id}
    slug: step-${id.toLowerCase()}
    title: Step ${id}
    product: cucm
    kind: cli
    summary: A step.
    targets: cucm-publisher
    checkpoint: { question: Done?, origin: suggested }
${extra}`;
}
function catalogueWith(stepsYaml: string, tpl = templates): string {
  const root = mkdtempSync(join(tmpdir(), 'collabsec-cat-'));
  dirs.push(root);
  mkdirSync(join(root, 'steps'));
  mkdirSync(join(root, 'templates'));
  writeFileSync(join(root, 'steps', 'products.yaml'), products);
  writeFileSync(join(root, 'templates', 'vos.yaml'), tpl);
  writeFileSync(join(root, 'steps', 'phase-a.yaml'), `phase: A\ntitle: Test\nsteps:\n${stepsYaml}`);
  return root;
}
function problems(root: string): string[] {
  try {
    loadCatalogue(root, { shapes: targetShapes });
  } catch (err) {
    expect(err).toBeInstanceOf(CatalogueError);
    return (err as CatalogueError).problems;
  }
  throw new Error('catalogue unexpectedly loaded');
}

describe('catalogue validation at load', () => {
  const ok = step('S001', '    commands: [{ use: vos/hello, with: { unit: tomcat } }]\n');

  it('accepts a well-formed catalogue', () => {
    const cat = loadCatalogue(catalogueWith(ok), { shapes: targetShapes });
    expect(cat.steps.map((s) => s.id)).toEqual(['S001']);
  });

  it('rejects an unknown template variable, naming step and variable', () => {
    const p = problems(catalogueWith(step('S001', '    commands: [{ use: vos/hello, with: { unit: "{{cluster.nosuch}}" } }]\n')));
    expect(p.join('\n')).toMatch(/S001: unknown variable "cluster\.nosuch"/);
  });

  it('rejects an unknown variable inside a snippet', () => {
    const tpl = templates.replace('{{unit}}', '{{unit}} {{node.trustpoint}}');
    const p = problems(catalogueWith(ok, tpl));
    expect(p.join('\n')).toMatch(/unknown variable "node\.trustpoint"/);
  });

  it('rejects a list used without join and an unknown snippet parameter', () => {
    const p = problems(catalogueWith(step('S001', '    commands: [{ use: vos/hello, with: { unit: "{{cluster.nodes}}", extra: x } }]\n')));
    expect(p.join('\n')).toMatch(/list "cluster\.nodes" needs \| join/);
    expect(p.join('\n')).toMatch(/has no parameter extra/);
  });

  it('rejects an unknown snippet, target group and product', () => {
    const bad = step('S001', '    commands: [vos/nope]\n').replace('targets: cucm-publisher', 'targets: moon-base').replace('product: cucm', 'product: zzz');
    const p = problems(catalogueWith(bad)).join('\n');
    expect(p).toMatch(/unknown target group "moon-base"/);
    expect(p).toMatch(/unknown product "zzz"/);
  });

  it('checks the conditions and templates of verify alternatives, warnings, instructions and back-out lines', () => {
    const cp = `    checkpoint:
      question: Done?
      origin: suggested
      verify:
        - { when: "nosuch.version < '3'", command: show a, parser: mmp-success }
        - { command: "show {{cluster.nosuch}}", parser: mmp-success }
    warnings:
      - { when: "alsono.flag", text: A warning. }
    instructions:
      - { when: "instrno.flag", text: Do this. }
    backout:
      text:
        - { when: "has.cms", text: "Undo {{cluster.gone}}." }
`;
    const bad = step('S001', '    commands: [{ use: vos/hello, with: { unit: a } }]\n' + cp).replace('    checkpoint: { question: Done?, origin: suggested }\n', '');
    const p = problems(catalogueWith(bad)).join('\n');
    expect(p).toMatch(/nosuch\.version/);
    expect(p).toMatch(/unknown variable "cluster\.nosuch"/);
    expect(p).toMatch(/alsono\.flag/);
    expect(p).toMatch(/instrno\.flag/);
    expect(p).toMatch(/unknown variable "cluster\.gone"/);
  });

  it('accepts ids of another letter in execution order (P before S), and refuses them out of order', () => {
    const pre = step('P001', '    commands: [{ use: vos/hello, with: { unit: a } }]\n');
    const main = step('S001', '    commands: [{ use: vos/hello, with: { unit: a } }]\n    requires: [P001]\n');
    expect(loadCatalogue(catalogueWith(pre + main), { shapes: targetShapes }).steps.map((s) => s.id)).toEqual(['P001', 'S001']);
    expect(problems(catalogueWith(main.replace('requires: [P001]', 'requires: []') + pre)).join('\n')).toMatch(/P001: step ids must ascend in execution order \(after S001\)/);
    expect(problems(catalogueWith(step('s01', '    commands: [{ use: vos/hello, with: { unit: a } }]\n'))).join('\n')).toMatch(/id: /);
  });

  it('refuses a baseline on a step whose checkpoint reads nothing', () => {
    const p = problems(catalogueWith(step('S001', '    commands: [{ use: vos/hello, with: { unit: a } }]\n    baseline: itl\n')));
    expect(p.join('\n')).toMatch(/baseline: a baseline keeps the checkpoint read: it needs checkpoint.verify/);
  });

  it('rejects a requirement on an unknown step', () => {
    const p = problems(catalogueWith(step('S001', '    commands: [{ use: vos/hello, with: { unit: a } }]\n    requires: [S099]\n')));
    expect(p.join('\n')).toMatch(/S001: requires unknown step S099/);
  });

  it('rejects a requirement cycle', () => {
    const a = step('S001', '    commands: [{ use: vos/hello, with: { unit: a } }]\n    requires: [S002]\n');
    const b = step('S002', '    commands: [{ use: vos/hello, with: { unit: a } }]\n    requires: [S001]\n');
    const p = problems(catalogueWith(a + b)).join('\n');
    expect(p).toMatch(/requirement cycle: S001 → S002 → S001/);
    expect(p).toMatch(/S001: requires S002, which comes later/);
  });

  it('rejects a snippet written for another platform than the step kind', () => {
    const bad = step('S001', '    commands: [{ use: vos/hello, with: { unit: a } }]\n').replace('kind: cli', 'kind: mmp');
    expect(problems(catalogueWith(bad)).join('\n')).toMatch(/snippet "vos\/hello" is for vos, step kind mmp needs mmp/);
  });

  it('checks verification argument items with each / when in their own scope', () => {
    const verify = (item: string) =>
      step('S001', '    commands: [{ use: vos/hello, with: { unit: a } }]\n').replace(
        'checkpoint: { question: Done?, origin: suggested }',
        `checkpoint:\n      question: Done?\n      origin: suggested\n      verify: { command: show x, parser: vos-cert-list, args: { contains: [${item}] } }`,
      );
    // The loop variable exists inside its item; a list is iterable only with each.
    expect(loadCatalogue(catalogueWith(verify('{ each: n in cluster.nodes, when: features.mixedMode, value: "{{n}}" }')), { shapes: targetShapes }).steps).toHaveLength(1);
    const p = problems(catalogueWith(verify('{ each: n in cluster.nodes, value: "{{n.nosuch}}" }, { when: features.teleport, value: x }, { each: n in node.name, value: y }'))).join('\n');
    expect(p).toMatch(/S001 \(verify\): unknown variable "n\.nosuch"/);
    expect(p).toMatch(/S001 \(verify\): unknown variable "features\.teleport"/);
    expect(p).toMatch(/S001 \(verify\): each "n in node\.name": "node\.name" is not a list/);
  });

  it('rejects an unknown variable in a when expression and a malformed step', () => {
    const bad = step('S001', '    commands: [{ use: vos/hello, with: { unit: a } }]\n    when: features.teleport\n');
    expect(problems(catalogueWith(bad)).join('\n')).toMatch(/unknown variable "features\.teleport"/);
    const noCmd = step('S001', '');
    expect(problems(catalogueWith(noCmd)).join('\n')).toMatch(/a cli step needs commands/);
  });
});

// review-2026 B.7: the chapter's advisories that had no place in the plan, as warnings citing their seed line.
describe('advisories of the chapter (review-2026 B.7)', () => {
  const cat = loadCatalogue(packageRoot(), { shapes: targetShapes });
  const warnings = (id: string) => cat.steps.find((s) => s.id === id)!.warnings.map(plain).join('\n');
  it('no certificate change during an upgrade, where the CA-signed VOS certificates are uploaded (L197)', () => {
    for (const id of ['S008', 'S040']) expect(warnings(id)).toMatch(/upgrade[\s\S]*L197/);
  });
  it('CUBE sizing before the router turns on TLS signalling and SRTP (L758)', () => {
    for (const id of ['S071', 'S074']) expect(warnings(id)).toMatch(/CUBE sizing[\s\S]*L758/);
  });
});

// review-2026 B.3: what the certificate replacements S008 and S040 need before them, shown before the typed confirmation.
describe('before a certificate replacement (review-2026 B.3)', () => {
  const cat = loadCatalogue(packageRoot(), { shapes: targetShapes });
  const step = (id: string) => cat.steps.find((s) => s.id === id)!;
  it.each(['S008', 'S040'])('%s: disruptive, with DRS backup, baselines and the SAML SSO warning', (id) => {
    const s = step(id);
    expect(s.disruptive).toBe(true);
    const w = s.warnings.map(plain).join('\n');
    expect(w).toMatch(/DRS backup/);
    for (const cmd of ['show itl', 'show ctl', 'show cert list own']) expect(w).toContain(`\`${cmd}\``);
    expect(w).toMatch(/SAML SSO/);
  });
  it('S008: the ITL recovery path with its seed line', () => {
    const itl = step('S008').warnings.map((w) => condTextParts(w).text).find((w) => w.includes('Settings Access'));
    expect(itl).toMatch(/L197/);
    expect(itl).toMatch(/ITL recovery key/);
    expect(itl).toMatch(/one ITLRecovery certificate/);
  });
});

// review-2026 B.4: a disruptive step says how to go back, or why there is no way back.
describe('back-outs of disruptive steps (review-2026 B.4)', () => {
  const cat = loadCatalogue(packageRoot(), { shapes: targetShapes });
  it('every disruptive step has a back-out (commands or text)', () => {
    const without = cat.steps.filter((s) => s.disruptive && (s.backout === undefined || s.backout.text.length + s.backout.commands.length === 0)).map((s) => s.id);
    expect(without).toEqual([]);
    expect(cat.steps.filter((s) => s.disruptive).length).toBeGreaterThan(20);
  });
  it('a back-out that regenerates a self-signed certificate names the restarts, the CTL and the peers that break', () => {
    const regen = cat.steps.filter((s) => s.backout?.commands.some((c) => c.startsWith('set cert regen')));
    expect(regen.map((s) => s.id)).toEqual(expect.arrayContaining(['S008', 'S040', 'S111']));
    for (const s of regen) {
      const text = s.backout!.text.map(plain).join('\n') + '\n' + s.backout!.commands.join('\n');
      expect(text, s.id).toMatch(/restart/i);
      expect(text, s.id).toMatch(/CTL/);
      expect(text, s.id).toMatch(/no longer trust|break/);
    }
    const s008 = cat.steps.find((s) => s.id === 'S008')!.backout!.text.map(plain).join('\n');
    for (const svc of ['Cisco Tftp', 'Cisco CallManager', 'Cisco CTIManager', 'Cisco Tomcat', 'utils ctl update CTLFile', 'Unity Connection', 'CUBE', 'Expressway', 'ILS', 'remote clusters']) expect(s008).toContain(svc);
  });
});

// review-2026 B.6: "SRST is secure" is not ticked without asking about the router's credentials service.
describe('S036 and the credentials service (review-2026 B.6)', () => {
  const cat = loadCatalogue(packageRoot(), { shapes: targetShapes });
  it('asks for the credentials service on port 2445 at its checkpoint and warns before', () => {
    const s = cat.steps.find((x) => x.id === 'S036')!;
    expect(s.checkpoint.question).toMatch(/section credentials[\s\S]*port 2445/);
    const warned = s.warnings.map(plain).join('\n');
    expect(warned).toMatch(/port 2445/);
    expect(warned).toMatch(/B\.6/);
    // The router side is S035's: it sends the credentials block and reads it back (all reads must pass).
    const r = cat.steps.find((x) => x.id === 'S035')!;
    expect(JSON.stringify(r.commands)).toMatch(/srst-credentials/);
    expect(JSON.stringify(r.checkpoint.verify)).toMatch(/section credentials[\s\S]*port 2445/);
  });
});
