// The certificate role table (steps/certificates.yaml) is data: KU/EKU, CA type, multi-server and
// wildcard policy per product certificate, each with the chapter table it comes from. This file
// only validates it, so a typo in the YAML is a load error naming the path, not a silent pass.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as z from 'zod/mini';
// English messages and the memoizer, installed before the table's schemas are built (zod.ts says why).
import '../../zod.js';
import { packageRoot } from '../../catalogue/root.js';
import { compareVersions, parseVersion } from '../../catalogue/version.js';
import { readCompiledRoles } from './roles-compiled.js';

export const KEY_USAGES = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;
export type KeyUsageName = (typeof KEY_USAGES)[number];

export const EXTENDED_KEY_USAGES = ['serverAuth', 'clientAuth', 'codeSigning', 'emailProtection', 'timeStamping', 'ocspSigning'] as const;
export type ExtendedKeyUsageName = (typeof EXTENDED_KEY_USAGES)[number];

export const SUBJECT_KINDS = [
  'cucm-multi-server',
  'cucm-node',
  'imp-multi-server',
  'cuc-multi-server',
  'expressway-c',
  'expressway-e',
  'ios-router',
  'cms-shared',
  'cms-dbclient',
  'cmm',
  'tms',
  'pcd',
  'pcp',
] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

/** The inventory release a role's per-release rules follow. */
export const RELEASE_PRODUCTS = ['expressway'] as const;
export type ReleaseProduct = (typeof RELEASE_PRODUCTS)[number];

/**
 * The table's zod schemas, built at the first validation only: with the precompiled table
 * (roles-compiled.ts) a start-up never validates, so importing this module builds nothing.
 */
function buildSchemas() {
  const source = z.string().check(z.minLength(1));

  const keyUsageSchema = z.strictObject({ required: z.array(z.enum(KEY_USAGES)).check(z.minLength(1)), source, hints: z.optional(z.partialRecord(z.enum(KEY_USAGES), z.string())) });

  /**
   * The EKU rule from a product release on (review-2026 C.1): the last entry whose `from` is at or
   * below the inventory's release replaces `required`/`source`, and its `note` is shown with the check.
   */
  const ekuReleaseSchema = z.strictObject({
    from: z.string().check(
      z.minLength(1),
      z.refine((v) => parseVersion(v) !== undefined, 'a release name such as X15.4'),
    ),
    required: z.array(z.enum(EXTENDED_KEY_USAGES)).check(z.minLength(1)),
    source,
    note: z.string().check(z.minLength(1)),
  });

  const ekuSchema = z.strictObject({
    required: z.array(z.enum(EXTENDED_KEY_USAGES)).check(z.minLength(1)),
    source,
    hints: z.optional(z.partialRecord(z.enum(EXTENDED_KEY_USAGES), z.string())),
    /** A warning shown while the base rule applies (no `releases` entry reached). */
    warning: z.optional(z.string().check(z.minLength(1))),
    /** Per-release rules, in ascending order of `from` (needs the role's `releaseOf`). */
    releases: z.optional(z.array(ekuReleaseSchema)),
  });

  const roleSchema = z
    .strictObject({
      id: z.string().check(z.regex(/^[a-z0-9-]+\/[a-z0-9-]+$/, 'role ids look like product/certificate')),
      product: z.string().check(z.minLength(1)),
      certificate: z.string().check(z.minLength(1)),
      caType: z.enum(['enterprise', 'public', 'enterprise-preferred']),
      multiServer: z.boolean(),
      wildcard: z.enum(['refused', 'discouraged']),
      chain: z.enum(['supported', 'root-only']),
      subject: z.enum(SUBJECT_KINDS),
      referenceOnly: z.optional(z.string().check(z.minLength(1))),
      keyUsage: z.optional(keyUsageSchema),
      extendedKeyUsage: z.optional(ekuSchema),
      /** Which inventory release picks among extendedKeyUsage.releases. */
      releaseOf: z.optional(z.enum(RELEASE_PRODUCTS)),
    })
    .check(
      z.superRefine((r, ctx) => {
        const rel = r.extendedKeyUsage?.releases ?? [];
        if (rel.length > 0 && r.releaseOf === undefined) ctx.addIssue({ code: 'custom', path: ['releaseOf'], message: 'extendedKeyUsage.releases needs releaseOf' });
        rel.forEach((e, i) => {
          const prev = rel[i - 1];
          if (prev && parseVersion(prev.from) && parseVersion(e.from) && compareVersions(prev.from, e.from) >= 0)
            ctx.addIssue({ code: 'custom', path: ['extendedKeyUsage', 'releases', i, 'from'], message: `releases must ascend (${e.from} after ${prev.from})` });
        });
      }),
    );

  const roleTableSchema = z.strictObject({ roles: z.array(roleSchema).check(z.minLength(1)) }).check(
    z.superRefine((t, ctx) => {
      const seen = new Set<string>();
      t.roles.forEach((r, i) => {
        if (seen.has(r.id)) ctx.addIssue({ code: 'custom', path: ['roles', i, 'id'], message: `duplicate role id ${r.id}` });
        seen.add(r.id);
      });
    }),
  );
  return { roleSchema, roleTableSchema };
}

