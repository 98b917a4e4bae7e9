// The Unified CM parameters the catalogue reads and writes through AXL (issues 21, 22): service
// parameters with getServiceParameter / updateServiceParameter, and enterprise parameters the same
// way with the pseudo process node EnterpriseWideData and service "Enterprise Wide".
//
// Sources:
// - GetServiceParameterReq / UpdateServiceParameterReq take processNodeName, name and service (in
//   that order), update then `value`; the answer is <return><serviceParameter> with value and
//   valueType (AXLSoap.xsd 12.5, 14.0 and 15.0 alike, cisco-axl@1.2.5 schema/<v>/AXLSoap.xsd).
// - "Enterprise Wide", "Cisco CallManager" and "Cisco Certificate Authority Proxy Function" are
//   values of XService (AXLEnums.xsd 12.5/14.0/15.0).
// - EnterpriseWideData is the process node Unified CM keeps for cluster-wide data: the first row of
//   `run sql select name from processnode` in a published Unified CM host-name change procedure, and the node with uuid
//   {00000000-1111-0000-0000-000000000000} in listProcessNode answers quoted by public AXL clients;
//   public AXL wrappers read enterprise parameters with getServiceParameter(processNodeName=
//   EnterpriseWideData, service="Enterprise Wide"). (In processconfig this is the row set
//   tkservice = 11 [I: the typeservice value of "Enterprise Wide" is not printed in a source we
//   hold]; collabsec does not query processconfig, getServiceParameter names the service itself.)
//
// [I] The internal parameter names (paramname) and the stored encodings of enumerated values
// below are inferred from the GUI labels — no Cisco document we hold prints them. So:
// enumerated parameters are only READ BACK (mode check in the catalogue: a wrong guess fails the
// check visibly, never writes a wrong setting); only booleans, host names, ports and names — whose
// encoding is not in doubt — are written, and every value is checked here against its kind before
// it reaches a request (then escaped like any AXL text, src/transport/axl/xml-write.ts). Confirm a name on a lab
// cluster with `run sql select paramname,paramvalue from processconfig where paramname='<name>'`.

/** A parameter object the catalogue may not send; names the field (`serviceParameter.value`). */
export class ParameterError extends Error {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`AXL field ${field}: ${reason}`);
    this.name = 'ParameterError';
  }
}

export const ENTERPRISE_NODE = 'EnterpriseWideData';
export const ENTERPRISE_SERVICE = 'Enterprise Wide';

export type ParameterKind =
  /** Stored codes, each with its GUI label; read back only. */
  | { kind: 'enum'; values: Record<string, string> }
  /** true/false (Unified CM may answer T/F [I]: the comparison accepts both). */
  | { kind: 'boolean' }
  | { kind: 'hostname' }
  | { kind: 'port' }
  /** A template or user name: letters, digits, `.`, `_`, `-`, `@`, at most 64. */
  | { kind: 'name' };

export interface KnownParameter {
  service: string;
  name: string;
  /** The GUI label (the step's gui.fields). */
  label: string;
  type: ParameterKind;
  /** Written by updateServiceParameter (otherwise read back only). */
  writable: boolean;
}

const enumOf = (values: Record<string, string>): ParameterKind => ({ kind: 'enum', values });

