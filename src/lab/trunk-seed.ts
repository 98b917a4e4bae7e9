// The SIP trunks a real cluster already has before the security rollout (the Call Control chapter
// built them): the lab's AXL simulator starts with one per name in cucm[].sipTrunks, non-secure,
// each pointing at its peer on 5060, so the trunk steps (S046, S063, S079, S092, S117) have the
// objects they update. Field names and order follow XSipTrunk in AXLSoap.xsd; the profile name is
// Unified CM's default non-secure one ("Non Secure SIP Trunk Profile") [I: the installed default's
// name, as the GUI shows it]. An intercluster peer has no address in the inventory: a
// documentation address (RFC 5737) stands in.
import type { Inventory } from '../inventory/schema.js';
import type { AxlState } from './axl/index.js';

type Cluster = Inventory['cucm'][number];

/** The peer addresses of each trunk type (the destinations a non-secure trunk has today). */
function peers(source: Inventory): Record<keyof Cluster['sipTrunks'], string[]> {
  const ips = (nodes: { ip?: string | undefined }[]) => nodes.map((n) => n.ip).filter((ip): ip is string => ip !== undefined);
  return {
    unity: source.unity ? ips([source.unity.publisher, ...(source.unity.subscriber ? [source.unity.subscriber] : [])]) : [],
    cms: ips((source.cms?.nodes ?? []).filter((n) => n.services.includes('callbridge'))),
    b2b: source.expressway ? ips(source.expressway.c.nodes) : [],
    ios: ips(source.ios.filter((r) => r.roles.includes('cube') || r.roles.includes('gateway'))),
    intercluster: ['198.51.100.10'],
  };
}

export function seedTrunks(state: AxlState, source: Inventory, cluster: Cluster): void {
  const byType = peers(source);
  for (const [type, names] of Object.entries(cluster.sipTrunks) as [keyof Cluster['sipTrunks'], string[]][]) {
    const addresses = byType[type].length > 0 ? byType[type] : ['198.51.100.20'];
    for (const name of names)
      state.put('SipTrunk', {
        name,
        description: `${type} trunk (lab: as built before the rollout)`,
        securityProfileName: 'Non Secure SIP Trunk Profile',
        srtpAllowed: 'false',
        destinations: { destination: addresses.slice(0, 16).map((addressIpv4, i) => ({ addressIpv4, port: '5060', sortOrder: String(i + 1) })) },
      });
  }
}
