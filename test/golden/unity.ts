// Golden lines for S037–S048 (Cisco Unity Connection), written by hand from
// ../shared/spec/seed-outline.md Phase B and the example inventory (publisher us-cuc, subscriber
// us-cuc2, multi-server CN us-cuc-ms.ent-pa.com). Only (step, target) pairs with commands.
export const expected: { id: string; target: string; lines: string[] }[] = [
  // S037: tomcat-trust, then CallManager-trust, on the publisher (CLI alternative as S002).
  { id: 'S037', target: 'us-cuc', lines: ['set cert import trust tomcat', 'set cert import trust CallManager'] },
  // S038: the download half (as S005).
  { id: 'S038', target: 'us-cuc', lines: ['show csr list own', 'show csr own tomcat/tomcat.csr'] },
  // S041: both Unity Connection nodes (command form L1499).
  { id: 'S041', target: 'us-cuc', lines: ['utils service restart Cisco Tomcat'] },
  { id: 'S041', target: 'us-cuc2', lines: ['utils service restart Cisco Tomcat'] },
];

/** Steps of S037–S048 that must not be in the example plan (none). */
export const absent: string[] = [];
