// Hand-written golden AXL parameter requests of the example inventory (issues 21, 22): the
// service parameters written with updateServiceParameter (processNodeName, name, service, value,
// the UpdateServiceParameterReq order of AXLSoap.xsd), and every parameter the checkpoint reads
// back with getServiceParameter — enterprise parameters on the pseudo node EnterpriseWideData,
// service "Enterprise Wide". Names and stored codes are [I] (src/catalogue/axl-params.ts).
import type { AxlGolden } from './axl.js';

export interface AxlParamsGolden extends AxlGolden {
  /** The parameters the checkpoint reads back: `processNodeName / name / service = value`. */
  readBack: string[];
}

const pub = { host: '192.0.2.10', port: 8443, version: '15.0' };
const node = 'us-cm-pub.ent-pa.com';
const capf = 'Cisco Certificate Authority Proxy Function';
const upd = (name: string, service: string, value: string) =>
  `updateServiceParameter processNodeName=${node} name=${name} service=${JSON.stringify(service)} value=${value}`;
const ent = (name: string, value: string) => `EnterpriseWideData / ${name} / Enterprise Wide = ${value}`;
const srv = (name: string, service: string, value: string) => `${node} / ${name} / ${service} = ${value}`;

export const paramsExpected: AxlParamsGolden[] = [
  // Read back only (the GUI change stays): RSA-only HTTPS, RSA-preferred TLS, all SRTP ciphers (L790–799).
  { id: 'S001', target: 'us-cm-pub', endpoint: pub, lines: [], readBack: [ent('HTTPSCiphers', '0'), ent('TLSCiphers', '0'), ent('SRTPCiphers', '0')] },
  { id: 'S011', target: 'us-cm-pub', endpoint: pub, lines: [], readBack: [ent('CertificateValidityCheck', 'true')] },
  {
    // Host, port, template and user written; the issuer (Online CA) and CA type read back only.
    id: 'S028',
    target: 'us-cm-pub',
    endpoint: pub,
    lines: [upd('OnlineCAHostname', capf, 'us-ca.ent-pa.com'), upd('OnlineCAPort', capf, '443'), upd('OnlineCATemplate', capf, 'CiscoLSC'), upd('OnlineCAUsername', capf, 'capf-enroll')],
    readBack: [
      srv('OnlineCAHostname', capf, 'us-ca.ent-pa.com'),
      srv('OnlineCAPort', capf, '443'),
      srv('OnlineCATemplate', capf, 'CiscoLSC'),
      srv('OnlineCAUsername', capf, 'capf-enroll'),
      srv('CertificateIssuerToEndpoint', capf, '2'),
      srv('OnlineCAType', capf, '1'),
    ],
  },
  { id: 'S119', target: 'us-cm-pub', endpoint: pub, lines: [], readBack: [ent('LBMSecurityMode', '1')] },
  {
    id: 'S121',
    target: 'us-cm-pub',
    endpoint: pub,
    lines: [upd('BlockOffNetToOffNetTransfer', 'Cisco CallManager', 'true')],
    readBack: [srv('BlockOffNetToOffNetTransfer', 'Cisco CallManager', 'true')],
  },
  { id: 'S122', target: 'us-cm-pub', endpoint: pub, lines: [], readBack: [srv('DropAdHocConference', 'Cisco CallManager', '2')] },
];
