// Hand-written golden AXL requests of the example inventory (issue 21), from Table 7-13 and the
// XPhoneSecurityProfile sequence of AXLSoap.xsd: phoneType, protocol, name, description,
// deviceSecurityMode, authenticationMode, keySize, keyOrder, tftpEncryptedConfig,
// EnableOAuthAuthentication, transportType.
export interface AxlGolden {
  id: string;
  target: string;
  endpoint: { host: string; port: number; version: string };
  lines: string[];
  /** The identifying fields the read-back uses (default [name]). */
  key?: string[];
}

const pub = { host: '192.0.2.10', port: 8443, version: '15.0' };
const udt = 'phoneType="Universal Device Template" protocol=SIP';
const keys = 'keySize=2048 keyOrder="RSA Only"';
const lsc = 'authenticationMode="By Existing Certificate (precedence to LSC)"';

const tls = 'securityMode=Encrypted incomingTransport=TLS outgoingTransport=TLS';
const v150 = 'sipV150OutboundSdpOfferFiltering="Use Default Filter"';

// LDAP over TLS (D-29): the example's one domain controller → secure port 636, Use TLS; every
// server of the directory (and of the cluster's one LDAP authentication, which has no name).
const ldapTls = 'servers.server[].ldapPortNumber=636 servers.server[].sslEnabled=true';

