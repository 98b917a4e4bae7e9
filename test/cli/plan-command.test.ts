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

  it('plan: the change record heads the MOP, the text and the JSON; each flag overrides the inventory', async () => {
    const flags = ['--change-number', 'CHG0099999', '--approver', 'J. Doe | CAB', '--window-start', '2026-12-19T22:00+01:00', '--window-end', '2026-12-20T02:00+01:00'];
    const md = captureIo();
    expect(await main(['plan', '-i', example, '--step', 'S022', '-f', 'markdown', ...flags], md)).toBe(0);
    const head = md.out().slice(0, md.out().indexOf('## Inventory summary'));
    expect(head).toContain(
      '## Change\n\n| Field | Value |\n|---|---|\n| Change number | CHG0099999 |\n| Approver | J. Doe \\| CAB |\n| Window | 2026-12-19T22:00+01:00 → 2026-12-20T02:00+01:00 |\n' +
        '| Impact | Phones and Jabber re-register when mixed mode is enabled; calls in progress are kept |\n| Rollback owner | UC operations on call |\n',
    );
    const text = captureIo();
    expect(await main(['plan', '-i', example, '--step', 'S022', '--impact', 'none expected'], text)).toBe(0);
    expect(text.out().split('\n').slice(1, 6)).toEqual([
      'Change number: CHG0012345',
      'Approver: ENT-PA Change Advisory Board',
      'Window: 2026-12-12T22:00:00+01:00 → 2026-12-13T04:00:00+01:00',
      'Impact: none expected',
      'Rollback owner: UC operations on call',
    ]);
    const json = captureIo();
    expect(await main(['plan', '-i', example, '--step', 'S022', '--json', '--rollback-owner', 'Ops'], json)).toBe(0);
    expect((JSON.parse(json.out()) as { change: unknown }).change).toMatchObject({ number: 'CHG0012345', rollbackOwner: 'Ops' });
  });

  it('plan: a change window that ends before it starts, or a value with a control character, is exit 2 naming the flag', async () => {
    const a = captureIo();
    expect(await main(['plan', '-i', example, '--window-start', '2026-12-19T22:00+01:00', '--window-end', '2026-12-19T20:00Z'], a)).toBe(ExitCode.usage);
    expect(a.err()).toMatch(/--window-end: the window end \(2026-12-19T20:00Z\) is not after its start/);
    expect(a.out()).toBe('');
    const b = captureIo();
    expect(await main(['plan', '-i', example, '--approver', 'x\u001b]0;owned\u0007'], b)).toBe(ExitCode.usage);
    expect(b.err()).toMatch(/--approver: approver must not contain control characters/);
  });

  it('plan and report: --help shows the change flags with an example, and completion offers them', async () => {
    for (const name of ['plan', 'report']) {
      const help = captureIo();
      expect(await main([name, '--help'], help)).toBe(0);
      for (const f of ['--change-number', '--approver', '--window-start', '--window-end', '--impact', '--rollback-owner']) expect(help.out(), `${name} ${f}`).toContain(f);
      expect(help.out()).toMatch(new RegExp(`Examples:[\\s\\S]*collabsec ${name} .*--change-number CHG0012345`));
    }
    const bash = captureIo();
    expect(await main(['completion', 'bash'], bash)).toBe(0);
    expect(bash.out()).toMatch(/ {4}plan\) flags="[^"]*--window-start --window-end[^"]*"/);
    expect(bash.out()).toMatch(/ {4}report\) flags="[^"]*--rollback-owner[^"]*"/);
  });

  it('schema prints the JSON Schema that is committed in schema/', async () => {
    const io = captureIo();
    expect(await main(['schema'], io)).toBe(0);
    const printed = JSON.parse(io.out()) as { properties: Record<string, unknown> };
    expect(Object.keys(printed.properties)).toEqual(expect.arrayContaining(['domain', 'cucm', 'expressway', 'cms', 'ios']));
    expect(io.out()).toBe(readFileSync('schema/inventory.schema.json', 'utf8'));
  });
});
