// Faults of the secure SRST credentials service (review-2026 B.6) the lab injects on an IOS
// router: what a change at the router's console after S035 would leave. The credentials block is
// the one S035 types (cli-facts §2.7 "Secure SRST (SCCP) credentials service": `credentials` →
// `ip source-address <router-ip> port 2445` → `trustpoint <TP>`); S035's check reads it back with
// `show running-config | section credentials`.
import { child, setLine } from './ios-config.js';
import type { IosState } from './ios.js';

/**
 * `credentials-missing`: the block is gone (as after `no credentials`), so Unified CM has nothing
 * to fetch the router certificate from. `wrong-trustpoint`: the block offers another trustpoint
 * (`trustpoint`, default the LSC issuer's of the example, LSC-ISSUER) than the router certificate's.
 */
export type SrstFault = 'credentials-missing' | 'wrong-trustpoint';

export function injectSrstFault(state: IosState, fault: SrstFault, trustpoint = 'LSC-ISSUER'): void {
  if (fault === 'credentials-missing') {
    state.running.children = state.running.children.filter((n) => n.line !== 'credentials');
    return;
  }
  // `trustpoint` replaces the block's earlier trustpoint line (ios-config.ts REPLACING), as on IOS.
  setLine(child(state.running, 'credentials'), `trustpoint ${trustpoint}`);
}
