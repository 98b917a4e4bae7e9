// AXL benchmarks against the lab's AXL simulator on loopback with a simulated 50 ms latency per
// answer (issue 21 "Done means"):
// - per-request overhead over that latency (aim ≤ 10 %),
// - the S032 waves on COLLABSEC_BENCH_PHONES phones (default 5,000): requests, wall time, rate,
//   and the ratio to the latency-bound minimum (the round trips that must follow one another:
//   list pages, one write at a time, a wave's reads READ_CONCURRENCY at a time).
// Measurements only; tests assert behaviour.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { AxlState, startAxlSimulator } from '../src/lab/axl/index.js';
import type { AxlRequest } from '../src/plan/types.js';
import { createAxlClient } from '../src/transport/axl/index.js';
import { applySelection, PAGE_SIZE, READ_CONCURRENCY } from '../src/transport/axl-bulk.js';
import { tlsPinStore } from '../src/transport/tls-pins.js';
import type { BenchResult } from './common.js';

const LATENCY_MS = 50;
const USER = 'axl-bench';
const PASSWORD = 'Bench-pw1';

export async function benchAxl(): Promise<BenchResult[]> {
  const phones = Number(process.env.COLLABSEC_BENCH_PHONES ?? 5000);
  const waveSize = Number(process.env.COLLABSEC_BENCH_WAVE ?? 100);
  const dir = mkdtempSync(path.join(tmpdir(), 'collabsec-bench-axl-'));
  const state = new AxlState();
  for (let i = 0; i < phones; i++)
    state.put('Phone', { name: `SEP00BE${i.toString(16).padStart(6, '0').toUpperCase()}`, model: 'Cisco 8845', devicePoolName: 'DP-Bench', securityProfileName: 'Universal Device Template - Model-independent Security Profile' });
  const sim = await startAxlSimulator({ users: { [USER]: PASSWORD }, state });
  const client = createAxlClient({ node: 'bench-pub', host: sim.host, port: sim.port, version: '15', username: USER, password: PASSWORD, pins: tlsPinStore({ file: path.join(dir, 'pins') }), confirm: () => Promise.resolve(true) });
  try {
    await client.call('getPhone', { name: 'SEP00BE000000' }); // warm-up: TLS handshake and pin
    sim.latency(LATENCY_MS);
    const n = 30;
    let t0 = performance.now();
    for (let i = 0; i < n; i++) await client.call('getPhone', { name: 'SEP00BE000000' });
    const per = (performance.now() - t0) / n;

    const req: AxlRequest = {
      object: 'Phone',
      mode: 'update',
      name: 'devicePoolName=DP-Bench',
      key: ['name'],
      fields: [
        { name: 'securityProfileName', value: 'UDT-Encrypted-LSC' },
        { name: 'certificateOperation', value: 'Install/Upgrade' },
      ],
      operation: 'updatePhone',
      readBack: 'getPhone',
      readable: 'bench',
      after: 'apply',
      select: { list: 'listPhone', criteria: [{ name: 'devicePoolName', value: 'DP-Bench' }], models: [], waveSize, max: 20000 },
    };
    const before = sim.requests.length;
    t0 = performance.now();
    const out = await applySelection(client, req);
    const ms = performance.now() - t0;
    if (out.outcome !== 'ok') throw new Error(`bench waves: ${out.line}`);
    const requests = sim.requests.length - before;
    const waves = Math.ceil(phones / waveSize);
    const pages = Math.floor(phones / PAGE_SIZE) + 1;
    // Sequential round trips: list pages, update + apply per phone, each wave's read-back pooled.
    const bound = (pages + 2 * out.written + waves * Math.ceil(waveSize / READ_CONCURRENCY)) * LATENCY_MS;
    return [
      { name: 'axl: per-request overhead over 50 ms latency', value: Number((per / LATENCY_MS - 1).toFixed(3)), unit: 'ratio', note: `${per.toFixed(1)} ms per getPhone over ${n}; aim ≤ 0.10` },
      { name: `axl: S032 waves, ${phones} phones`, value: Number((ms / 1000).toFixed(1)), unit: 's', note: `${requests} requests, ${(requests / (ms / 1000)).toFixed(1)} req/s, ${((phones / ms) * 60_000).toFixed(0)} phones/min, waves of ${waveSize}` },
      { name: 'axl: S032 waves / latency-bound minimum', value: Number((ms / bound).toFixed(3)), unit: 'ratio', note: `minimum ${(bound / 1000).toFixed(1)} s at ${LATENCY_MS} ms per round trip` },
    ];
  } finally {
    client.close();
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
