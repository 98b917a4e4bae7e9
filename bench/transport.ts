// Transport benchmarks against the lab simulators on loopback (issue 4 "Done means"):
// - per-command overhead over the device's own latency at 50 ms (aim ≤ 10 %),
// - SSH connections opened per node in a session of several steps (aim 1),
// - wall time of a restart step on 8 nodes with parallel 8, as a ratio to the slowest node alone (aim ≤ 1.2).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Action, RenderedCommand } from '../src/plan/types.js';
import { knownHostsLine, newVosCluster, startVos, type DeviceHandle } from '../src/lab/server.js';
import { executeAction, runVerify } from '../src/transport/executor.js';
import { runActions } from '../src/transport/rolling.js';
import { SessionPool, type SessionOptions } from '../src/transport/session.js';
import { knownHostsStore } from '../src/transport/ssh/known-hosts.js';

type Metric = { name: string; value: number; unit: string; note?: string };
const users = { administrator: 'Bench-pw1' };

function cmd(line: string, timeoutMs = 30_000): RenderedCommand {
  return { line, dialogue: [], timeoutMs };
}
function act(target: string, lines: string[]): Action {
  const exchanges = lines.map((l) => cmd(l));
  return { target, platform: 'vos', commands: lines, exchanges, pasteFiles: [] };
}

function poolFor(devs: Record<string, DeviceHandle>, dir: string): SessionPool {
  const file = path.join(dir, 'known_hosts');
  writeFileSync(file, Object.values(devs).map((d) => knownHostsLine(d) + '\n').join(''), { mode: 0o600 });
  const opts: SessionOptions = { knownHosts: knownHostsStore({ file }), confirmHostKey: () => Promise.resolve(false), readyTimeoutMs: 10_000 };
  return new SessionPool((node) => ({ node, host: '127.0.0.1', port: devs[node]!.port, username: 'administrator', auth: { password: users.administrator }, platform: 'vos' }), opts);
}

async function overhead(dir: string): Promise<Metric> {
  const dev = await startVos({ hostname: 'bench-pub', role: 'publisher', users });
  const pool = poolFor({ pub: dev }, dir);
  try {
    const s = await pool.get('pub');
    dev.faults.latencyMs = 50;
    const n = 30;
    await executeAction(act('pub', ['show version active']), s); // warm-up
    const t0 = performance.now();
    const r = await executeAction(act('pub', Array.from({ length: n }, () => 'show version active')), s);
    const per = (performance.now() - t0) / n;
    if (r.status !== 'ok') throw new Error(`bench command failed: ${r.commands.at(-1)?.error ?? r.status}`);
    return { name: 'transport: per-command overhead over 50 ms device latency', value: Number((per / 50 - 1).toFixed(3)), unit: 'ratio', note: `${per.toFixed(1)} ms per command over ${n} commands; aim ≤ 0.10` };
  } finally {
    await pool.closeAll();
    await dev.close();
  }
}

async function connectionsPerNode(dir: string): Promise<Metric> {
  const cluster = newVosCluster();
  const devs = {
    pub: await startVos({ hostname: 'b-pub', role: 'publisher', users, cluster, restartMs: 20 }),
    sub1: await startVos({ hostname: 'b-sub1', role: 'subscriber', users, cluster, restartMs: 20 }),
  };
  const pool = poolFor(devs, dir);
  try {
    // A session of several steps: listings, a rolling restart with its health gate, verifications.
    for (const node of ['pub', 'sub1']) await executeAction(act(node, ['show cert list own', 'show csr list own']), await pool.get(node));
    await runActions([act('pub', ['utils service restart Cisco Tomcat']), act('sub1', ['utils service restart Cisco Tomcat'])], pool, { first: 'pub', healthIntervalMs: 50 });
    for (const node of ['pub', 'sub1']) await runVerify({ command: 'utils service list', parser: 'vos-services-started', args: {} }, await pool.get(node));
    const max = Math.max(...Object.values(devs).map((d) => d.connections));
    return { name: 'transport: SSH connections per node per session', value: max, unit: 'connections', note: '2 nodes, 3 steps + verifications; aim 1' };
  } finally {
    await pool.closeAll();
    await Promise.all(Object.values(devs).map((d) => d.close()));
  }
}

async function parallelRestart(dir: string): Promise<Metric> {
  const cluster = newVosCluster();
  const devs: Record<string, DeviceHandle> = {};
  // Restart durations 300..650 ms, so "the slowest alone" is a distinct node.
  for (let i = 0; i < 8; i++) devs[`n${i}`] = await startVos({ hostname: `b-n${i}`, role: i === 0 ? 'publisher' : 'subscriber', users, cluster, restartMs: 300 + i * 50 });
  const pool = poolFor(devs, dir);
  const restart = (n: string): Action => act(n, ['utils service restart Cisco Tomcat']);
  try {
    // Sessions are opened once per run anyway; open them first so both timings measure the step.
    await Promise.all(Object.keys(devs).map((n) => pool.get(n)));
    const gate = { healthIntervalMs: 50 };
    let t0 = performance.now();
    const alone = await runActions([restart('n7')], pool, gate);
    const slowest = performance.now() - t0;
    t0 = performance.now();
    const all = await runActions(Object.keys(devs).map(restart), pool, { ...gate, parallel: 8 });
    const wall = performance.now() - t0;
    if (!alone.ok || !all.ok) throw new Error(`bench restart failed:\n${[...alone.lines, ...all.lines].join('\n')}`);
    return { name: 'transport: restart on 8 nodes, parallel 8 / slowest alone', value: Number((wall / slowest).toFixed(3)), unit: 'ratio', note: `${wall.toFixed(0)} ms vs ${slowest.toFixed(0)} ms; aim ≤ 1.2` };
  } finally {
    await pool.closeAll();
    await Promise.all(Object.values(devs).map((d) => d.close()));
  }
}

export async function benchTransport(): Promise<Metric[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'collabsec-bench-transport-'));
  try {
    return [await overhead(dir), await connectionsPerNode(dir), await parallelRestart(dir)];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
