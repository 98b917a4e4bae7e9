// Issue 19 slice 1b: files named by the inventory resolve against the inventory's folder, by the
// rule the schema states (relative → the inventory's folder, `..` allowed, absolute as written,
// `~` refused), wherever collabsec reads them.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { resolveInventoryPath } from '../../src/inventory/files.js';
import { InventoryError, parseInventory } from '../../src/inventory/load.js';
import { loadPlan } from '../../src/plan/load-plan.js';

const example = fs.readFileSync(new URL('../../examples/ent-pa.yaml', import.meta.url), 'utf8');
const schemaJson = fs.readFileSync(new URL('../../schema/inventory.schema.json', import.meta.url), 'utf8');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'collabsec-paths-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function withRoot(rootCertFile: string): string {
  const doc = parseDocument(example);
  doc.setIn(['ca', 'enterprise', 'rootCertFile'], rootCertFile);
  return doc.toString();
}

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const rootPastes = (file: string) =>
  loadPlan(file)
    .plan.steps.flatMap((s) => s.actions.flatMap((a) => a.pasteFiles))
    .filter((p) => p.path.endsWith('root.pem'));

describe('the inventory path rule', () => {
  it('resolves relative paths against the inventory folder, ".." included, absolute as written', () => {
    expect(resolveInventoryPath('/inv/dir', 'certs/a.pem')).toBe('/inv/dir/certs/a.pem');
    expect(resolveInventoryPath('/inv/dir', '../shared/a.pem')).toBe('/inv/shared/a.pem');
    expect(resolveInventoryPath('/inv/dir', '/etc/pki/a.pem')).toBe('/etc/pki/a.pem');
  });

  it('the plan fingerprints the file beside the inventory, whatever the current folder', () => {
    fs.mkdirSync(path.join(dir, 'site', 'certs'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'shared'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'site', 'certs', 'root.pem'), 'beside');
    fs.writeFileSync(path.join(dir, 'shared', 'root.pem'), 'shared');
    fs.writeFileSync(path.join(dir, 'site', 'inv.yaml'), withRoot('certs/root.pem'));
    fs.writeFileSync(path.join(dir, 'site', 'up.yaml'), withRoot('../shared/root.pem'));
    fs.writeFileSync(path.join(dir, 'site', 'abs.yaml'), withRoot(path.join(dir, 'shared', 'root.pem')));
    const cwd = process.cwd();
    try {
      process.chdir(os.tmpdir());
      expect(rootPastes(path.join(dir, 'site', 'inv.yaml'))[0]?.sha256).toBe(sha('beside'));
      expect(rootPastes(path.join(dir, 'site', 'up.yaml'))[0]?.sha256).toBe(sha('shared'));
      expect(rootPastes(path.join(dir, 'site', 'abs.yaml'))[0]?.sha256).toBe(sha('shared'));
    } finally {
      process.chdir(cwd);
    }
  });

  it('refuses "~" (never expanded) naming the field', () => {
    try {
      parseInventory(withRoot('~/certs/root.pem'), 'inv.yaml');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InventoryError);
      expect((e as InventoryError).problems.map((p) => p.path)).toEqual(['ca.enterprise.rootCertFile']);
      expect((e as InventoryError).message).toMatch(/"~" is not expanded/);
    }
  });

  it('the committed JSON Schema states the rule', () => {
    expect(schemaJson).toContain('a relative path resolves against the folder holding the inventory file');
    expect(schemaJson).toContain('\\"~\\" is not expanded');
  });
});
