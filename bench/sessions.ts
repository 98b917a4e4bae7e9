// Sessions on the file journal vs PostgreSQL (issue 24 "Done means"), with 1, 2 and 10 operator
// processes working one session at once (bench/sessions-operator.ts): event append latency
// (p50/p95), the lock or claim cost per step, compare-and-set retries per event, and throughput.
// The file journal has one writer at a time, so its operators take turns (the session's lock per
// step); on PostgreSQL they work as a team (a claim per step). PostgreSQL is a throwaway server
// (test/support/pg-cluster.ts) with fsync on, as durable as the file journal's fsyncs, unless
// COLLABSEC_BENCH_PG names a database to use (each run writes new sessions there, which stay:
// events are append-only). COLLABSEC_BENCH_TEAM_STEPS sets the steps per operator (default 20).
// Measurements only; tests assert behaviour.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { FileSessionStore } from '../src/session/file-store.js';
import { openSession } from '../src/session/journal.js';
import { connectPostgres } from '../src/session/pg-store.js';
import type { SessionStore } from '../src/session/store.js';
import { startCluster, type Cluster } from '../test/support/pg-cluster.js';
import type { BenchResult } from './common.js';
import type { OperatorResult } from './sessions-operator.js';
import { benchTeamPlan } from './sessions-plan.js';

export interface SessionsBenchOptions {
  /** Steps each operator works (default COLLABSEC_BENCH_TEAM_STEPS or 20). */
  stepsPerOperator?: number;
  /** Operator process counts (default 1, 2, 10). */
  operators?: number[];
  /** A database to use instead of a throwaway server (default COLLABSEC_BENCH_PG). */
  pgUrl?: string;
}

export interface SessionsBenchRow {
  backend: 'file' | 'postgres';
  operators: number;
  steps: number;
  /** Events the operators reported written, and the length of the stored chain afterwards. */
  events: number;
  stored: number;
  appendP50Ms: number;
  appendP95Ms: number;
  lockPerStepMeanMs: number;
  lockPerStepP95Ms: number;
  retriesPerEvent: number;
  eventsPerSecond: number;
  wallMs: number;
}

const round = (x: number) => Math.round(x * 100) / 100;

function percentile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
}

/** The operator script: compiled beside this file, or (run from source, as in tests) bundled once. */
async function operatorScript(tmp: string): Promise<string> {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.js')) return path.join(path.dirname(here), 'sessions-operator.js');
  const { build } = await import('esbuild');
  const outfile = path.join(tmp, 'sessions-operator.mjs');
  await build({
    entryPoints: [path.join(path.dirname(here), 'sessions-operator.ts')],
    // CommonJS dependencies (pg) require node's own modules: give the ESM bundle a require.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    external: ['pg-native'],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'silent',
  });
  return outfile;
}

interface Operator {
  lines: string[];
  waitFor(prefix: string): Promise<string>;
  go(): void;
}

