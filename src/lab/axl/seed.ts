// What a cluster already has before the security rollout, for the steps that update existing
// objects: the LDAP directories named in cucm[].ldapDirectories and the LDAP authentication (both
// cleartext: 389, or 3268 for a Global Catalog, TLS off), the SRST references of
// cucm[].srstReferences (not secure) and the auto-registration device pool (no CSS yet). Field
// names and order follow AXLSoap.xsd (XLdapDirectory, XLdapAuthentication, XSrst, XDevicePool);
// the values are lab fixtures [I: as a cluster built by the earlier chapters would plausibly have
// them], with documentation addresses (RFC 5737) where the inventory has none.
import { fqdnOf } from '../../inventory/names.js';
import type { Inventory } from '../../inventory/schema.js';
import { ENTERPRISE_NODE, ENTERPRISE_SERVICE } from '../../catalogue/axl-params.js';
import type { AxlState } from './state.js';

type Cluster = Inventory['cucm'][number];

/** The LDAP servers as a directory lists them before S014/S015: the cleartext port of their kind. */
function cleartextServers(source: Inventory): { server: { hostName: string; ldapPortNumber: string; sslEnabled: string }[] } {
  const servers = (source.ldap?.servers ?? []).slice(0, 3);
  return { server: servers.map((s) => ({ hostName: s.fqdn, ldapPortNumber: s.kind === 'gc' ? '3268' : '389', sslEnabled: 'false' })) };
}

export function seedAxl(state: AxlState, source: Inventory, cluster: Cluster): void {
  const base = `dc=${source.domain.split('.').join(',dc=')}`;
  if (source.ldap) {
    for (const name of cluster.ldapDirectories)
      state.put('LdapDirectory', {
        name,
        ldapDn: `cn=cucm-sync,ou=Service Accounts,${base}`,
        userSearchBase: `ou=Users,${base}`,
        servers: cleartextServers(source),
      });
    state.put('LdapAuthentication', {
      authenticateEndUsers: 'true',
      distinguishedName: `cn=cucm-auth,ou=Service Accounts,${base}`,
      userSearchBase: `ou=Users,${base}`,
      servers: cleartextServers(source),
    });
  }
  const srstRouters = source.ios.filter((r) => r.roles.includes('srst'));
  cluster.srstReferences.forEach((name, i) => {
    const ip = srstRouters[i]?.ip ?? '198.51.100.30';
    state.put('Srst', { name, port: '2000', ipAddress: ip, SipNetwork: ip, SipPort: '5060', isSecure: 'false' });
  });
  const pool = cluster.autoRegistrationDevicePool;
  // The installed defaults' names [I: as the GUI shows them on a new cluster].
  if (pool) state.put('DevicePool', { name: pool.name, dateTimeSettingName: 'CMLocal', callManagerGroupName: 'Default', regionName: 'Default' });
  seedPhones(state, cluster);
  seedParameters(state, fqdnOf(cluster.publisher, source.domain));
}

/**
 * The parameters the catalogue reads and writes (src/transport/axl-params.ts) at values a cluster
 * has before the security rollout [I: the GUI's defaults as the documentation describes them —
 * RSA-only HTTPS ciphers, LBM insecure, transfers and conferences unrestricted, CAPF its own
 * issuer], booleans as Unified CM stores them (T/F [I]); the CAPF and Cisco CallManager ones on
 * the publisher's process node, which the plan names by its FQDN.
 */
export function seedParameters(state: AxlState, publisher: string): void {
  const param = (processNodeName: string, service: string, name: string, value: string, valueType: string) => state.put('ServiceParameter', { processNodeName, name, service, value, valueType });
  const ent = (name: string, value: string, valueType = 'long') => param(ENTERPRISE_NODE, ENTERPRISE_SERVICE, name, value, valueType);
  ent('HTTPSCiphers', '0');
  ent('TLSCiphers', '0');
  ent('SRTPCiphers', '0');
  ent('CertificateValidityCheck', 'F', 'boolean');
  ent('LBMSecurityMode', '0');
  param(publisher, 'Cisco CallManager', 'BlockOffNetToOffNetTransfer', 'F', 'boolean');
  param(publisher, 'Cisco CallManager', 'DropAdHocConference', '0', 'long');
  const capf = (name: string, value: string, valueType = 'string') => param(publisher, 'Cisco Certificate Authority Proxy Function', name, value, valueType);
  capf('CertificateIssuerToEndpoint', '0', 'long');
  capf('OnlineCAHostname', '');
  capf('OnlineCAPort', '443', 'long');
  capf('OnlineCATemplate', '');
  capf('OnlineCAType', '1', 'long');
  capf('OnlineCAUsername', '');
}

/** The non-secure profile a phone of that model starts on [I: the name Unified CM installs for it]. */
const MODEL_INDEPENDENT = 'Universal Device Template - Model-independent Security Profile';

/**
 * Phones for S032/S033: `perSelection` per selection of cucm[].phones, named after its pattern
 * (wildcards filled with hex digits, else SEP + hex), in its device pool, of its first model, on
 * the non-secure model-independent profile; plus, where a selection filters by model, one phone
 * of another model in the same pool, which the step must leave alone.
 */
export function seedPhones(state: AxlState, cluster: Cluster, perSelection = 3): void {
  const p = cluster.phones;
  if (!p) return;
  [...p.assign, ...p.firstLsc].forEach((g, gi) => {
    const nameFor = (i: number): string => {
      const hex = `${gi.toString(16).padStart(2, '0')}${i.toString(16).padStart(6, '0')}`.toUpperCase();
      if (g.namePattern === undefined) return `SEP00AB${hex}`;
      let used = false;
      const filled = g.namePattern.replace(/[%_]/g, (w) => (w === '%' && !used ? ((used = true), `00AB${hex}`) : '0'));
      return used ? filled : `${filled}${hex}`;
    };
    const model = g.models[0] ?? (g.namePattern?.startsWith('CSF') ? 'Cisco Unified Client Services Framework' : 'Cisco 8845');
    const phone = (name: string, m: string) =>
      state.put('Phone', { name, product: m, model: m, protocol: 'SIP', devicePoolName: g.devicePool ?? 'Default', securityProfileName: MODEL_INDEPENDENT });
    for (let i = 0; i < perSelection; i++) phone(nameFor(i), model);
    if (g.models.length > 0) phone(nameFor(perSelection), 'Cisco 7841');
  });
}
