// The names the rollout resolves (issue 23, review-2026 C.4): every FQDN the inventory names that a
// step connects to, names in a certificate or points a trunk, zone or directory at, with the
// address the inventory gives it. One list, so that the pre-flight reads from each Unified CM
// publisher and the lab's DNS answer the same names.
import { fqdnOf } from './names.js';
import type { Inventory } from './schema.js';

export interface DnsName {
  /** The FQDN as the inventory gives or derives it. */
  name: string;
  /** Its address in the inventory; absent for a name the inventory gives no address for. */
  ip?: string;
}

/**
 * In inventory order, each name once (DNS names are case-insensitive): Unified CM and IM and
 * Presence nodes of every cluster, Unity Connection, the Expressway-C/E peers and each cluster's
 * FQDN, Meeting Server nodes, CMM (and its CDR receiver address), TMS, PCD, PCP, each IOS router
 * by its certificate CN (the name its TLS peers check), the LDAP servers S014 moves to LDAPS and
 * each cluster's CAPF online CA. Not here: remote clusters' multi-server CNs (certificate names,
 * not hosts) and Meeting Server's XMPP domain and the registration domains (SRV domains, not
 * host records).
 */
export function dnsNames(inv: Inventory): DnsName[] {
  const d = inv.domain;
  const out: DnsName[] = [];
  const seen = new Set<string>();
  const add = (name: string, ip?: string) => {
    const key = name.toLowerCase();
    if (seen.has(key)) return;
    seen.add(key);
    out.push(ip === undefined ? { name } : { name, ip });
  };
  const node = (n: { host: string; fqdn?: string | undefined; ip?: string | undefined }) => add(fqdnOf(n, d), n.ip);
  for (const c of inv.cucm) {
    [c.publisher, ...c.subscribers].forEach(node);
    if (c.imp) [c.imp.publisher, ...c.imp.subscribers].forEach(node);
  }
  if (inv.unity) [inv.unity.publisher, ...(inv.unity.subscriber ? [inv.unity.subscriber] : [])].forEach(node);
  if (inv.expressway) {
    for (const role of ['c', 'e'] as const) {
      inv.expressway[role].nodes.forEach(node);
      add(inv.expressway[role].clusterName);
    }
  }
  inv.cms?.nodes.forEach(node);
  if (inv.cmm) {
    node(inv.cmm);
    if (inv.cmm.cdrReceiverAddress !== undefined) add(inv.cmm.cdrReceiverAddress);
  }
  for (const s of [inv.tms, inv.pcd, inv.pcp]) if (s) node(s);
  for (const r of inv.ios) add(r.cn, r.ip);
  for (const s of inv.ldap?.servers ?? []) add(s.fqdn);
  for (const c of inv.cucm) if (c.capfOnlineCa) add(c.capfOnlineCa.host);
  return out;
}