export const expected: AxlGolden[] = [
  { id: 'S014', target: 'us-cm-pub', endpoint: pub, lines: [`updateLdapDirectory name=US-AD-Users ${ldapTls}`] },
  { id: 'S015', target: 'us-cm-pub', endpoint: pub, lines: [`updateLdapAuthentication ${ldapTls}`], key: [] },
  {
    // Table 7-11: one profile per trunk type, X.509 Subject Name of the peer, B2B on port 5561.
    id: 'S016',
    target: 'us-cm-pub',
    endpoint: pub,
    lines: [
      `addSipTrunkSecurityProfile name=Secure-SIP-Trunk-Unity-Connection description="Unity Connection trunks, TLS (collabsec S016)" ${tls} x509SubjectName=us-cuc-ms.ent-pa.com incomingPort=5061 ${v150}`,
      `addSipTrunkSecurityProfile name=Secure-SIP-Trunk-Meeting-Server description="Meeting Server trunks, TLS (collabsec S016)" ${tls} x509SubjectName=cms.ent-pa.com incomingPort=5061 ${v150}`,
      `addSipTrunkSecurityProfile name=Secure-SIP-Trunk-Expressway-B2B description="Expressway-C B2B trunks, TLS (collabsec S016)" ${tls} x509SubjectName=us-expc.ent-pa.com incomingPort=5561 ${v150}`,
      `addSipTrunkSecurityProfile name=Secure-SIP-Trunk-IOS-Gateway description="IOS gateway / CUBE trunks, TLS (collabsec S016)" ${tls} x509SubjectName=US-CUBE1.ent-pa.com incomingPort=5061 ${v150}`,
      `addSipTrunkSecurityProfile name=Secure-SIP-Trunk-Intercluster description="Intercluster trunks, TLS (collabsec S016)" ${tls} x509SubjectName=emea-cm-pub-ms.ent-pa.com incomingPort=5061 ${v150}`,
    ],
  },
  {
    id: 'S020',
    target: 'us-cm-pub',
    endpoint: pub,
    lines: [
      `addPhoneSecurityProfile ${udt} name=UDT-Jabber-SIPOAuth description="Jabber SIP OAuth, encrypted (collabsec S020)" deviceSecurityMode=Encrypted authenticationMode="By Null String" ${keys} tftpEncryptedConfig=false EnableOAuthAuthentication=true transportType=TLS`,
    ],
  },
  {
    id: 'S031',
    target: 'us-cm-pub',
    endpoint: pub,
    lines: [
      `addPhoneSecurityProfile ${udt} name=UDT-Encrypted-LSC-TFTPenc.ent-pa.com description="Encrypted, LSC, TFTP encrypted config (collabsec S031)" deviceSecurityMode=Encrypted ${lsc} ${keys} tftpEncryptedConfig=true EnableOAuthAuthentication=false transportType=TLS`,
      `addPhoneSecurityProfile ${udt} name=UDT-Encrypted-LSC.ent-pa.com description="Encrypted, LSC (collabsec S031)" deviceSecurityMode=Encrypted ${lsc} ${keys} tftpEncryptedConfig=false EnableOAuthAuthentication=false transportType=TLS`,
      `addPhoneSecurityProfile ${udt} name=UDT-Encrypted-NullString.ent-pa.com description="Encrypted, initial LSC enrolment (collabsec S031)" deviceSecurityMode=Encrypted authenticationMode="By Null String" ${keys} tftpEncryptedConfig=false EnableOAuthAuthentication=false transportType=TLS`,
    ],
  },
  // L1056: "Is SRST Secure?" on the SRST reference of each secure SRST router.
  { id: 'S036', target: 'us-cm-pub', endpoint: pub, lines: ['updateSrst name=US-SRST1 isSecure=true'] },
  // The auto-registration device pool gets the restricted CSS the inventory names.
  { id: 'S123', target: 'us-cm-pub', endpoint: pub, lines: ['updateDevicePool name=US-AutoReg-DP autoSearchSpaceName=US-AutoReg-Restricted-CSS'] },
  // Toll fraud (issue 21 slice 2): the restricted CSSs the inventory names, on the trunks it names.
  {
    id: 'S120',
    target: 'us-cm-pub',
    endpoint: pub,
    lines: ['updateSipTrunk name=US-CUBE1-SIP-Trunk callingSearchSpaceName=US-PSTN-Inbound-CSS', 'updateSipTrunk name=US-EXPC-B2B-SIP-Trunk callingSearchSpaceName=US-Expressway-Inbound-CSS'],
  },
  { id: 'S126', target: 'us-cm-pub', endpoint: pub, lines: ['updateSipTrunk name=US-CUC-SIP-Trunk callingSearchSpaceName=US-Voicemail-CSS rerouteCallingSearchSpaceName=US-Voicemail-Reroute-CSS'] },
  {
    // Table 7-14: phones found by listPhone (ListPhoneReq searchCriteria order: name, then
    // devicePoolName), kept by model; LSC requested (Install/Upgrade) for the LSC profile only:
    // Jabber and MRA-only endpoints get none (L1025–1048).
    id: 'S032',
    target: 'us-cm-pub',
    endpoint: pub,
    lines: [
      'listPhone devicePoolName=US-HQ-Phones-DP model="Cisco 8845|Cisco 8865" → updatePhone name=<each listed> securityProfileName=UDT-Encrypted-LSC-TFTPenc.ent-pa.com certificateOperation=Install/Upgrade + applyPhone, waves of 50, at most 10000',
      'listPhone name=CSF% devicePoolName=US-HQ-Phones-DP → updatePhone name=<each listed> securityProfileName=UDT-Jabber-SIPOAuth + applyPhone, waves of 50, at most 10000',
      'listPhone devicePoolName=US-MRA-Phones-DP → updatePhone name=<each listed> securityProfileName=UDT-Encrypted-NullString.ent-pa.com + applyPhone, waves of 50, at most 10000',
    ],
  },
  {
    // D-43/A-06: neither MIC nor LSC → the null-string profile and a first LSC.
    id: 'S033',
    target: 'us-cm-pub',
    endpoint: pub,
    lines: ['listPhone devicePoolName=US-NoMIC-Phones-DP → updatePhone name=<each listed> securityProfileName=UDT-Encrypted-NullString.ent-pa.com certificateOperation=Install/Upgrade + applyPhone, waves of 50, at most 10000'],
  },
];
