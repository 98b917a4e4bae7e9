// Inventory → expected CN and SANs for one certificate role (Tables 7-6, 7-9, 7-16; S080).
// Pure: the command passes the loaded inventory and, for per-node or multi-cluster roles, the
// node or cluster the operator named with --node.
import { type NamedNode, fqdnOf, multiServerCn } from '../../inventory/names.js';
import { keyChoice, type KeyInput } from '../../inventory/keys.js';
import type { Inventory } from '../../inventory/schema.js';
import type { Expectation } from './expectations-types.js';
import type { Role } from './roles.js';

export type { Expectation } from './expectations-types.js';

export class ExpectationError extends Error {
  constructor(
    message: string,
    readonly choices: string[] = [],
  ) {
    super(message);
    this.name = 'ExpectationError';
  }
}

type Node = NamedNode;

export { multiServerCn };

const nodeSans = (nodes: readonly Node[], domain: string, why: string) => nodes.map((n) => ({ name: fqdnOf(n, domain), why }));

function pick<T>(items: readonly T[], name: (t: T) => string, wanted: string | undefined, what: string): T {
  if (items.length === 0) throw new ExpectationError(`the inventory has no ${what}`);
  const names = items.map(name);
  if (wanted === undefined) {
    if (items.length === 1) return items[0]!;
    throw new ExpectationError(`the inventory has ${items.length} ${what}s; choose one with --node (${names.join(', ')})`, names);
  }
  const found = items.find((t) => name(t).toLowerCase() === wanted.toLowerCase());
  if (!found) throw new ExpectationError(`--node ${wanted}: no such ${what} in the inventory (${names.join(', ')})`, names);
  return found;
}

function need<T>(v: T | undefined, what: string): T {
  if (v === undefined) throw new ExpectationError(`the inventory has no ${what} section; add it or choose another --for role`);
  return v;
}

/**
 * The expectation with the key the inventory chooses at `field`. Absent there, none is added: the
 * checks keep the chapter's rule (RSA of at least 2048 bits) and its messages.
 */
const keyed = (e: Expectation, k: KeyInput, field: string): Expectation => (k === undefined ? e : { ...e, key: { choice: keyChoice(k), field } });

export function expectationFor(inv: Inventory, role: Role, node?: string): Expectation {
  const d = inv.domain;
  switch (role.subject) {
    case 'cucm-multi-server': {
      const c = pick(inv.cucm, (x) => x.name, node, 'Unified CM cluster');
      const cm = [c.publisher, ...c.subscribers];
      // Table 7-6: tomcat covers every Unified CM *and* IM and Presence node; CallManager only Unified CM.
      const imp = role.certificate === 'tomcat' && c.imp ? [c.imp.publisher, ...c.imp.subscribers] : [];
      const e = {
        scope: `Unified CM cluster ${c.name}`,
        cn: multiServerCn(c.publisher, d),
        sans: [...nodeSans(cm, d, 'Unified CM node'), ...nodeSans(imp, d, 'IM and Presence node')],
      };
      return keyed(e, c.key, `cucm[${inv.cucm.indexOf(c)}].key`);
    }
    case 'cucm-node': {
      const nodes = inv.cucm.flatMap((c) => [c.publisher, ...c.subscribers]);
      if (node !== undefined) {
        const n = pick(nodes, (x) => x.host, node, 'Unified CM node');
        return { scope: `Unified CM node ${n.host}`, cn: fqdnOf(n, d), sans: [] };
      }
      return { scope: 'a Unified CM node', cnOneOf: nodes.map((n) => fqdnOf(n, d)), sans: [] };
    }
    case 'imp-multi-server': {
      const withImp = inv.cucm.filter((c) => c.imp);
      const c = pick(withImp, (x) => x.name, node, 'Unified CM cluster with IM and Presence');
      const imp = c.imp!;
      const e = { scope: `IM and Presence of cluster ${c.name}`, cn: multiServerCn(imp.publisher, d), sans: nodeSans([imp.publisher, ...imp.subscribers], d, 'IM and Presence node') };
      return keyed(e, c.key, `cucm[${inv.cucm.indexOf(c)}].key`);
    }
    case 'cuc-multi-server': {
      const u = need(inv.unity, 'unity');
      const nodes = [u.publisher, ...(u.subscriber ? [u.subscriber] : [])];
      return keyed({ scope: 'Unity Connection cluster', cn: multiServerCn(u.publisher, d), sans: nodeSans(nodes, d, 'Unity Connection node') }, u.key, 'unity.key');
    }
    case 'expressway-c':
    case 'expressway-e':
      return expressway(inv, role.subject === 'expressway-c' ? 'c' : 'e', node);
    case 'ios-router': {
      const r = pick(inv.ios, (x) => x.host, node, 'IOS router');
      return keyed({ scope: `IOS router ${r.host}`, cn: r.cn, sans: [] }, r.key, `ios[${inv.ios.indexOf(r)}].key`);
    }
    case 'cms-shared': {
      const cms = need(inv.cms, 'cms');
      // S080 / D-10: the CN (2.x: the XMPP domain) is also a SAN, beside every node FQDN.
      const cn = cms.commonName ?? cms.xmppDomain ?? '';
      const nodes = nodeSans(cms.nodes, d, 'CMS node');
      const why = cms.xmppDomain !== undefined ? 'XMPP domain, also required as SAN (D-10)' : 'the shared certificate CN, also required as SAN (D-10)';
      return keyed({
        scope: 'Meeting Server cluster',
        cn,
        sans: nodes.some((n) => n.name.toLowerCase() === cn.toLowerCase()) ? nodes : [...nodes, { name: cn, why }],
      }, cms.key, 'cms.key');
    }
    case 'cms-dbclient':
      // S081: `pki csr dbclusterclient CN:postgres`; the database server checks this exact name.
      return keyed({ scope: 'Meeting Server database client', cn: 'postgres', sans: [] }, need(inv.cms, 'cms').key, 'cms.key');
    case 'cmm': {
      const s = need(inv.cmm, 'cmm');
      const f = fqdnOf(s, d);
      const cdr = s.cdrReceiverAddress;
      return keyed({
        scope: 'Meeting Management',
        cn: f,
        // L1435: the certificate must cover the CDR receiver address as well as the browsed name.
        sans: cdr && cdr.toLowerCase() !== f.toLowerCase() ? [{ name: cdr, why: 'CDR receiver address (L1435)' }] : [],
        recommendedSans: [{ name: f, why: 'browsers match the SAN, not the CN' }],
      }, s.key, 'cmm.key');
    }
    case 'tms': {
      const s = need(inv.tms, 'tms');
      const f = fqdnOf(s, d);
      return keyed({ scope: role.product, cn: f, sans: [], recommendedSans: [{ name: f, why: 'browsers match the SAN, not the CN' }] }, s.key, 'tms.key');
    }
    case 'pcd':
    case 'pcp': {
      const s = need(inv[role.subject], role.subject);
      const f = fqdnOf(s, d);
      return { scope: role.product, cn: f, sans: [], recommendedSans: [{ name: f, why: 'browsers match the SAN, not the CN' }] };
    }
  }
}