let schemas: ReturnType<typeof buildSchemas> | undefined;

// The `yaml` library (157 KB) is loaded only when the table's text is parsed: with the precompiled
// table (roles-compiled.ts) the wizard never parses it, and loaded it before its first frame
// for nothing (issue 25). The inventory loader loads it the same way (src/inventory/load.ts).
const requireYaml = () => createRequire(import.meta.url)('yaml') as typeof import('yaml');

export type Role = z.infer<ReturnType<typeof buildSchemas>['roleSchema']>;

export class RoleTableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RoleTableError';
  }
}

/** Validates parsed YAML; issues are reported as `roles.3.keyUsage.required.0: …`. */
export function parseRoleTable(data: unknown, file: string): Role[] {
  const r = (schemas ??= buildSchemas()).roleTableSchema.safeParse(data);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new RoleTableError(`${file} is not a valid certificate role table:\n${lines.join('\n')}`);
  }
  return r.data.roles;
}

/** steps/certificates.yaml at the package root (the catalogue's root finder: src/ or dist/src/). */
export function defaultRoleTablePath(): string {
  return join(packageRoot(), 'steps', 'certificates.yaml');
}

/** Parses and validates the table's YAML text; `file` names it in errors. */
export function parseRoleTableText(text: string, file: string): Role[] {
  let data: unknown;
  try {
    data = requireYaml().parse(text);
  } catch (e) {
    throw new RoleTableError(`${file} is not valid YAML: ${(e as Error).message}`);
  }
  return parseRoleTable(data, file);
}

/**
 * The validated table: the one `npm run build` stored (dist/roles.json) when it was validated from
 * this very text by this very code, else parsed and validated now.
 */
export async function loadRoleTable(file: string = defaultRoleTablePath()): Promise<Role[]> {
  const text = await readFile(file, 'utf8');
  return readCompiledRoles(text) ?? parseRoleTableText(text, file);
}

export function findRole(roles: readonly Role[], id: string): Role | undefined {
  return roles.find((r) => r.id === id.toLowerCase());
}

/**
 * The role as it applies to a product release (review-2026 C.1): the EKU rule of the last
 * `releases` entry at or below `release`, with its note; otherwise the base rule with its
 * warning. `release` undefined (no inventory): the base rule, whose warning names the releases
 * that differ. Returns the notes to show as warnings beside the checks.
 */
export function roleForRelease(role: Role, release: string | undefined): { role: Role; notes: string[] } {
  const eku = role.extendedKeyUsage;
  if (!eku) return { role, notes: [] };
  const entries = eku.releases ?? [];
  const hit = release === undefined ? undefined : [...entries].reverse().find((e) => compareVersions(e.from, release) <= 0);
  if (hit) return { role: { ...role, extendedKeyUsage: { ...eku, required: hit.required, source: hit.source } }, notes: [`${role.id} on ${release}: ${hit.note}`] };
  const notes = eku.warning === undefined ? [] : [`${role.id}${release !== undefined ? ` on ${release}` : ''}: ${eku.warning}`];
  if (release === undefined && entries.length > 0) notes.push(`${role.id}: without an inventory the rule before ${entries[0]!.from} applies; give --inventory to check against its ${role.releaseOf} release`);
  return { role, notes };
}
