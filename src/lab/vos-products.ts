// What each VOS product of the lab runs: the services `utils service list` shows and the units
// that hold an own certificate. Unified CM, IM and Presence, Unity Connection and PCD are separate
// VOS clusters (separate trust stores; the processconfig modes and the CTL exist on Unified CM only).
import { VOS_SERVICES, VOS_UNITS } from './vos-state.js';

export { CAPF } from './vos-state.js';

export type VosProduct = 'cucm' | 'imp' | 'cuc' | 'pcd';

/** S029 activates it on the publisher for CAPF online-CA mode (steps/phase-a-1-cucm.yaml). */
export const CERT_ENROLLMENT = 'Cisco Certificate Enrollment Service';

const CUCM_SERVICE: Record<string, string> = { callmanager: 'Cisco CallManager', tftp: 'Cisco Tftp', ctimanager: 'Cisco CTIManager' };

export interface VosProfile {
  /** Services listed by `utils service list` ("Not Activated" unless active). */
  installed: string[];
  active: string[];
  units: string[];
}

/**
 * Unified CM: Tomcat and TVS run everywhere, CallManager / Tftp / CTIManager per the inventory;
 * CAPF and the Certificate Enrollment Service are installed on the publisher but start not
 * activated — S021 and S029 activate them through Control Center Services (src/lab/controlcenter.ts).
 */
export function cucmProfile(services: readonly string[], publisher: boolean): VosProfile {
  const active = ['Cisco Tomcat', 'Cisco Trust Verification Service', ...services.map((s) => CUCM_SERVICE[s] ?? s)];
  return { installed: [...VOS_SERVICES, ...(publisher ? [CERT_ENROLLMENT] : [])], active, units: VOS_UNITS };
}

/**
 * IM and Presence: the XCP services S009 restarts (steps `restarts:`); the federation connection
 * manager only with XMPP federation. The other names and the unit list are [I] (IM and Presence
 * 12.5 defaults; cli-facts §1 does not list them).
 */
export function impProfile(federation: boolean): VosProfile {
  const active = [
    'Cisco Tomcat',
    'Cisco XCP Router', // [I]
    'Cisco XCP Connection Manager',
    ...(federation ? ['Cisco XCP XMPP Federation Connection Manager'] : []),
    'Cisco Presence Engine', // [I]
    'Cisco SIP Proxy', // [I]
  ];
  return { installed: active, active, units: ['tomcat', 'cup', 'cup-xmpp', 'cup-xmpp-s2s', 'ipsec'] };
}

/** Unity Connection: Tomcat (S041 restarts it); the Connection service names and units are [I]. */
export function cucProfile(): VosProfile {
  const active = ['Cisco Tomcat', 'Connection Conversation Manager', 'Connection Mixer', 'Connection Message Transfer Agent'];
  return { installed: active, active, units: ['tomcat', 'ipsec'] };
}

/** Prime Collaboration Deployment: VOS-based (cli-facts §1 heading); Tomcat (S112) — units [I]. */
export function pcdProfile(): VosProfile {
  return { installed: ['Cisco Tomcat'], active: ['Cisco Tomcat'], units: ['tomcat', 'ipsec'] };
}
