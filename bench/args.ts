// The bench's command line: which sections to run and how to print them. Parsed before anything
// runs, so `--help` or a misspelt section costs nothing (a whole bench takes minutes).
import { parseArgs } from 'node:util';

export const SECTIONS = ['plan', 'wizard', 'session', 'sessions', 'cert', 'transport', 'axl'] as const;
export type Section = (typeof SECTIONS)[number];

export const BENCH_USAGE = `Usage: npm run bench -- [--only SECTION] [--json]
       node dist/bench/run.js [--only SECTION] [--json]     (after npm run build)

Runs collabsec's benchmarks and prints one row per figure. Timings are ratios to a bare
\`node -e 0\` run in turns with them, so figures from two machines compare. Nothing is asserted:
the tests do that.

Options:
      --only SECTION   run one section: ${SECTIONS.join(', ')}, or startup (plan and wizard,
                       the start-up ratios of issue 25); also --only=SECTION
      --json           the rows as JSON on stdout
  -h, --help           show this help

Examples:
  npm run bench                                   every section (a few minutes)
  node dist/bench/run.js --only startup           plan and wizard start-up ratios with their aims
  node dist/bench/run.js --only plan --json | jq '.[] | select(.unit == "× baseline")'

Exit codes: 0 printed, 2 bad usage.`;

export type BenchArgs = { help: true } | { help: false; sections: Section[]; json: boolean };

export class BenchUsageError extends Error {}

export function parseBenchArgs(argv: string[]): BenchArgs {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { only: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false }));
  } catch (e) {
    throw new BenchUsageError((e as Error).message);
  }
  if (values.help) return { help: true };
  const only = values.only;
  let sections: Section[] = [...SECTIONS];
  if (only === 'startup') sections = ['plan', 'wizard'];
  else if (only !== undefined) {
    if (!(SECTIONS as readonly string[]).includes(only)) throw new BenchUsageError(`unknown section "${only}": one of ${SECTIONS.join(', ')}, startup`);
    sections = [only as Section];
  }
  return { help: false, sections, json: values.json === true };
}
