// The Unified CM objects the AXL simulator keeps, and their operations (a subset of the 1,068 of
// the published AXLSoap.xsd: those the security rollout touches). Most are named by `name`, as in
// the schema's Get…Req types; a few by other fields (`key`); `display` is how its axlError names it.
export type AxlVerb = 'add' | 'get' | 'list' | 'update' | 'remove' | 'apply' | 'reset' | 'restart';

export interface AxlObjectType {
  /** The operation suffix: addPhoneSecurityProfile → PhoneSecurityProfile. */
  type: string;
  /** The element holding the object in add requests and get/list responses. */
  tag: string;
  /** [I] The words Unified CM uses in "The specified … was not found" for this object. */
  display: string;
  verbs: readonly AxlVerb[];
  /**
   * The fields that identify the object in get/update requests (default [name]). GetServiceParameterReq
   * takes processNodeName, name and service; GetLdapAuthenticationReq takes nothing (one per cluster).
   */
  key?: readonly string[];
}

const all: readonly AxlVerb[] = ['add', 'get', 'list', 'update', 'remove', 'apply', 'reset'];

export const AXL_OBJECTS: readonly AxlObjectType[] = [
  { type: 'PhoneSecurityProfile', tag: 'phoneSecurityProfile', display: 'Phone Security Profile', verbs: all },
  { type: 'SipTrunkSecurityProfile', tag: 'sipTrunkSecurityProfile', display: 'Sip Trunk Security Profile', verbs: all },
  { type: 'SipTrunk', tag: 'sipTrunk', display: 'Sip Trunk', verbs: [...all, 'restart'] },
  { type: 'Phone', tag: 'phone', display: 'Phone', verbs: [...all, 'restart'] },
  { type: 'Srst', tag: 'srst', display: 'Srst', verbs: ['add', 'get', 'list', 'update', 'remove'] },
  { type: 'DevicePool', tag: 'devicePool', display: 'Device Pool', verbs: ['add', 'get', 'list', 'update', 'remove', 'apply', 'reset'] },
  { type: 'LdapDirectory', tag: 'ldapDirectory', display: 'Ldap Directory', verbs: ['add', 'get', 'list', 'update', 'remove'] },
  // Only get and update exist for these (AXLSoap.xsd: no add/remove; the parameters are installed).
  { type: 'LdapAuthentication', tag: 'ldapAuthentication', display: 'Ldap Authentication', verbs: ['get', 'update'], key: [] },
  { type: 'ServiceParameter', tag: 'serviceParameter', display: 'Service Parameter', verbs: ['get', 'list', 'update'], key: ['processNodeName', 'name', 'service'] },
];

export function objectType(type: string): AxlObjectType | undefined {
  return AXL_OBJECTS.find((o) => o.type === type);
}

export function keyFields(type: string): readonly string[] {
  return objectType(type)?.key ?? ['name'];
}

/** The object type and verb of an operation name, if the simulator keeps it. */
export function resolveOperation(operation: string): { verb: AxlVerb; object: AxlObjectType } | undefined {
  const m = /^(add|get|list|update|remove|apply|reset|restart)([A-Z]\w*)$/.exec(operation);
  if (!m) return undefined;
  const object = AXL_OBJECTS.find((o) => o.type === m[2]);
  const verb = m[1] as AxlVerb;
  return object && object.verbs.includes(verb) ? { verb, object } : undefined;
}
