// The certificate role table (steps/certificates.yaml) is data: KU/EKU, CA type, multi-server and
// wildcard policy per product certificate, each with the chapter table it comes from. This file
// only validates it, so a typo in the YAML is a load error naming the path, not a silent pass.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { packageRoot } from '../../catalogue/root.js';

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

const source = z.string().min(1);

const keyUsageSchema = z
  .object({ required: z.array(z.enum(KEY_USAGES)).min(1), source, hints: z.partialRecord(z.enum(KEY_USAGES), z.string()).optional() })
  .strict();

const ekuSchema = z
  .object({
    required: z.array(z.enum(EXTENDED_KEY_USAGES)).min(1),
    source,
    hints: z.partialRecord(z.enum(EXTENDED_KEY_USAGES), z.string()).optional(),
  })
  .strict();

export const roleSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+\/[a-z0-9-]+$/, 'role ids look like product/certificate'),
    product: z.string().min(1),
    certificate: z.string().min(1),
    caType: z.enum(['enterprise', 'public', 'enterprise-preferred']),
    multiServer: z.boolean(),
    wildcard: z.enum(['refused', 'discouraged']),
    chain: z.enum(['supported', 'root-only']),
    subject: z.enum(SUBJECT_KINDS),
    referenceOnly: z.string().min(1).optional(),
    keyUsage: keyUsageSchema.optional(),
    extendedKeyUsage: ekuSchema.optional(),
  })
  .strict();

export type Role = z.infer<typeof roleSchema>;

export const roleTableSchema = z
  .object({ roles: z.array(roleSchema).min(1) })
  .strict()
  .superRefine((t, ctx) => {
    const seen = new Set<string>();
    t.roles.forEach((r, i) => {
      if (seen.has(r.id)) ctx.addIssue({ code: 'custom', path: ['roles', i, 'id'], message: `duplicate role id ${r.id}` });
      seen.add(r.id);
    });
  });

export class RoleTableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RoleTableError';
  }
}

/** Validates parsed YAML; issues are reported as `roles.3.keyUsage.required.0: …`. */
export function parseRoleTable(data: unknown, file: string): Role[] {
  const r = roleTableSchema.safeParse(data);
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

export async function loadRoleTable(file: string = defaultRoleTablePath()): Promise<Role[]> {
  const text = await readFile(file, 'utf8');
  let data: unknown;
  try {
    data = parse(text);
  } catch (e) {
    throw new RoleTableError(`${file} is not valid YAML: ${(e as Error).message}`);
  }
  return parseRoleTable(data, file);
}

export function findRole(roles: readonly Role[], id: string): Role | undefined {
  return roles.find((r) => r.id === id.toLowerCase());
}
