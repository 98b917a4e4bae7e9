// `npm run bench`: every benchmark of the project, printed as a table (or JSON with --json).
// Benchmarks measure; they assert nothing (tests do that).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchAxl } from './axl.js';
import type { BenchResult } from './common.js';
import { benchCertCheck } from './cert-check.js';
import { benchPlan } from './plan.js';
import { benchSession } from './session.js';
import { benchSessions } from './sessions.js';
import { benchTransport } from './transport.js';
import { benchWizard } from './wizard.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

async function main(): Promise<void> {
  const sections: [string, () => Promise<BenchResult[]> | BenchResult[]][] = [
    ['plan', () => benchPlan(root)],
    ['wizard', benchWizard],
    ['session', benchSession],
    ['sessions', () => benchSessions()],
    ['cert', benchCertCheck],
    ['transport', benchTransport],
    ['axl', benchAxl],
  ];
  const all: (BenchResult & { section: string })[] = [];
  const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);
  for (const [section, run] of sections) {
    // --only=startup: the start-up ratios of issue 25 (plan on the example and on 50×10, the
    // wizard's first frame), each against `node -e 0` in this run.
    if (only !== undefined && section !== only && !(only === 'startup' && (section === 'plan' || section === 'wizard'))) continue;
    process.stderr.write(`bench: ${section}…\n`);
    for (const r of await run()) all.push({ section, ...r });
  }
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify(all, null, 2)}\n`);
    return;
  }
  for (const r of all) {
    const v = r.value >= 100 ? r.value.toFixed(0) : r.value.toFixed(2);
    process.stdout.write(`${r.section.padEnd(10)} ${r.name.padEnd(48)} ${v.padStart(9)} ${r.unit}${r.note ? `  (${r.note})` : ''}\n`);
  }
}

await main();
