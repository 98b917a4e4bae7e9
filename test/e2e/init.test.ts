// `collabsec init` in a real terminal: inquirer questions, an invalid answer refused with the
// schema's own message as it is typed, and a commented YAML file the inventory schema accepts.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inventorySchema } from '../../src/inventory/schema.js';
import { bundleLauncher, runPlain, Tmux, workspace } from './helpers.js';

let launcher: string;
let t: Tmux | undefined;
beforeAll(async () => {
  launcher = await bundleLauncher();
});
afterAll(async () => {
  await t?.kill();
  await fs.rm(launcher, { force: true });
});

describe('collabsec init', () => {
  it('asks, validates each answer as it goes, and writes a commented inventory', { timeout: 60_000 }, async () => {
    const { dir } = await workspace();
    t = new Tmux(dir);
    t.start(launcher, ['init', '--out', 'new.yaml']);
    const answer = async (question: string, text?: string): Promise<void> => {
      await t!.waitFor(question);
      if (text !== undefined) t!.type(text);
      t!.send('Enter');
    };
    await answer('Title of this rollout');
    await answer('Enterprise (SIP) domain', 'lab.example.com');
    await answer('Name of the enterprise root CA', 'Lab Root CA');
    await answer('Root CA certificate file');
    await answer('Unified CM cluster name');
    await answer('Unified CM publisher: host name', 'cm pub');
    await t.waitFor('is not a valid host name');
    t.send('C-u');
    t.type('cm-pub');
    t.send('Enter');
    await answer('Unified CM publisher: management IPv4 address', '192.0.2.10');
    await answer('Services on this node');
    await answer('Add a Unified CM subscriber?', 'n');
    await answer('Is there an IM and Presence cluster?', 'n');
    await answer('OS administrator login');
    await answer('Environment variable that will hold its password');
    await answer('AXL application user (Standard AXL API Access): login name');
    await answer('AXL application user (Standard AXL API Access): environment variable');
    for (const q of ['Unity Connection cluster?', 'Expressway-C and Expressway-E pair?', 'IOS gateways, CUBE or SRST routers?', 'Meeting Server (CMS)?', 'Meeting Management (CMM)', 'TelePresence Management Suite', 'Prime Collaboration Deployment', 'Prime Collaboration Provisioning'])
      await answer(q, 'n');
    await answer('Features to roll out');
    for (const q of ['encrypted, LSC, TFTP encrypted config', 'encrypted, LSC', 'first registration', 'for Jabber']) await answer(q);
    await t.waitFor('[exit 0]');

    const text = await fs.readFile(path.join(dir, 'new.yaml'), 'utf8');
    expect(text).toContain('# Secrets never live here');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=./inventory.schema.json');
    expect(JSON.parse(await fs.readFile(path.join(dir, 'inventory.schema.json'), 'utf8'))).toMatchObject({ title: 'collabsec inventory' });
    const inv = inventorySchema.parse(parse(text));
    expect(inv.cucm[0]!.publisher).toMatchObject({ host: 'cm-pub', ip: '192.0.2.10', services: ['tftp'] });
    expect(inv.features.mixedMode).toBe(true);
    expect(inv.phoneSecurityProfiles?.lsc).toBe('UDT-Encrypted-LSC.lab.example.com');
  });

  it('refuses without a terminal instead of waiting', async () => {
    const { dir } = await workspace();
    const r = await runPlain(launcher, ['init'], dir);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('needs a terminal');
  });
});
