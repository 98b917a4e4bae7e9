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
 *
 * With `cluster`, the names that cluster's servers resolve (P012 on its publisher): its own
 * Unified CM and IM and Presence nodes and its own CAPF online CA, and every name outside the
 * Unified CM clusters; not the other clusters' nodes, which their own publishers resolve (the
 * rollout makes no connection between two clusters of the inventory by node name: intercluster
 * trunks name remote clusters by certificate CN). On 50 clusters of 12 nodes that is ~50 lookups
 * per publisher instead of 1,200, each one `utils network host` over SSH in the change window.
 */
export function dnsNames(inv: Inventory, cluster?: Inventory['cucm'][number]): DnsName[] {
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
  const clusters = cluster ? [cluster] : inv.cucm;
  for (const c of clusters) {
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
  for (const c of clusters) if (c.capfOnlineCa) add(c.capfOnlineCa.host);
  return out;
}
