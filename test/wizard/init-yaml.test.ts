import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { inventorySchema } from '../../src/inventory/schema.js';
import { validatorFor } from '../../src/prompts/init-questions.js';
import { buildInventory, inventoryYaml, SCHEMA_MODELINE, type InitAnswers } from '../../src/prompts/inventory-yaml.js';
import { hostname, ipv4 } from '../../src/inventory/validators.js';

const answers: InitAnswers = {
  title: 'Lab rollout',
  domain: 'lab.example.com',
  caName: 'Lab Root CA',
  rootCertFile: 'certs/root.pem',
  clusterName: 'lab',
  publisher: { host: 'cm-pub', ip: '192.0.2.10', services: ['tftp'] },
  subscribers: [{ host: 'cm-sub1', ip: '192.0.2.11', services: ['callmanager'] }],
  imp: { publisher: { host: 'imp-pub', ip: '192.0.2.20' }, subscribers: [] },
  vosUser: 'administrator',
  vosPasswordEnv: 'COLLABSEC_VOS_PASSWORD',
  features: ['mixedMode', 'ocsp'],
  profiles: { lscTftpEncrypted: 'P-TFTPenc', lsc: 'P-LSC', initial: 'P-Null', jabber: 'P-Jabber' },
};

describe('collabsec init output', () => {
  it('writes YAML with comments that the inventory schema accepts', () => {
    const text = inventoryYaml(buildInventory(answers));
    expect(text).toContain('# Secrets never live here');
    // yaml-language-server reads the modeline on the first line, relative to this file.
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=./inventory.schema.json');
    expect(text.startsWith(`${SCHEMA_MODELINE}\n`)).toBe(true);
    expect(text).not.toMatch(/password:/i);
    const parsed = inventorySchema.safeParse(parse(text));
    expect(parsed.success, JSON.stringify(!parsed.success && parsed.error.issues)).toBe(true);
    if (parsed.success) {
      expect(parsed.data.features).toMatchObject({ mixedMode: true, ocsp: true, sipOAuth: false });
      expect(parsed.data.cucm[0]!.subscribers[0]!.host).toBe('cm-sub1');
    }
  });

  it('validates each answer with the schema field validators as it is typed', () => {
    expect(validatorFor(hostname)('cm-pub')).toBe(true);
    expect(validatorFor(hostname)('cm pub')).toMatch(/not a valid host name/);
    expect(validatorFor(hostname)('cm\u0003pub')).toMatch(/control characters/);
    expect(validatorFor(ipv4)('192.0.2.300')).toMatch(/IPv4/);
  });
});
