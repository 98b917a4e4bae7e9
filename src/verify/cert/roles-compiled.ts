// Precompiled certificate role table: `npm run build` validates steps/certificates.yaml once and
// stores the result in dist/roles.json with the hash of the YAML text and of the validating code
// (roles.ts). At run time the text is hashed (cheap) and the stored table is used only when both
// hashes match; otherwise (an edited table, a development tree, another file) it is parsed and
// validated as before. Parsing and validating it was ~300M instructions before the wizard's first
// frame (issue 25), as the catalogue's YAML was for `plan` (src/catalogue/compiled.ts).
import { sha256Hex } from '../../sha256.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../catalogue/root.js';
import type { Role } from './roles.js';

interface Stored {
  version: 1;
  /** sha256 of the YAML text the table was validated from. */
  hash: string;
  /** sha256 of the module whose schema validated it (roles.ts or its built .js). */
  codeHash: string;
  roles: Role[];
}

declare const COLLABSEC_ROLES_CODE_HASH: string | undefined;

function codeHash(): string {
  // In the bundle (scripts/bundle.ts) roles.js is no longer a file beside this one: the bundler
  // injects the hash of the very file it bundled.
  if (typeof COLLABSEC_ROLES_CODE_HASH === 'string') return COLLABSEC_ROLES_CODE_HASH;
  const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
  return sha256Hex(readFileSync(new URL(`./roles.${ext}`, import.meta.url)));
}

export function compiledRolesPath(root: string = packageRoot()): string {
  return join(root, 'dist', 'roles.json');
}

/** Stores a table validated from `text` (the build's step, after parseRoleTableText). */
export function writeCompiledRoles(root: string, text: string, roles: Role[]): void {
  const stored: Stored = { version: 1, hash: sha256Hex(text), codeHash: codeHash(), roles };
  writeFileSync(compiledRolesPath(root), JSON.stringify(stored));
}

/** The stored table when it was validated from this very text by this very code, else undefined. */
export function readCompiledRoles(text: string, root?: string): Role[] | undefined {
  try {
    const stored = JSON.parse(readFileSync(compiledRolesPath(root), 'utf8')) as Stored;
    if (stored.version === 1 && stored.codeHash === codeHash() && stored.hash === sha256Hex(text)) return stored.roles;
  } catch {
    // No build, or a damaged file: never trusted, the text is validated instead.
  }
  return undefined;
}