function startOperator(script: string, args: string[]): Operator {
  const proc = spawn(process.execPath, [script, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let buf = '';
  let err = '';
  let exited: number | null | undefined;
  const waiters: (() => void)[] = [];
  const wake = () => waiters.splice(0).forEach((w) => w());
  proc.stdout.setEncoding('utf8').on('data', (c: string) => {
    buf += c;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      lines.push(buf.slice(0, i));
      buf = buf.slice(i + 1);
    }
    wake();
  });
  proc.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
  proc.on('close', (code) => {
    exited = code;
    wake();
  });
  return {
    lines,
    async waitFor(prefix) {
      for (;;) {
        const hit = lines.find((l) => l.startsWith(prefix));
        if (hit !== undefined) return hit;
        if (exited !== undefined) throw new Error(`bench operator exited (${exited}) before "${prefix}": ${err.slice(0, 2000)}`);
        await new Promise<void>((r) => waiters.push(r));
      }
    },
    go: () => proc.stdin.end('go\n'),
  };
}

async function runOne(script: string, backend: 'file' | 'postgres', spec: string, store: () => Promise<{ store: SessionStore; close: () => Promise<void> }>, name: string, count: number, steps: number): Promise<SessionsBenchRow> {
  const total = count * steps;
  const plan = benchTeamPlan(total);
  // The session made before the operators start, so none of them measures its creation.
  const made = await store();
  try {
    await (await openSession({ plan, inventoryPath: '/nonexistent/bench.yaml', store: made.store, team: backend === 'postgres' })).close();
  } finally {
    await made.close();
  }
  const ops = Array.from({ length: count }, (_, k) => startOperator(script, [spec, name, String(total), String(count), String(k)]));
  await Promise.all(ops.map((o) => o.waitFor('ready')));
  const t0 = performance.now();
  for (const o of ops) o.go();
  const results = (await Promise.all(ops.map((o) => o.waitFor('result ')))).map((l) => JSON.parse(l.slice('result '.length)) as OperatorResult);
  const wallMs = performance.now() - t0;
  const after = await store();
  let stored: number;
  try {
    stored = (await after.store.load()).chain?.length ?? 0;
  } finally {
    await after.close();
  }
  const append = results.flatMap((r) => r.append);
  const lock = results.flatMap((r) => r.lock);
  const events = results.reduce((n, r) => n + r.events, 0);
  return {
    backend,
    operators: count,
    steps: total,
    events,
    stored,
    appendP50Ms: round(percentile(append, 0.5)),
    appendP95Ms: round(percentile(append, 0.95)),
    lockPerStepMeanMs: round(lock.reduce((a, b) => a + b, 0) / lock.length),
    lockPerStepP95Ms: round(percentile(lock, 0.95)),
    retriesPerEvent: round(results.reduce((n, r) => n + r.retries, 0) / events),
    eventsPerSecond: round(events / (wallMs / 1000)),
    wallMs: round(wallMs),
  };
}

export async function runSessionsBench(opts: SessionsBenchOptions = {}): Promise<SessionsBenchRow[]> {
  const steps = opts.stepsPerOperator ?? Number(process.env.COLLABSEC_BENCH_TEAM_STEPS ?? 20);
  const counts = opts.operators ?? [1, 2, 10];
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'collabsec-bench-sessions-'));
  let cluster: Cluster | undefined;
  try {
    const script = await operatorScript(tmp);
    let url = opts.pgUrl ?? process.env.COLLABSEC_BENCH_PG;
    if (url === undefined) {
      cluster = await startCluster({ fsync: true });
      const admin = new pg.Pool({ connectionString: cluster.url('postgres'), max: 1 });
      await admin.query('CREATE DATABASE bench');
      await admin.end();
      url = cluster.url('bench');
    }
    const pgUrl = url;
    const rows: SessionsBenchRow[] = [];
    const tag = `${process.pid}-${Date.now()}`;
    for (const count of counts) {
      const name = `bench-${tag}-${count}`;
      const dir = path.join(tmp, `file-${count}`);
      rows.push(await runOne(script, 'file', dir, () => Promise.resolve({ store: new FileSessionStore(path.join(dir, `${name}.json`), name), close: () => Promise.resolve() }), name, count, steps));
      rows.push(
        await runOne(script, 'postgres', pgUrl, async () => {
          const b = await connectPostgres(pgUrl, { env: process.env });
          return { store: b.store(name), close: () => b.close() };
        }, name, count, steps),
      );
    }
    return rows;
  } finally {
    await cluster?.stop();
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

export async function benchSessions(opts: SessionsBenchOptions = {}): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  for (const r of await runSessionsBench(opts)) {
    const who = `${r.backend === 'file' ? 'file' : 'pg'} x${r.operators}`;
    const how = r.backend === 'file' ? 'session lock per step, taking turns' : 'node claim per step, as a team';
    out.push(
      { name: `${who} append p50`, value: r.appendP50Ms, unit: 'ms', note: `${r.events} events, ${r.operators} process(es)` },
      { name: `${who} append p95`, value: r.appendP95Ms, unit: 'ms' },
      { name: `${who} lock/claim per step (mean)`, value: r.lockPerStepMeanMs, unit: 'ms', note: how },
      { name: `${who} lock/claim per step (p95)`, value: r.lockPerStepP95Ms, unit: 'ms' },
      { name: `${who} CAS retries per event`, value: r.retriesPerEvent, unit: '' },
      { name: `${who} throughput`, value: r.eventsPerSecond, unit: 'events/s', note: `${Math.round(r.wallMs)} ms wall` },
    );
  }
  return out;
}