export const KNOWN_PARAMETERS: readonly KnownParameter[] = [
  // S001 (Security Parameters section of the Enterprise Parameters page).
  { service: ENTERPRISE_SERVICE, name: 'HTTPSCiphers', label: 'HTTPS Ciphers', type: enumOf({ '0': 'RSA Ciphers only', '1': 'All Supported EC and RSA Ciphers' }), writable: false },
  { service: ENTERPRISE_SERVICE, name: 'TLSCiphers', label: 'TLS Ciphers', type: enumOf({ '0': 'All Ciphers RSA Preferred' }), writable: false },
  { service: ENTERPRISE_SERVICE, name: 'SRTPCiphers', label: 'SRTP Ciphers', type: enumOf({ '0': 'All Supported Ciphers' }), writable: false },
  // S011.
  { service: ENTERPRISE_SERVICE, name: 'CertificateValidityCheck', label: 'Certificate Validity Check', type: { kind: 'boolean' }, writable: false },
  // S119.
  { service: ENTERPRISE_SERVICE, name: 'LBMSecurityMode', label: 'LBM Security Mode', type: enumOf({ '0': 'Insecure', '1': 'Secure' }), writable: false },
  // S121, S122 (Cisco CallManager, clusterwide parameters).
  { service: 'Cisco CallManager', name: 'BlockOffNetToOffNetTransfer', label: 'Block OffNet to OffNet Transfer', type: { kind: 'boolean' }, writable: true },
  {
    service: 'Cisco CallManager',
    name: 'DropAdHocConference',
    label: 'Drop Ad hoc Conferences',
    type: enumOf({ '0': 'Never', '1': 'When Conference Controller Leaves', '2': 'When No OnNet Parties Remain in the Conference' }),
    writable: false,
  },
  // S028 (Cisco Certificate Authority Proxy Function). The password is never written by collabsec.
  { service: 'Cisco Certificate Authority Proxy Function', name: 'CertificateIssuerToEndpoint', label: 'Certificate Issuer to Endpoint', type: enumOf({ '0': 'Cisco Certificate Authority Proxy Function', '2': 'Online CA' }), writable: false },
  { service: 'Cisco Certificate Authority Proxy Function', name: 'OnlineCAHostname', label: 'Online CA Hostname', type: { kind: 'hostname' }, writable: true },
  { service: 'Cisco Certificate Authority Proxy Function', name: 'OnlineCAPort', label: 'Online CA Port', type: { kind: 'port' }, writable: true },
  { service: 'Cisco Certificate Authority Proxy Function', name: 'OnlineCATemplate', label: 'Online CA Template', type: { kind: 'name' }, writable: true },
  { service: 'Cisco Certificate Authority Proxy Function', name: 'OnlineCAType', label: 'Online CA Type', type: enumOf({ '1': 'Microsoft CA' }), writable: false },
  { service: 'Cisco Certificate Authority Proxy Function', name: 'OnlineCAUsername', label: 'Online CA Username', type: { kind: 'name' }, writable: true },
];

export function knownParameter(service: string, name: string): KnownParameter | undefined {
  return KNOWN_PARAMETERS.find((p) => p.service === service && p.name === name);
}

const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
const NODE = /^[A-Za-z0-9][A-Za-z0-9.-]{0,254}$/;

/** Why `value` is not a valid value of `p`, or undefined. */
export function invalidValue(p: KnownParameter, value: string): string | undefined {
  const t = p.type;
  switch (t.kind) {
    case 'enum':
      return value in t.values ? undefined : `is not one of ${Object.entries(t.values).map(([k, l]) => `${k} (${l})`).join(', ')}`;
    case 'boolean':
      return value === 'true' || value === 'false' ? undefined : 'is not true or false';
    case 'hostname':
      return HOSTNAME.test(value) ? undefined : 'is not a host name';
    case 'port':
      return /^\d{1,5}$/.test(value) && Number(value) >= 1 && Number(value) <= 65535 ? undefined : 'is not a port number';
    case 'name':
      return NAME.test(value) ? undefined : 'is not a name (letters, digits, . _ @ -, at most 64)';
  }
}

/**
 * Checks a ServiceParameter object of the catalogue: the fields processNodeName, name, service,
 * value in that order; a known parameter of that service; a value of its kind; a write only of a
 * writable parameter; the enterprise process node exactly for enterprise parameters. Throws
 * ParameterError (the plan builder reports it with the step).
 */
export function checkParameterFields(fields: { name: string; value: string }[], mode: 'create' | 'update' | 'check'): KnownParameter {
  const names = fields.map((f) => f.name).join(',');
  if (names !== 'processNodeName,name,service,value') throw new ParameterError('serviceParameter', `fields must be processNodeName, name, service, value (have ${names})`);
  const [node, name, service, value] = fields.map((f) => f.value) as [string, string, string, string];
  const p = knownParameter(service, name);
  if (p === undefined) throw new ParameterError('serviceParameter.name', `"${name.slice(0, 60)}" of "${service.slice(0, 60)}" is not a parameter collabsec knows`);
  if (mode === 'create') throw new ParameterError('serviceParameter', 'parameters are installed with Unified CM: update or check, never create');
  if (mode === 'update' && !p.writable) throw new ParameterError('serviceParameter.value', `${p.label} is read back only (its stored encoding is not confirmed)`);
  if (service === ENTERPRISE_SERVICE ? node !== ENTERPRISE_NODE : !NODE.test(node) || node === ENTERPRISE_NODE)
    throw new ParameterError('serviceParameter.processNodeName', `"${node.slice(0, 60)}" is not a process node for ${service}`);
  const bad = invalidValue(p, value);
  if (bad !== undefined) throw new ParameterError('serviceParameter.value', `${p.label}: "${value.slice(0, 60)}" ${bad}`);
  return p;
}
