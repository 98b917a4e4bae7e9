// Names derived from the inventory that several layers need (plan topology, certificate checks).
// One definition, so the CN the plan tells the operator to expect and the CN the certificate
// check demands can never drift apart.

export type NamedNode = { host: string; fqdn?: string | undefined };

/** A node's FQDN: explicit, or `<host>.<domain>`. */
export function fqdnOf(n: NamedNode, domain: string): string {
  return n.fqdn ?? `${n.host}.${domain}`;
}

/** Multi-server certificate CN: "-ms" after the host part of the publisher FQDN (L847, A-21). */
export function multiServerCn(n: NamedNode, domain: string): string {
  const f = fqdnOf(n, domain);
  const dot = f.indexOf('.');
  return dot < 0 ? `${f}-ms` : `${f.slice(0, dot)}-ms${f.slice(dot)}`;
}
