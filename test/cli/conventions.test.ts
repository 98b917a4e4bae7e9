// Issue 25 slice 1 (CLI conventions): `plan | head` ends quietly, filters take any case and
// ranges and say when they select nothing, mistyped commands, flags, products and steps get the
// closest known name, and -i works wherever --inventory does. Each failed on the old code: an
// EPIPE stack trace with exit 1, `s022` unknown, an empty runbook with exit 0, no suggestions,
// `run -i` an unknown option.
import { execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import { commands, main } from '../../src/cli.js';
import { documentedFlags } from '../../src/commands/completion.js';
import { ExitCode } from '../../src/errors.js';
import { closest, editDistance } from '../../src/text/suggest.js';
import { captureIo } from './io.js';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';

const example = 'examples/ent-pa.yaml';
const repo = path.resolve(import.meta.dirname, '..', '..');

const ids = async (args: string[]) => {
  const io = captureIo();
  expect(await main(['plan', '-i', example, '--json', ...args], io)).toBe(0);
  return (JSON.parse(io.out()) as { steps: { id: string }[] }).steps.map((s) => s.id);
};

describe('plan | head', () => {
  let entry = '';
  beforeAll(async () => {
    // The real entry point, bundled, run as a child writing into a pipe. Named cli.js (cli.ts runs
    // main only when invoked as cli.js or collabsec) under node_modules so its packages resolve.
    const outdir = path.join(repo, 'node_modules', '.cache', `collabsec-pipe-${process.pid}`);
    mkdirSync(outdir, { recursive: true });
    entry = path.join(outdir, 'cli.js');
    await build({ entryPoints: [path.join(repo, 'src/cli.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node20', jsx: 'automatic', outfile: entry, packages: 'external', logLevel: 'silent' });
  }, 60_000);
  afterAll(() => rmSync(path.dirname(entry), { recursive: true, force: true }));

  it('ends quietly with exit 0 when the reader closes the pipe early', async () => {
    const child = spawn(process.execPath, [entry, 'plan', '-i', path.join(repo, example)], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Read the first line, then close our end: what `head -1` does.
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  }, 60_000);
});

describe('filters', () => {
  it('take ids in any case, ranges in catalogue order, and comma lists', async () => {
    expect(await ids(['--step', 's022-S024'])).toEqual(['S022', 'S023', 'S024']);
    expect(await ids(['--step', 'S022,s086'])).toEqual(['S022', 'S086']);
    expect(await ids(['--product', 'CMS', '--step', 'S086-S088'])).toEqual(['S086', 'S088']); // S087 (XMPP) is not on Meeting Server 3.x
  });

  it('that select nothing for this inventory are exit 2 saying so; a backwards range is named', async () => {
    const a = captureIo();
    expect(await main(['plan', '-i', example, '--step', 'S070'], a)).toBe(ExitCode.usage);
    expect(a.err()).toMatch(/select no step that applies to this inventory/);
    expect(a.out()).toBe('');
    const b = captureIo();
    expect(await main(['plan', '-i', example, '--step', 'S024-S022'], b)).toBe(ExitCode.usage);
    expect(b.err()).toMatch(/runs backwards/);
  });

  it('suggest the closest step slug or product', async () => {
    const a = captureIo();
    expect(await main(['plan', '-i', example, '--step', 'cucm-mixed-mode-enabel'], a)).toBe(ExitCode.usage);
    expect(a.err()).toMatch(/unknown step "cucm-mixed-mode-enabel"\. Did you mean cucm-mixed-mode-enable\?/);
    const b = captureIo();
    expect(await main(['plan', '-i', example, '--product', 'expresway'], b)).toBe(ExitCode.usage);
    expect(b.err()).toMatch(/Did you mean expressway\?/);
  });
});

describe('did you mean', () => {
  it('for a command and for a flag of that command', async () => {
    const a = captureIo();
    expect(await main(['plna'], a)).toBe(ExitCode.usage);
    expect(a.err()).toMatch(/unknown command "plna"\. Did you mean plan\?/);
    const b = captureIo();
    expect(await main(['plan', '--invntory', example], b)).toBe(ExitCode.usage);
    expect(b.err()).toMatch(/\nDid you mean --inventory\?\n/);
    const c = captureIo();
    expect(await main(['run', '--checkpoint-pased', '-i', example], c)).toBe(ExitCode.usage);
    expect(c.err()).toMatch(/Did you mean --checkpoint-passed\?/);
    const d = captureIo();
    expect(await main(['plan', '--zzzzzz', '-i', example], d)).toBe(ExitCode.usage);
    expect(d.err()).not.toMatch(/Did you mean/);
  });

  it('edit distance counts a swapped pair once; far words suggest nothing', () => {
    expect(editDistance('plna', 'plan')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(closest('x', ['plan', 'run'])).toEqual([]);
    expect(closest('--inv', ['--inventory', '--session'])).toEqual(['--inventory']);
  });
});

describe('-i wherever --inventory is taken', () => {
  it('run and resume accept -i', async () => {
    // Without a terminal and without --steps, run only lists: -i must be understood to get there.
    const dir = mkdtempSync(path.join(tmpdir(), 'collabsec-i-'));
    for (const cmd of ['run', 'resume']) {
      const io = { ...captureIo(), cwd: dir };
      const code = await main([cmd, '-i', path.join(repo, example), '--plain', '--session', path.join(dir, `${cmd}.json`)], io);
      expect(io.err()).not.toMatch(/Unknown option/);
      expect([0, ExitCode.sessionUnavailable]).toContain(code);
    }
  });
});

describe('help and completion from one source', () => {
  it('every command has examples, and every flag an example uses is documented in its options', async () => {
    for (const [name, entry] of Object.entries(commands)) {
      const { usage } = (await entry.load()).default;
      const examples = usage.split('\nExamples:\n')[1];
      expect(examples, `${name} --help has no Examples section`).toBeDefined();
      const documented = new Set(documentedFlags(usage.split('\nExamples:\n')[0]!));
      const lines = examples!.split('\n').filter((l) => /^\s+(collabsec|source)/.test(l));
      expect(lines.length, name).toBeGreaterThan(0);
      for (const l of lines)
        for (const flag of l.replace(/'[^']*'/g, '').match(/(?<=\s)--?[a-zA-Z][\w-]*/g) ?? []) expect(documented.has(flag), `${name}: ${flag} in "${l.trim()}"`).toBe(true);
    }
  });

  it('bash completion completes commands and the documented flags of a command', async () => {
    const io = captureIo();
    expect(await main(['completion', 'bash'], io)).toBe(0);
    const dir = mkdtempSync(path.join(tmpdir(), 'collabsec-compl-'));
    writeFileSync(path.join(dir, 'c.bash'), io.out());
    const complete = (...words: string[]) =>
      execFileSync('bash', ['-c', `source c.bash; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _collabsec; printf '%s\\n' "\${COMPREPLY[@]}"`], { cwd: dir, encoding: 'utf8' }).trim().split('\n');
    expect(complete('collabsec', 'pl')).toEqual(['plan']);
    expect(complete('collabsec', 'run', '--checkp')).toEqual(['--checkpoint-passed']);
    expect(complete('collabsec', 'plan', '--inv')).toEqual(['--inventory']);
    expect(complete('collabsec', 'completion', '')).toEqual(['bash', 'zsh']);
    const bad = captureIo();
    expect(await main(['completion', 'fish'], bad)).toBe(ExitCode.usage);
  });
});
