// The whole lab started with the live ports of one platform logged in from the lab inventory's
// credential: what the lab tests that check steps by machine (P012, S035, the Expressway zones)
// each set up the same way.
import { join } from 'node:path';
import { startLab, type Lab } from '../../src/lab/lab.js';
import { loadPlan } from '../../src/plan/load-plan.js';
import type { Plan } from '../../src/plan/types.js';
import { livePorts, type LivePorts } from '../../src/wizard/live.js';
import { inventoryTargets } from '../../src/wizard/reach.js';

export interface LiveLab {
  lab: Lab;
  plan: Plan;
  live: LivePorts;
  login: { username: string; password: string };
  close(): Promise<void>;
}

/** `credential`: the inventory's credentials key; `platform`: the transport it logs in to. */
export async function startLiveLab(credential: 'vos' | 'ios' | 'expressway', platform: 'vos' | 'ios' | 'xapi'): Promise<LiveLab> {
  const lab = await startLab({ bannerMs: 0, restartMs: 20 });
  const lp = loadPlan(lab.inventoryFile);
  const c = lp.loaded.inventory.credentials[credential]!;
  const login = { username: c.username, password: lab.env[c.passwordEnv!]! };
  const live = livePorts({
    plan: lp.plan,
    credentials: new Map([[platform, login]]),
    ...inventoryTargets(lp.topology),
    pasteDir: lp.loaded.dir,
    knownHostsFile: lab.knownHostsFile,
    transcriptDir: join(lab.dir, 'transcripts'),
    transcriptRoot: lab.dir,
    // The lab's known_hosts must already hold every peer: a first-contact question fails the test.
    confirmHostKey: () => Promise.reject(new Error('host key not in the lab known_hosts')),
  });
  return {
    lab,
    plan: lp.plan,
    live,
    login,
    close: async () => {
      await live.close();
      await lab.close();
    },
  };
}
