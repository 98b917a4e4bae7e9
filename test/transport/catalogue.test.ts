// The catalogue's own CLI steps (plan of examples/ent-pa.yaml), executed against the lab
// simulators, each followed by its checkpoint's verification: proves that the dialogues the
// catalogue declares are exactly what the devices ask, for every CLI step kind (cli on VOS,
// ios-config, mmp). Paste files come from a throwaway CA; the runtime paste (S069) is the CSR
// captured by S067, signed by that CA.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newKeyPair, selfSigned, signCsr, type KeyPair } from '../../src/lab/pki.js';
import { knownHostsLine, newVosCluster, startCms, startIos, startVos, type CmsState, type DeviceHandle } from '../../src/lab/server.js';
import { loadPlan } from '../../src/plan/load-plan.js';
import type { PlannedStep } from '../../src/plan/types.js';
import { executeAction, runVerify, type ExecuteHooks } from '../../src/transport/executor.js';
import { SessionPool, type LiveTarget } from '../../src/transport/session.js';
import { knownHostsStore } from '../../src/transport/ssh/known-hosts.js';
import { tmp } from './helpers.js';
import { verifications } from '../../src/plan/verifications.js';

const users = { administrator: 'Cat-pw1', admin: 'Cat-pw1' };
/** Inventory node → lab device and login. */
const lab: Record<string, { dev?: DeviceHandle; platform: LiveTarget['platform']; user: string }> = {
  'us-cm-pub': { platform: 'vos', user: 'administrator' },
  'us-pcd': { platform: 'vos', user: 'administrator' },
  'US-CUBE1': { platform: 'ios', user: 'admin' },
  'us-acano1': { platform: 'mmp', user: 'admin' },
};
let pool: SessionPool;
let ca: { pem: string; keys: KeyPair };
let csr = '';
const steps = new Map<string, PlannedStep>();

beforeAll(async () => {
  const cluster = newVosCluster({ exportControlled: true });
  lab['us-cm-pub']!.dev = await startVos({ hostname: 'us-cm-pub', role: 'publisher', users, cluster, restartMs: 50 });
  lab['us-pcd']!.dev = await startVos({ hostname: 'us-pcd', role: 'publisher', release: '15', users, restartMs: 50 }); // ent-pa's pcd.version: asks the OU question (A.9)
  lab['US-CUBE1']!.dev = await startIos({ hostname: 'US-CUBE1', users });
  lab['us-acano1']!.dev = await startCms({ hostname: 'us-acano1', users });
  const dir = tmp();
  const file = path.join(dir, 'kh');
  writeFileSync(file, Object.values(lab).map((l) => knownHostsLine(l.dev!) + '\n').join(''));
  pool = new SessionPool(
    (node) => ({ node, host: '127.0.0.1', port: lab[node]!.dev!.port, username: lab[node]!.user, auth: { password: 'Cat-pw1' }, platform: lab[node]!.platform }),
    { knownHosts: knownHostsStore({ file }), confirmHostKey: () => Promise.resolve(false), readyTimeoutMs: 5000 },
  );
  const keys = await newKeyPair();
  // The CN examples/ent-pa.yaml names (ca.enterprise.name): the trust checks find the root by it (A.1).
  ca = { keys, pem: await selfSigned('CN=ENT-PA Enterprise Root CA', keys, true) };
  for (const s of loadPlan('examples/ent-pa.yaml').plan.steps) steps.set(s.id, s);
});
afterAll(async () => {
  await pool.closeAll();
  await Promise.all(Object.values(lab).map((l) => (l.dev ? l.dev.close() : Promise.resolve())));
});

const hooks: ExecuteHooks = {
  answerCharDelayMs: 0,
  readPaste: async (entry) => (entry.pasteAtRuntime === true ? signCsr(csr, ca.pem, ca.keys) : ca.pem),
};

async function run(id: string): Promise<void> {
  const step = steps.get(id);
  expect(step, `step ${id} in the plan`).toBeDefined();
  const mine = step!.actions.filter((a) => lab[a.target] !== undefined);
  expect(mine.length, `${id} has an action on a lab node`).toBeGreaterThan(0);
  for (const a of mine) {
    const s = await pool.get(a.target);
    const r = await executeAction(a, s, hooks);
    const detail = r.commands.map((c) => `${c.status} ${c.error ?? ''}\n${c.output}`).join('\n');
    expect(r.status, `${id} on ${a.target}:\n${detail}`).toBe('ok');
    for (const c of a.exchanges) expect(r.commands.find((x) => x.line === c.line)?.answered.length, `${id}: every declared question asked`).toBe(c.dialogue.length);
    if (r.captures.csr !== undefined || id === 'S067') csr = /-----BEGIN CERTIFICATE REQUEST-----[\s\S]*?-----END CERTIFICATE REQUEST-----/.exec(r.commands.map((c) => c.output).join(''))?.[0] ?? csr;
    for (const v of verifications(step!.checkpoint)) {
      const res = await runVerify(v, s);
      expect(res.ok, `${id} verify on ${a.target}: ${res.details.join('; ')}\n${res.output}`).toBe(true);
    }
  }
}

describe('catalogue CLI steps against the lab', () => {
  it('VOS (cli): mixed mode, CTL update, restarts', async () => {
    for (const id of ['S022', 'S023', 'S024', 'S009']) await run(id);
  });
  it('VOS (cli, PCD): CSR, trust import with PEM paste', async () => {
    for (const id of ['S107', 'S108', 'S110']) await run(id);
  });
  it('IOS (ios-config): keys, trustpoint, authenticate paste, enroll questions, import runtime paste, CUBE lines', async () => {
    for (const id of ['S064', 'S065', 'S066', 'S067', 'S069', 'S071', 'S072', 'S073', 'S074', 'S076', 'S078']) await run(id);
  });
  it('CMS (mmp): CSRs', async () => {
    for (const id of ['S080', 'S081']) await run(id);
  });
  it('CMS (mmp): S091 reads `database cluster status` first and stops on a node already clustered, sending nothing after it (review-2026 B.5)', async () => {
    const dev = lab['us-acano1']!.dev! as DeviceHandle<CmsState>;
    const a = steps.get('S091')!.actions.find((x) => x.target === 'us-acano1')!;
    expect(a.commands).toEqual(['database cluster status', 'database cluster initialize']);
    // Already in a cluster (joined to another node): the guard refuses, the initialize is never sent.
    dev.state.database.certs = ['CAsignedCluster.key', 'CAsignedCluster.cer', 'dbclusterclient.key', 'dbclusterclient.cer', 'rootCAcert.cer'];
    dev.state.database.mode = 'joined';
    dev.state.database.peer = '192.0.2.99';
    const s = await pool.get('us-acano1');
    const refused = await executeAction(a, s, hooks);
    expect(refused.status).toBe('failed');
    expect(refused.commands.map((c) => [c.line, c.status])).toEqual([['database cluster status', 'failed']]);
    expect(refused.commands[0]!.error).toMatch(/Status\s*: Enabled" after "database cluster status": this node is already in a database cluster/);
    expect(dev.state.database.mode).toBe('joined');
    expect(dev.state.database.peer).toBe('192.0.2.99');
    // Not clustered: the guard passes and the node initialises.
    dev.state.database.mode = 'none';
    const done = await executeAction(a, s, hooks);
    expect(done.status, done.commands.map((c) => `${c.status} ${c.error ?? ''}`).join('\n')).toBe('ok');
    expect(dev.state.database.mode).toBe('initialized');
  });
});
