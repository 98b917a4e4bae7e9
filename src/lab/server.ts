// Public entry points of the device lab: one simulated SSH device per call, on 127.0.0.1 and an
// ephemeral port. The transport's tests and `collabsec lab` use only this module.
import { startDevice, type AuthMethod } from './sshd.js';
import type { AuthorizedKeys, DeviceHandle, Faults } from './types.js';
import { vosShell } from './vos.js';
import { newVosCluster, newVosNode, type VosClusterState, type VosNodeState } from './vos-state.js';
import { iosShell, newIosState, type IosState } from './ios.js';
import { cmsShell, cmsSftp, newCmsState, type CmsState } from './cms.js';
import { xapiShell, type ExpresswayCluster, type ExpresswayState } from './expressway.js';

export type { DeviceHandle, Faults, AuthorizedKeys } from './types.js';
export type { AuthMethod } from './sshd.js';
export type { VosClusterState, VosNodeState, VosCert, ServiceStatus } from './vos-state.js';
export type { IosState } from './ios.js';
export type { CmsState } from './cms.js';
export type { ExpresswayCluster, ExpresswayState } from './expressway.js';
export { newVosCluster } from './vos-state.js';
export { knownHostsLine } from './sshd.js';

interface Common {
  hostname: string;
  users: Record<string, string>;
  faults?: Faults;
  /** Private host key (OpenSSH or PEM); generated (ed25519) when absent. */
  hostKey?: string | Buffer;
  /** Enables public-key auth for these users. */
  authorizedKeys?: AuthorizedKeys;
  /** Auth methods offered (default password + keyboard-interactive, + publickey with authorizedKeys). */
  methods?: AuthMethod[];
}

function methodsOf(opts: Common): AuthMethod[] {
  // cli-facts §1.1: sources disagree on password vs keyboard-interactive, so accept both by default.
  return opts.methods ?? ['password', 'keyboard-interactive', ...(opts.authorizedKeys ? (['publickey'] as const) : [])];
}

/** Who may log in to a simulated device, how, and the faults it plays: the same for every platform. */
function access(opts: Common) {
  return { users: opts.users, authorizedKeys: opts.authorizedKeys, methods: methodsOf(opts), faults: opts.faults, hostKey: opts.hostKey };
}

export async function startVos(
  opts: Common & {
    role: 'publisher' | 'subscriber';
    /** FQDN for the CN/SAN of own certificates and CLI CSRs; default the host name. */
    fqdn?: string;
    /** Activated services (display names); default: all, CAPF on the publisher only. */
    services?: string[];
    /** Services the node has (listed "Not Activated" unless in `services`); default the Unified CM set. */
    installed?: readonly string[];
    /** Units with an own certificate; default the Unified CM set. */
    units?: readonly string[];
    /** Share one cluster state between publisher and subscribers (cluster-wide trust, mode, CTL). */
    cluster?: VosClusterState;
    /** Simulated `utils service restart` duration, ms (default 100). */
    restartMs?: number;
    /** Phones registered while Cisco CallManager runs, and how long they take to return after its restart (default 0, 0). */
    phones?: number;
    phoneReturnMs?: number;
    /** Time from login to the first `admin:`, ms (default 50; real boxes ~8 s). */
    bannerMs?: number;
    /** 'ansi': prompt arrives as "\r\x1b[Kadmin:" (cli-facts §1.1); default 'plain'. */
    promptStyle?: 'plain' | 'ansi';
    /** VOS release as the inventory names it (default 12.5): 14SU2+ asks the OU question of `set csr gen`. */
    release?: string;
  },
): Promise<DeviceHandle<VosNodeState> & { state: VosNodeState }> {
  const state = await newVosNode({ ...opts, cluster: opts.cluster ?? newVosCluster() });
  return startDevice({
    state,
    ...access(opts),
    shell: (term) => vosShell(state, term),
  });
}

export async function startIos(
  opts: Common & { enableSecret?: string },
): Promise<DeviceHandle<IosState> & { state: IosState }> {
  const state = newIosState(opts.hostname, opts.enableSecret);
  return startDevice({
    state,
    ...access(opts),
    shell: (term, ctx) => iosShell(state, term, ctx.user),
  });
}

export async function startCms(opts: Common & { /** Meeting Server release as the inventory names it (default 2.x): 3.x has no xmpp / webbridge. */ release?: string }): Promise<DeviceHandle<CmsState> & { state: CmsState }> {
  const state = newCmsState(opts.hostname, opts.release);
  return startDevice({
    state,
    ...access(opts),
    shell: (term) => cmsShell(state, term),
    // cli-facts §3: files move by SFTP on the same admin credentials.
    sftp: (sftp) => cmsSftp(state, sftp),
  });
}

/** An Expressway peer's admin SSH (xAPI shell); peers of one cluster share `cluster` (zones replicate). */
export async function startExpressway(opts: Common & { cluster: ExpresswayCluster }): Promise<DeviceHandle<ExpresswayState> & { state: ExpresswayState }> {
  const state: ExpresswayState = { hostname: opts.hostname, cluster: opts.cluster };
  return startDevice({
    state,
    ...access(opts),
    shell: (term) => xapiShell(state, term),
  });
}
