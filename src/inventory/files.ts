// The files an inventory names on the operator machine, and the one rule for where they are:
// a relative path resolves against the folder holding the inventory file (never the current
// folder), `..` may climb out of it, an absolute path is used as written, and `~` is not
// expanded (the schema refuses it). The schema's descriptions state the same rule.
import { isAbsolute, resolve } from 'node:path';
import type { Inventory } from './schema.js';

/** Where a path written in the inventory points, given the inventory's folder. */
export function resolveInventoryPath(dir: string, path: string): string {
  return isAbsolute(path) ? path : resolve(dir, path);
}

export interface NamedFile {
  /** Inventory field, e.g. "ca.b2bPartnerRootFiles[0]". */
  field: string;
  /** The path as written in the inventory. */
  path: string;
}

/** Every file path the inventory holds, with its field. */
export function namedFiles(inv: Inventory): NamedFile[] {
  return [
    { field: 'ca.enterprise.rootCertFile', path: inv.ca.enterprise.rootCertFile },
    ...(inv.ca.public ? [{ field: 'ca.public.rootCertFile', path: inv.ca.public.rootCertFile }] : []),
    ...inv.ca.b2bPartnerRootFiles.map((path, i) => ({ field: `ca.b2bPartnerRootFiles[${i}]`, path })),
  ];
}
