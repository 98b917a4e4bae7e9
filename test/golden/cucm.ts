// Golden lines for S001–S036 (Unified CM, IM and Presence, endpoints; SRST reference), written by
// hand from ../shared/spec/seed-outline.md Phase A and the example inventory (examples/ent-pa.yaml):
// publisher us-cm-pub runs TFTP, us-cm-sub1/us-cm-sub2 run CallManager + CTIManager, us-cm-tftp1
// runs TFTP; IM and Presence publisher us-imp-pub. Only (step, target) pairs with commands.
export const expected: { id: string; target: string; lines: string[] }[] = [
  // S002: CLI alternative of the trust upload (Table 7-8), publisher only.
  { id: 'S002', target: 'us-cm-pub', lines: ['set cert import trust tomcat', 'set cert import trust CallManager'] },
  // S003: tomcat-trust and cup-xmpp-trust on the IM and Presence publisher.
  { id: 'S003', target: 'us-imp-pub', lines: ['set cert import trust tomcat', 'set cert import trust cup-xmpp'] },
  // S005: CLI alternative of Download CSR: list, then print each CSR.
  {
    id: 'S005',
    target: 'us-cm-pub',
    lines: ['show csr list own', 'show csr own tomcat/tomcat.csr', 'show csr own CallManager/CallManager.csr'],
  },
  // S005 on the IM and Presence publisher: its multi-server CSRs (Table 7-9, D-26 names).
  {
    id: 'S005',
    target: 'us-imp-pub',
    lines: ['show csr list own', 'show csr own cup-xmpp/cup-xmpp.csr', 'show csr own cup-xmpp-s2s/cup-xmpp-s2s.csr'],
  },
  // S007 (suggested, outline verbatim including the double space after "req").
  {
    id: 'S007',
    target: 'us-cm-pub',
    lines: [
      'openssl req  -in tomcat.csr -noout -text',
      'openssl x509 -in tomcat.pem -noout -text',
      'openssl req  -in CallManager.csr -noout -text',
      'openssl x509 -in CallManager.pem -noout -text',
    ],
  },
  {
    id: 'S007',
    target: 'us-imp-pub',
    lines: [
      'openssl req  -in cup-xmpp.csr -noout -text',
      'openssl x509 -in cup-xmpp.pem -noout -text',
      'openssl req  -in cup-xmpp-s2s.csr -noout -text',
      'openssl x509 -in cup-xmpp-s2s.pem -noout -text',
    ],
  },
  // S009: Tftp / CallManager / CTIManager only where they run, Tomcat on every Unified CM node.
  { id: 'S009', target: 'us-cm-pub', lines: ['utils service restart Cisco Tftp', 'utils service restart Cisco Tomcat'] },
  {
    id: 'S009',
    target: 'us-cm-sub1',
    lines: ['utils service restart Cisco CallManager', 'utils service restart Cisco CTIManager', 'utils service restart Cisco Tomcat'],
  },
  {
    id: 'S009',
    target: 'us-cm-sub2',
    lines: ['utils service restart Cisco CallManager', 'utils service restart Cisco CTIManager', 'utils service restart Cisco Tomcat'],
  },
  { id: 'S009', target: 'us-cm-tftp1', lines: ['utils service restart Cisco Tftp', 'utils service restart Cisco Tomcat'] },
  // S009 on IM and Presence: Tomcat, plus the XCP services of cup-xmpp / cup-xmpp-s2s (federation on).
  ...['us-imp-pub', 'us-imp-sub1'].map((target) => ({
    id: 'S009',
    target,
    lines: [
      'utils service restart Cisco Tomcat',
      'utils service restart Cisco XCP Connection Manager',
      'utils service restart Cisco XCP XMPP Federation Connection Manager',
    ],
  })),
  // S013: OCSP is on, so the LDAP certificate itself goes into tomcat-trust (pasted at run time).
  { id: 'S013', target: 'us-cm-pub', lines: ['set cert import trust tomcat'] },
  // S018: Render of D-01.
  { id: 'S018', target: 'us-cm-pub', lines: ['utils sipOAuth-mode enable'] },
  // S019: every node running Cisco CallManager.
  { id: 'S019', target: 'us-cm-sub1', lines: ['utils service restart Cisco CallManager'] },
  { id: 'S019', target: 'us-cm-sub2', lines: ['utils service restart Cisco CallManager'] },
  { id: 'S022', target: 'us-cm-pub', lines: ['utils ctl set-cluster mixed-mode'] },
  // S023: each node running TFTP, CallManager or CTIManager, each service only where it runs.
  { id: 'S023', target: 'us-cm-pub', lines: ['utils service restart Cisco Tftp'] },
  { id: 'S023', target: 'us-cm-sub1', lines: ['utils service restart Cisco CallManager', 'utils service restart Cisco CTIManager'] },
  { id: 'S023', target: 'us-cm-sub2', lines: ['utils service restart Cisco CallManager', 'utils service restart Cisco CTIManager'] },
  { id: 'S023', target: 'us-cm-tftp1', lines: ['utils service restart Cisco Tftp'] },
  { id: 'S024', target: 'us-cm-pub', lines: ['utils ctl update CTLFile'] },
  // S025: CAPF-trust (CAPF online CA mode).
  { id: 'S025', target: 'us-cm-pub', lines: ['set cert import trust CAPF'] },
  { id: 'S030', target: 'us-cm-pub', lines: ['utils service restart Cisco Certificate Authority Proxy Function'] },
];

/** Steps of S001–S036 that must not be in the example plan (every feature is on: none). */
export const absent: string[] = [];
