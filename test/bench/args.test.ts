// The bench's command line (bench/args.ts): `--help` and bad usage are answered before any section
// runs. Before, `node dist/bench/run.js --help` ran the whole bench (minutes) and ignored the flag,
// and `--only=plna` ran nothing and printed an empty table with exit 0.
import { describe, expect, it } from 'vitest';
import { BENCH_USAGE, BenchUsageError, SECTIONS, parseBenchArgs } from '../../bench/args.js';
import { spreadOf } from '../../bench/common.js';

describe('bench arguments', () => {
  it('answers --help and -h without sections', () => {
    expect(parseBenchArgs(['--help'])).toEqual({ help: true });
    expect(parseBenchArgs(['-h'])).toEqual({ help: true });
    expect(BENCH_USAGE).toMatch(/Examples:\n/);
  });

  it('runs every section by default, one with --only in either spelling, plan and wizard for startup', () => {
    expect(parseBenchArgs([])).toEqual({ help: false, sections: [...SECTIONS], json: false });
    expect(parseBenchArgs(['--only=plan'])).toEqual({ help: false, sections: ['plan'], json: false });
    expect(parseBenchArgs(['--only', 'axl', '--json'])).toEqual({ help: false, sections: ['axl'], json: true });
    expect(parseBenchArgs(['--only=startup'])).toEqual({ help: false, sections: ['plan', 'wizard'], json: false });
  });

  it('refuses an unknown section, an unknown option and a stray argument', () => {
    expect(() => parseBenchArgs(['--only=plna'])).toThrow(BenchUsageError);
    expect(() => parseBenchArgs(['--only=plna'])).toThrow(/unknown section "plna"/);
    expect(() => parseBenchArgs(['--fast'])).toThrow(BenchUsageError);
    expect(() => parseBenchArgs(['plan'])).toThrow(BenchUsageError);
  });
});

describe('spreadOf', () => {
  it('gives the middle half of the runs’ ratios, sorted, and nothing for no runs', () => {
    expect(spreadOf([3.4, 2.9, 3.0, 4.4, 3.1, 2.95, 3.05, 3.2])).toBe('2.95–3.20×');
    expect(spreadOf([2])).toBe('2.00–2.00×');
    expect(spreadOf([])).toBe('');
  });
});
