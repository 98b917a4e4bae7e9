import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commands, main } from '../../src/cli.js';
import { ExitCode } from '../../src/errors.js';
import { captureIo } from './io.js';

const example = 'examples/ent-pa.yaml';

describe('collabsec CLI', () => {
  it('prints help for every command with --help and exits 0', async () => {
    for (const name of Object.keys(commands)) {
      const io = captureIo();
      expect(await main([name, '--help'], io)).toBe(ExitCode.ok);
      expect(io.out()).toMatch(new RegExp(`Usage: collabsec ${name.split(' ')[0]}`));
    }
    const io = captureIo();
    expect(await main(['--help'], io)).toBe(0);
    expect(io.out()).toMatch(/Commands:\n[\s\S]*\n  plan +print the exact runbook/);
  });

  it('rejects an unknown command and an unknown flag with exit 2', async () => {
    const a = captureIo();
    expect(await main(['frobnicate'], a)).toBe(ExitCode.usage);
    expect(a.err()).toMatch(/unknown command "frobnicate"/);
    const b = captureIo();
    expect(await main(['plan', '--inventory', example, '--bogus'], b)).toBe(ExitCode.usage);
    expect(b.err()).toMatch(/--bogus/);
  });

  it('plan: a bad inventory lists the problems on stderr and prints no plan', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'collabsec-cli-'));
    const bad = readFileSync(example, 'utf8').replace('trustpoint: CUBE-Certificate', 'trustpoint: "CUBE Certificate"').replace('ip: 192.0.2.10', 'ip: 192.0.2.999');
    writeFileSync(join(dir, 'bad.yaml'), bad);
    const io = captureIo();
    expect(await main(['plan', '--inventory', join(dir, 'bad.yaml')], io)).toBe(ExitCode.invalidInput);
    expect(io.out()).toBe('');
    expect(io.err()).toMatch(/2 problems in the inventory; nothing was planned or run/);
    expect(io.err()).toMatch(/ios\[0\]\.trustpoint \(line \d+\)/);
    expect(io.err()).toMatch(/cucm\[0\]\.publisher\.ip \(line \d+\)/);
  });

  it('plan: unknown product or step filter is an error (exit 2)', async () => {
    const a = captureIo();
    expect(await main(['plan', '-i', example, '--product', 'webex'], a)).toBe(ExitCode.usage);
    expect(a.err()).toMatch(/unknown product "webex"/);
    const b = captureIo();
    expect(await main(['plan', '-i', example, '--step', 'S999'], b)).toBe(ExitCode.usage);
    expect(b.err()).toMatch(/unknown step "S999"/);
  });

  it('plan: filters by product and by step id or slug', async () => {
    const io = captureIo();
    expect(await main(['plan', '-i', example, '--json', '--product', 'cms', '--step', 'S022', '--step', 'cms-install-callbridge'], io)).toBe(0);
    const doc = JSON.parse(io.out()) as { steps: { id: string; product: string }[] };
    expect(doc.steps.map((s) => s.id)).toEqual(['S086']);
  });

  it('plan: colour only on a TTY and never with NO_COLOR', async () => {
    const tty = captureIo({ tty: true, env: { TERM: 'xterm' } });
    await main(['plan', '-i', example, '--step', 'S022'], tty);
    expect(tty.out()).toContain('\u001b[');
    const noColor = captureIo({ tty: true, env: { TERM: 'xterm', NO_COLOR: '1' } });
    await main(['plan', '-i', example, '--step', 'S022'], noColor);
    expect(noColor.out()).not.toContain('\u001b[');
    const pipe = captureIo();
    await main(['plan', '-i', example, '--step', 'S022'], pipe);
    expect(pipe.out()).not.toContain('\u001b[');
  });

  it('schema prints the JSON Schema that is committed in schema/', async () => {
    const io = captureIo();
    expect(await main(['schema'], io)).toBe(0);
    const printed = JSON.parse(io.out()) as { properties: Record<string, unknown> };
    expect(Object.keys(printed.properties)).toEqual(expect.arrayContaining(['domain', 'cucm', 'expressway', 'cms', 'ios']));
    expect(io.out()).toBe(readFileSync('schema/inventory.schema.json', 'utf8'));
  });
});
