import type { Platform } from '../../plan/types.js';
import { ios } from './ios.js';
import { mmp } from './mmp.js';
import type { PlatformSpec } from './types.js';
import { vos } from './vos.js';
import { xapi } from './xapi.js';

export { ios, mmp, vos, xapi };
export type { PlatformSpec, ServiceFacts } from './types.js';

const SSH_PLATFORMS: Record<Exclude<Platform, 'local'>, PlatformSpec> = { vos, ios, mmp, xapi };

export function platformSpec(p: Platform): PlatformSpec {
  if (p === 'local') throw new Error('platform "local" does not run over SSH (see transport/local.ts)');
  return SSH_PLATFORMS[p];
}

/** The spec of an SSH platform by name, or undefined for anything else (an API user such as "axl"). */
export function sshPlatformSpec(name: string): PlatformSpec | undefined {
  return Object.hasOwn(SSH_PLATFORMS, name) ? SSH_PLATFORMS[name as Exclude<Platform, 'local'>] : undefined;
}
