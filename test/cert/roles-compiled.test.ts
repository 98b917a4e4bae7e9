// The precompiled role table (dist/roles.json) is used only for the very text and code it was
// validated from; an edited table, other code or a damaged file falls back to the validation, so
// a stale cache can never hide a defect in steps/certificates.yaml.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compiledRolesPath, readCompiledRoles, writeCompiledRoles } from '../../src/verify/cert/roles-compiled.js';
import { RoleTableError, defaultRoleTablePath, loadRoleTable, parseRoleTableText } from '../../src/verify/cert/roles.js';

const root = mkdtempSync(join(tmpdir(), 'collabsec-roles-compiled-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
mkdirSync(join(root, 'dist'));
const text = readFileSync(defaultRoleTablePath(), 'utf8');
const parsed = parseRoleTableText(text, 'certificates.yaml');

describe('compiled role table', () => {
  it('round-trips to the same roles as a full validation', () => {
    writeCompiledRoles(root, text, parsed);
    expect(readCompiledRoles(text, root)).toEqual(parsed);
  });

  it('is ignored once the text changes: the edited table is validated and its defect reported', async () => {
    writeCompiledRoles(root, text, parsed);
    const edited = text.replace(/caType: enterprise\b/, 'caType: enterprize');
    expect(edited).not.toBe(text);
    expect(readCompiledRoles(edited, root)).toBeUndefined();
    const file = join(root, 'certificates.yaml');
    writeFileSync(file, edited);
    await expect(loadRoleTable(file)).rejects.toThrow(RoleTableError);
  });

  it('is ignored when written by other code or damaged', () => {
    writeCompiledRoles(root, text, parsed);
    const stored = JSON.parse(readFileSync(compiledRolesPath(root), 'utf8')) as { codeHash: string };
    stored.codeHash = '0'.repeat(64);
    writeFileSync(compiledRolesPath(root), JSON.stringify(stored));
    expect(readCompiledRoles(text, root)).toBeUndefined();
    writeFileSync(compiledRolesPath(root), '{"version":1,');
    expect(readCompiledRoles(text, root)).toBeUndefined();
  });
});

describe('the role table as YAML', () => {
  // `yaml` is required only on this path (roles.ts): it must still parse and report.
  it('refuses a table that is not YAML, naming the file', async () => {
    const file = join(root, 'broken.yaml');
    writeFileSync(file, 'roles:\n  - id: "unterminated\n');
    await expect(loadRoleTable(file)).rejects.toThrow(/broken\.yaml is not valid YAML/);
  });
});
