// Which TLS ports `collabsec certs` probes on which node (issue 22 slice 3): steps/tls-ports.yaml
// says it per topology group, as data with a source per port; this file validates that table and
// lays it over an inventory's topology, so every (node, port) to probe comes out with its address,
// SNI name, STARTTLS dialect and certificate role. A node's `tlsPorts` moves a port elsewhere.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import * as z from 'zod/mini';
import '../zod.js';
import { evalExpr, parseExpr } from '../catalogue/expr.js';
import { packageRoot } from '../catalogue/root.js';
import type { LoadedInventory } from './load.js';
import { buildTopology } from './topology.js';

const portEntry = z.strictObject({
  port: z.number().check(z.int(), z.gte(1), z.lte(65535)),
  service: z.string().check(z.minLength(1), z.maxLength(120)),
  role: z.optional(z.string().check(z.regex(/^[a-z0-9-]+\/[a-z0-9-]+$/, 'a role id of steps/certificates.yaml'))),
  starttls: z.optional(z.enum(['xmpp-client', 'xmpp-server'])),
  when: z.optional(
    z.string().check(
      z.minLength(1),
      z.superRefine((s: string, ctx) => {
        try {
          parseExpr(s);
        } catch (e) {
          ctx.addIssue({ code: 'custom', message: (e as Error).message });
        }
      }),
    ),
  ),
  source: z.string().check(z.minLength(1)),
});

export type TlsPortEntry = z.infer<typeof portEntry>;

const tableSchema = z.strictObject({ groups: z.record(z.string().check(z.regex(/^[a-z][a-z0-9-]*$/)), z.array(portEntry).check(z.minLength(1))) });

export type TlsPortTable = z.infer<typeof tableSchema>['groups'];

export class TlsPortTableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TlsPortTableError';
  }
}

export function defaultTlsPortsPath(): string {
  return join(packageRoot(), 'steps', 'tls-ports.yaml');
}

export function parseTlsPortTable(data: unknown, file: string): TlsPortTable {
  const r = tableSchema.safeParse(data);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new TlsPortTableError(`${file} is not a valid TLS port table:\n${lines.join('\n')}`);
  }
  return r.data.groups;
}

export function loadTlsPortTable(file: string = defaultTlsPortsPath()): TlsPortTable {
  let data: unknown;
  try {
    data = parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new TlsPortTableError(`${file} is not valid YAML: ${(e as Error).message}`);
  }
  return parseTlsPortTable(data, file);
}

/** One port of one node to probe. */
export interface CertTarget {
  node: string;
  /** Topology group the port comes from (cucm-node, expe-node, …). */
  group: string;
  service: string;
  /** The port the product serves (the table's). */
  port: number;
  /** Where to connect: the node's inventory address and its `tlsPorts` override of `port`. */
  host: string;
  connectPort: number;
  /** SNI and the name the certificate must cover: the node's FQDN. */
  servername?: string;
  starttls?: 'xmpp-client' | 'xmpp-server';
  role?: string;
}

/** Every (node, port) of the inventory, in the table's group order and the inventory's node order. */
export function certTargets(loaded: LoadedInventory, table: TlsPortTable = loadTlsPortTable()): CertTarget[] {
  const topo = buildTopology(loaded);
  const out: CertTarget[] = [];
  const seen = new Set<string>();
  for (const [group, entries] of Object.entries(table)) {
    for (const node of topo.groups[group] ?? []) {
      const ctx = { ...topo.globals, ...node.context };
      const fqdn = (node.context.node as { fqdn?: unknown } | undefined)?.fqdn;
      const servername = typeof fqdn === 'string' && fqdn !== '' ? fqdn : undefined;
      const host = node.host ?? servername;
      if (host === undefined) continue;
      for (const e of entries) {
        if (e.when !== undefined && !evalExpr(parseExpr(e.when), ctx)) continue;
        // One row per node and port, even when two services share it (CMS Web Bridge and Web Admin never both hold 443).
        const key = `${node.name}\0${e.port}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({
          node: node.name,
          group,
          service: e.service,
          port: e.port,
          host,
          connectPort: node.tlsPorts?.[String(e.port)] ?? e.port,
          ...(servername !== undefined ? { servername } : {}),
          ...(e.starttls !== undefined ? { starttls: e.starttls } : {}),
          ...(e.role !== undefined ? { role: e.role } : {}),
        });
      }
    }
  }
  return out;
}
