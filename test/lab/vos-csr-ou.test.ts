// Review-2026 A.9: on VOS 14SU2 and later `set csr gen <unit>` asks `Include OU in CSR (yes|no)?`
// (cli-facts §1.3). S107 declares that question only for a PCD release that asks it
// (pcd.version, as data in templates/pcd.yaml), answered from csr.includeOU; the lab asks it only
// from 14SU2. Each plan's S107 runs here over SSH against a lab node of that plan's release: a 15
// node gets the answer and produces the CSR, a 12.5 node is asked nothing, and a live run never
// waits on an unanswered question (an undeclared one stops the step at once).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Pkcs10CertificateRequest } from '@peculiar/x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knownHostsLine, startVos, type DeviceHandle, type VosNodeState } from '../../src/lab/server.js';
import { loadPlan } from '../../src/plan/load-plan.js';
import type { Action } from '../../src/plan/types.js';
import { executeAction } from '../../src/transport/executor.js';
import { SessionPool } from '../../src/transport/session.js';
import { knownHostsStore } from '../../src/transport/ssh/known-hosts.js';
import { tmp } from '../transport/helpers.js';

const users = { administrator: 'Ou-pw1' };
const devs: Record<string, DeviceHandle<VosNodeState> & { state: VosNodeState }> = {};
let pool: SessionPool;

beforeAll(async () => {
  devs['pcd-15'] = await startVos({ hostname: 'pcd-15', fqdn: 'us-pcd.ent-pa.com', role: 'publisher', release: '15', users });
  devs['pcd-14su2'] = await startVos({ hostname: 'pcd-14su2', fqdn: 'us-pcd.ent-pa.com', role: 'publisher', release: '14SU2', users });
  devs['pcd-12.5'] = await startVos({ hostname: 'pcd-12.5', fqdn: 'us-pcd.ent-pa.com', role: 'publisher', release: '12.5', users });
  const file = path.join(tmp(), 'kh');
  writeFileSync(file, Object.values(devs).map((d) => knownHostsLine(d) + '\n').join(''));
  pool = new SessionPool(
    (node) => ({ node, host: '127.0.0.1', port: devs[node]!.port, username: 'administrator', auth: { password: 'Ou-pw1' }, platform: 'vos' }),
    { knownHosts: knownHostsStore({ file }), confirmHostKey: () => Promise.resolve(false), readyTimeoutMs: 10_000 },
  );
});
afterAll(async () => {
  await pool.closeAll();
  await Promise.all(Object.values(devs).map((d) => d.close()));
});

function s107(example: string): Action {
  const step = loadPlan(example).plan.steps.find((s) => s.id === 'S107');
  expect(step, `S107 in ${example}`).toBeDefined();
  expect(step!.actions).toHaveLength(1);
  return step!.actions[0]!;
}

/** The action as it would run on another lab node (same lines and dialogue). */
const on = (a: Action, node: string): Action => ({ ...a, target: node });

function csrOf(node: string): Pkcs10CertificateRequest {
  const pem = devs[node]!.state.csrs.tomcat;
  expect(pem, `${node} holds a tomcat CSR`).toBeDefined();
  return new Pkcs10CertificateRequest(pem!);
}

describe('S107 set csr gen and the 14SU2 OU question (A.9)', () => {
  it('ent-pa (PCD 15): the question is declared, answered "no" on a 15 node, and the CSR has no OU', { timeout: 60_000 }, async () => {
    const a = s107('examples/ent-pa.yaml');
    expect(a.commands).toEqual(['set csr gen tomcat']);
    expect(a.exchanges[0]!.dialogue).toEqual([{ expect: 'Include OU in CSR (yes|no)?', answer: 'no' }]);
    const r = await executeAction(on(a, 'pcd-15'), await pool.get('pcd-15'), { answerCharDelayMs: 0 });
    const detail = r.commands.map((c) => `${c.status} ${c.error ?? ''}\n${c.output}`).join('\n');
    expect(r.status, detail).toBe('ok');
    expect(r.commands[0]!.answered).toEqual(['Include OU in CSR (yes|no)?']);
    expect(r.commands[0]!.output).toMatch(/Successfully\s+Generated\s+CSR\s+for\s+tomcat/);
    const csr = csrOf('pcd-15');
    expect(csr.subject).toBe('CN=us-pcd.ent-pa.com');
  });

  it('a "yes" answer (csr.includeOU: true) on a 14SU2 node puts the OU in the CSR', { timeout: 60_000 }, async () => {
    const a = s107('examples/ent-pa.yaml');
    const yes: Action = { ...on(a, 'pcd-14su2'), exchanges: a.exchanges.map((x) => ({ ...x, dialogue: x.dialogue.map((d) => ({ ...d, answer: 'yes' })) })) };
    const r = await executeAction(yes, await pool.get('pcd-14su2'), { answerCharDelayMs: 0 });
    expect(r.status, r.commands.map((c) => c.output).join('\n')).toBe('ok');
    expect(r.commands[0]!.answered).toEqual(['Include OU in CSR (yes|no)?']);
    expect(csrOf('pcd-14su2').subject).toMatch(/OU=Collaboration/);
  });

  it('chapter-2019 (PCD 12.5): nothing declared, nothing asked; the CSR is made', { timeout: 60_000 }, async () => {
    const a = s107('examples/chapter-2019.yaml');
    expect(a.exchanges[0]!.dialogue).toEqual([]);
    const r = await executeAction(on(a, 'pcd-12.5'), await pool.get('pcd-12.5'), { answerCharDelayMs: 0 });
    expect(r.status, r.commands.map((c) => c.output).join('\n')).toBe('ok');
    expect(r.commands[0]!.answered).toEqual([]);
    expect(r.commands[0]!.output).not.toMatch(/Include OU/);
    expect(csrOf('pcd-12.5').subject).toBe('CN=us-pcd.ent-pa.com');
  });

  it('the 12.5 plan run against a 15 node stops at the undeclared question at once, without answering or hanging', { timeout: 60_000 }, async () => {
    delete devs['pcd-15']!.state.csrs.tomcat;
    const a = s107('examples/chapter-2019.yaml');
    const r = await executeAction(on(a, 'pcd-15'), await pool.get('pcd-15'), { answerCharDelayMs: 0 });
    expect(r.commands[0]!.status).toBe('unexpected-question');
    expect(r.commands[0]!.error).toMatch(/Include OU in CSR/);
    expect(devs['pcd-15']!.state.csrs.tomcat).toBeUndefined();
  });
});
