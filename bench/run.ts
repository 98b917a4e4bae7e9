// `npm run bench`: every benchmark of the project, printed as a table (or JSON with --json).
// Benchmarks measure; they assert nothing (tests do that).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_USAGE, BenchUsageError, parseBenchArgs, type Section } from './args.js';
import { benchAxl } from './axl.js';
import type { BenchResult } from './common.js';
import { benchCertCheck } from './cert-check.js';
import { benchPlan } from './plan.js';
import { benchSession } from './session.js';
import { benchSessions } from './sessions.js';
import { benchTransport } from './transport.js';
import { benchWizard } from './wizard.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

async function main(): Promise<number> {
  let args;
  try {
    args = parseBenchArgs(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof BenchUsageError)) throw e;
    process.stderr.write(`bench: ${e.message}\n\n${BENCH_USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${BENCH_USAGE}\n`);
    return 0;
  }
  const sections: Record<Section, () => Promise<BenchResult[]> | BenchResult[]> = {
    plan: () => benchPlan(root),
    wizard: benchWizard,
    session: benchSession,
    sessions: () => benchSessions(),
    cert: benchCertCheck,
    transport: benchTransport,
    axl: benchAxl,
  };
  const all: (BenchResult & { section: string })[] = [];
  for (const section of args.sections) {
    process.stderr.write(`bench: ${section}…\n`);
    for (const r of await sections[section]()) all.push({ section, ...r });
  }
  if (args.json) {
    process.stdout.write(`${JSON.stringify(all, null, 2)}\n`);
    return 0;
  }
  for (const r of all) {
    const v = r.value >= 100 ? r.value.toFixed(0) : r.value.toFixed(2);
    process.stdout.write(`${r.section.padEnd(10)} ${r.name.padEnd(48)} ${v.padStart(9)} ${r.unit}${r.note ? `  (${r.note})` : ''}\n`);
  }
  return 0;
}

process.exitCode = await main();
