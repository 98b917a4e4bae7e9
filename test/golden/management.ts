// Golden lines for S107–S126 (Prime Collaboration Deployment / Provisioning, multi-cluster,
// toll fraud), written by hand from ../shared/spec/seed-outline.md Phases E–G and the example
// inventory (examples/ent-pa.yaml): PCD us-pcd. Render corrections: D-15 (S108), D-16 (S111; since
// review 2026 A.1 without the CA file argument, whose name VOS chooses). S113–S126 are GUI or manual
// steps without command lines.

export const expected: { id: string; target: string; lines: string[] }[] = [
  { id: 'S107', target: 'us-pcd', lines: ['set csr gen tomcat'] },
  { id: 'S108', target: 'us-pcd', lines: ['show csr own tomcat/tomcat.csr'] },
  { id: 'S110', target: 'us-pcd', lines: ['set cert import trust tomcat'] },
  { id: 'S111', target: 'us-pcd', lines: ['set cert import own tomcat'] },
  { id: 'S112', target: 'us-pcd', lines: ['utils service restart Cisco Tomcat'] },
];

/** None of S107–S126 is left out of the example plan: every feature and product is on. */
export const absent: string[] = [];
