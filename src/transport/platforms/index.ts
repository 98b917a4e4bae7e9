import type { Platform } from '../../plan/types.js';
import { ios } from './ios.js';
import { mmp } from './mmp.js';
import type { PlatformSpec } from './types.js';
import { vos } from './vos.js';
import { xapi } from './xapi.js';

export { ios, mmp, vos, xapi };
export type { PlatformSpec, ServiceFacts } from './types.js';

export function platformSpec(p: Platform): PlatformSpec {
  if (p === 'local') throw new Error('platform "local" does not run over SSH (see transport/local.ts)');
  return { vos, ios, mmp, xapi }[p];
}
