// What a cluster already has before the security rollout, for the steps that update existing
// objects: the LDAP directories named in cucm[].ldapDirectories and the LDAP authentication (both
// cleartext: 389, or 3268 for a Global Catalog, TLS off), the SRST references of
// cucm[].srstReferences (not secure) and the auto-registration device pool (no CSS yet). Field
// names and order follow AXLSoap.xsd (XLdapDirectory, XLdapAuthentication, XSrst, XDevicePool);
// the values are lab fixtures [I: as a cluster built by the earlier chapters would plausibly have
// them], with documentation addresses (RFC 5737) where the inventory has none.
import type { Inventory } from '../../inventory/schema.js';
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
}
