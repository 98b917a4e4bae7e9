// Issue 25 slice 1 (CLI conventions): `plan | head` ends quietly, filters take any case and
// ranges and say when they select nothing, mistyped commands, flags, products and steps get the
// closest known name, and -i works wherever --inventory does. Each failed on the old code: an
// EPIPE stack trace with exit 1, `s022` unknown, an empty runbook with exit 0, no suggestions,
// `run -i` an unknown option.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import { commands, main } from '../../src/cli.js';
import { documentedFlags } from '../../src/commands/completion.js';
import { ExitCode } from '../../src/errors.js';
import { closest, editDistance } from '../../src/text/suggest.js';
import { captureIo } from './io.js';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
  /**
   * Per command whose option table takes --inventory, the runs of the built CLI that read the
   * inventory and stop on their own without a terminal and without reaching a device (INV is
   * where the inventory flag goes), the exit code, and what in the output shows the inventory was
   * used. In this order: run records P001 by the operator's answer (a rehearsal, nothing sent) so
   * that the session the others read exists.
   */
  const runs: Record<string, { args: string[]; code: number; shows: RegExp }[]> = {
    run: [{ args: ['INV', '--plain', '--steps', 'P001', '--checkpoint-passed'], code: 0, shows: /P001 verified\.\nProgress 1\/142\./ }],
    resume: [{ args: ['INV', '--plain'], code: 0, shows: /\[x\] P001 .*\n(.|\n)*Next: P002 / }],
    status: [{ args: ['INV'], code: 0, shows: /Inventory: <ws>\/examples\/ent-pa\.yaml\nProgress: 1\/142 done/ }],
    report: [{ args: ['INV'], code: 0, shows: /\| Change number \| CHG0012345 \|/ }],
    sessions: [
      { args: ['INV'], code: 0, shows: /Sessions in <ws>\/examples\/\.collabsec:\n {2}ent-pa {2}1\/142 done/ },
      { args: ['export', 'INV', '--out', 'exported.json'], code: 0, shows: /Exported session ent-pa from <ws>\/examples\/\.collabsec to <ws>\/exported\.json/ },
    ],
    plan: [{ args: ['INV', '--format', 'json', '--step', 'S022'], code: 0, shows: /"id": "S022"(.|\n)*us-cm-pub/ }],
    // A self-signed certificate fails the checks; the names it is held to come from the inventory.
    cert: [{ args: ['check', '--for', 'cucm/tomcat', 'INV', 'tomcat.pem'], code: ExitCode.failure, shows: /expected us-cm-pub-ms\.ent-pa\.com for Unified CM cluster us/ }],
    // A node the inventory does not have stops it before any probe, naming the inventory's nodes.
    certs: [{ args: ['INV', '--node', 'no-such-node'], code: ExitCode.usage, shows: /\(nodes: us-cm-pub, us-cm-sub1, / }],
  };

  /** The commands whose option table (their --help, which completion is made from) takes --inventory. */
  async function takingInventory(): Promise<string[]> {
    const names: string[] = [];
    for (const [name, entry] of Object.entries(commands)) if (documentedFlags((await entry.load()).default.usage).includes('--inventory')) names.push(name);
    return names;
  }

  it('every command whose option table takes --inventory documents -i with it', async () => {
    const names = await takingInventory();
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(documentedFlags((await commands[name]!.load()).default.usage), name).toContain('-i');
    // Each of them is run below; a new one needs its run there.
    expect(Object.keys(runs).sort()).toEqual([...names].sort());
  });

  it('-i and --inventory give the same outcome in every such command (the built CLI, no terminal)', { timeout: 180_000 }, () => {
    const cli = path.join(repo, 'dist', 'src', 'cli.js');
    const cert = mkdtempSync(path.join(tmpdir(), 'collabsec-i-cert-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(cert, 'k.pem'), '-out', path.join(cert, 'tomcat.pem'), '-subj', '/CN=us-cm-pub.ent-pa.com', '-days', '30'], { stdio: 'ignore' });
    /** A folder with examples/ent-pa.yaml and the certificate: the sessions each form writes stay apart. */
    const workspace = () => {
      const ws = mkdtempSync(path.join(tmpdir(), 'collabsec-i-'));
      mkdirSync(path.join(ws, 'examples'));
      cpSync(path.join(repo, example), path.join(ws, example));
      cpSync(path.join(cert, 'tomcat.pem'), path.join(ws, 'tomcat.pem'));
      return ws;
    };
    const forms = { short: { flag: '-i', ws: workspace() }, long: { flag: '--inventory', ws: workspace() } };
    // What differs between two runs of the same thing: the folder, the time and span, the session's
    // lineage, the hashes chained over them.
    const same = (text: string, ws: string) =>
      text
        .split(ws)
        .join('<ws>')
        .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)/g, '<time>')
        .replace(/\b[0-9a-f]{64}\b/g, '<sha256>')
        .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, '<uuid>')
        .replace(/\(\d+ min\)/g, '(<n> min)');
    const outcome = (ws: string, argv: string[]) => {
      const r = spawnSync(process.execPath, [cli, ...argv], { cwd: ws, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
      return { code: r.status, out: same(r.stdout, ws), err: same(r.stderr, ws) };
    };
    try {
      for (const [name, list] of Object.entries(runs))
        for (const run of list) {
          const [short, long] = [forms.short, forms.long].map(({ flag, ws }) => outcome(ws, [name, ...run.args.flatMap((a) => (a === 'INV' ? [flag, example] : [a]))]));
          const what = `${name} ${run.args.join(' ')}`;
          expect(short!.err, what).not.toMatch(/Unknown option|unexpected argument/);
          expect(short!.code, `${what}: ${short!.err}`).toBe(run.code);
          expect(`${short!.out}\n${short!.err}`, what).toMatch(run.shows);
          expect(long, what).toEqual(short);
        }
    } finally {
      for (const dir of [cert, forms.short.ws, forms.long.ws]) rmSync(dir, { recursive: true, force: true });
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
    // lab writes an inventory and takes none: "--inventory" in its closing prose is not its flag.
    expect(complete('collabsec', 'lab', '--inv')).toEqual(['--inventory-out']);
    expect(complete('collabsec', 'completion', '')).toEqual(['bash', 'zsh']);
    const bad = captureIo();
    expect(await main(['completion', 'fish'], bad)).toBe(ExitCode.usage);
  });
});
