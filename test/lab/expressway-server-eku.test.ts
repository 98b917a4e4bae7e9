// Review-2026 C.1 over real ssh2 on 127.0.0.1: on an X15.4 inventory S052 sends
// `xConfiguration XCP TLS Certificate CVS EnableServerEkuUpload: On` to each Expressway-E over the
// admin SSH (xapi driver), and the X15.4 simulator takes it (Cisco tech note 225693, FN74362);
// an X15 simulator has no such leaf and answers ERROR, so the step fails instead of claiming it.
// X15 and X15.5 plans send nothing there.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newExpresswayCluster, seedZones, SERVER_EKU_UPLOAD } from '../../src/lab/expressway.js';
import { knownHostsLine, startExpressway, type DeviceHandle, type ExpresswayState } from '../../src/lab/server.js';
import type { Action, Plan } from '../../src/plan/types.js';
import { executeAction, runVerify } from '../../src/transport/executor.js';
import { SessionPool } from '../../src/transport/session.js';
import { knownHostsStore } from '../../src/transport/ssh/known-hosts.js';
import { action, planOf } from '../golden/harness.js';
import { tmp } from '../transport/helpers.js';

const PW = 'Eku-pw-1';
const devs: Record<string, DeviceHandle<ExpresswayState> & { state: ExpresswayState }> = {};
let pool: SessionPool;
const seed = { neighborPort: 5561, traversalPort: 7001, cPeerFqdn: 'us-expc1.ent-pa.com' };

const planFor = (version: string): Plan => planOf<{ expressway: { version: string } }>((inv) => (inv.expressway.version = version));

beforeAll(async () => {
  devs['expe-x15.4'] = await startExpressway({ hostname: 'expe-x15.4', users: { admin: PW }, cluster: newExpresswayCluster(seedZones('e', seed), {}, 'X15.4') });
  devs['expe-x15'] = await startExpressway({ hostname: 'expe-x15', users: { admin: PW }, cluster: newExpresswayCluster(seedZones('e', seed), {}, 'X15') });
  const file = path.join(tmp(), 'kh');
  writeFileSync(file, Object.values(devs).map((d) => knownHostsLine(d) + '\n').join(''));
  pool = new SessionPool(
    (node) => ({ node, host: '127.0.0.1', port: devs[node]!.port, username: 'admin', auth: { password: PW }, platform: 'xapi' }),
    { knownHosts: knownHostsStore({ file }), confirmHostKey: () => Promise.resolve(false), readyTimeoutMs: 10_000 },
  );
});
afterAll(async () => {
  await pool.closeAll();
  await Promise.all(Object.values(devs).map((d) => d.close()));
});

const on = (a: Action, node: string): Action => ({ ...a, target: node });

describe('S052 EnableServerEkuUpload on Expressway-E (C.1)', () => {
  it('X15.4: the line goes to each Expressway-E only, over xapi; the X15.4 simulator takes it', { timeout: 60_000 }, async () => {
    const p = planFor('X15.4');
    const e = action(p, 'S052', 'us-expe1')!;
    expect(e.commands).toEqual(['xConfiguration XCP TLS Certificate CVS EnableServerEkuUpload: On']);
    expect(e.platform).toBe('xapi');
    expect(action(p, 'S052', 'us-expc1')!.commands).toEqual([]);
    expect(devs['expe-x15.4']!.state.cluster.config.get(SERVER_EKU_UPLOAD)).toBe('Off');
    const s = await pool.get('expe-x15.4');
    const r = await executeAction(on(e, 'expe-x15.4'), s, { answerCharDelayMs: 0 });
    expect(r.status, r.commands.map((c) => `${c.status} ${c.error ?? ''}\n${c.output}`).join('\n')).toBe('ok');
    expect(devs['expe-x15.4']!.state.cluster.config.get(SERVER_EKU_UPLOAD)).toBe('On');
    // The value reads back the way every other leaf does.
    const read = await runVerify({ command: 'xConfiguration XCP TLS Certificate CVS', parser: 'xapi-zone', args: {} }, s);
    expect(read.output).toContain(`*c xConfiguration ${SERVER_EKU_UPLOAD}: "On"`);
  });

  it('an Expressway older than X15.4 has no such switch: ERROR, the command fails, nothing changes', { timeout: 60_000 }, async () => {
    const e = action(planFor('X15.4'), 'S052', 'us-expe1')!;
    const r = await executeAction(on(e, 'expe-x15'), await pool.get('expe-x15'), { answerCharDelayMs: 0 });
    expect(r.status).toBe('failed');
    expect(devs['expe-x15']!.state.cluster.config.has(SERVER_EKU_UPLOAD)).toBe(false);
  });

  it.each(['X14', 'X15', 'X15.5'])('%s: S052 sends nothing to the Expressway-E', (v) => {
    expect(action(planFor(v), 'S052', 'us-expe1')!.commands).toEqual([]);
  });
});