/** Table 7-16: which SANs each Expressway cluster needs, by enabled feature. */
function expressway(inv: Inventory, side: 'c' | 'e', node: string | undefined): Expectation {
  const exp = need(inv.expressway, 'expressway');
  const cluster = exp[side];
  const d = inv.domain;
  const label = side === 'c' ? 'Expressway-C' : 'Expressway-E';
  const sans: Expectation['sans'] = [];
  let scope = `${label} cluster ${cluster.clusterName}`;
  let cnOneOf = [cluster.clusterName, ...cluster.nodes.map((n) => fqdnOf(n, d))];
  if (node !== undefined) {
    const n = pick(cluster.nodes, (x) => x.host, node, `${label} node`);
    scope = `${label} node ${n.host}`;
    cnOneOf = [fqdnOf(n, d), cluster.clusterName];
    sans.push({ name: fqdnOf(n, d), why: 'this node' });
  }
  const f = inv.features;
  if (side === 'c') {
    // Table 7-16: the cluster name is in every column (MRA, XMPP federation, B2B), as in the plan's CSR step.
    if (f.mra || f.xmppFederation || f.b2b) sans.push({ name: cluster.clusterName, why: 'Expressway-C cluster name (Table 7-16)' });
    const psp = inv.phoneSecurityProfiles;
    if (f.mra && psp) {
      // The Jabber SIP OAuth profile is deliberately absent (Table 7-16 note 2).
      for (const name of [psp.lscTftpEncrypted, psp.lsc, psp.initial.name]) sans.push({ name, why: 'phone security profile name for MRA (Table 7-16)' });
    }
  } else {
    if (f.mra) for (const r of exp.registrationDomains) sans.push({ name: r, why: 'Unified CM registration domain for MRA (Table 7-16)' });
    if (f.xmppFederation) for (const x of exp.xmppFederationDomains) sans.push({ name: x, why: 'XMPP federation domain (Table 7-16)' });
  }
  if (f.xmppFederation) for (const a of exp.chatNodeAliases) sans.push({ name: a, why: 'IM and Presence chat node alias (Table 7-16)' });
  return { scope, cnOneOf, sans: dedupe(sans) };
}

function dedupe(sans: Expectation['sans']): Expectation['sans'] {
  const seen = new Set<string>();
  return sans.filter((s) => {
    const k = s.name.toLowerCase();
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * What a local `openssl req -new` (CMM S094, TMS S099) should be given so the CSR already names
 * what the checkpoint expects: the CN as -subj and every expected SAN via -addext (OpenSSL ≥ 1.1.1;
 * the S094 note: a plain `openssl req` adds no SAN).
 */
export function opensslRequestArgs(exp: Expectation): { subject: string; extraArgs: string[] } {
  const cn = exp.cn ?? exp.cnOneOf?.[0];
  if (cn === undefined) throw new ExpectationError(`no CN is defined for ${exp.scope}`);
  const names = [...new Set([cn, ...exp.sans.map((s) => s.name), ...(exp.recommendedSans ?? []).map((s) => s.name)].map((n) => n.toLowerCase()))];
  // Names come from the validated inventory (FQDN syntax), so they hold no "/", "," or "=".
  return { subject: `/CN=${cn}`, extraArgs: ['-addext', `subjectAltName=${names.map((n) => `DNS:${n}`).join(',')}`] };
}
