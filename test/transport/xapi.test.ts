// The Expressway xAPI platform (cli-facts §4, netmiko cisco_tp_tcce.py) and its parsers: the
// response terminator ends a command, ERROR fails it, and the zone parser passes, fails and
// refuses empty or unrecognised output. Verification lines are reads only.
import { describe, expect, it } from 'vitest';
import { decide, failureMarker, lineProblem } from '../../src/transport/platforms/decide.js';
import { xapi } from '../../src/transport/platforms/xapi.js';
import { isXapiRead, xapiZone } from '../../src/verify/parsers/expressway.js';
import { parsers } from '../../src/verify/parsers/index.js';
import { loadPlan } from '../../src/plan/load-plan.js';

// Shape of the lines: jose-merchan/xconf_to_excel xconf_to_dict.py (`*c` lines, Zones Zone N)
// and Cisco doc 212475 (`*c xConfiguration Zones Zone 6 DNS SIP TLS Verify Mode: "On"`).
const zones = (verify: string, transport = 'TLS') =>
  [
    'xConfiguration Zones',
    '*c xConfiguration Zones Zone 1 Name: "CUCM B2B"',
    '*c xConfiguration Zones Zone 1 Type: Neighbor',
    '*c xConfiguration Zones Zone 1 Neighbor SIP Port: 5561',
    `*c xConfiguration Zones Zone 1 Neighbor SIP Transport: ${transport}`,
    `*c xConfiguration Zones Zone 1 Neighbor SIP TLS Verify Mode: "${verify}"`,
    '*c xConfiguration Zones Zone 2 Name: "Other"',
    '*c xConfiguration Zones Zone 2 Type: Neighbor',
    '*c xConfiguration Zones Zone 2 Neighbor SIP Port: 5060',
    '*c xConfiguration Zones Zone 2 Neighbor SIP TLS Verify Mode: "Off"',
    'OK',
    '',
  ].join('\n');
const args = { type: 'Neighbor', match: ['SIP Port=5561'], expect: ['SIP Transport=TLS', 'SIP TLS Verify Mode=On'] };

describe('xapi platform', () => {
  it('ends a command at OK, ERROR or "Command not recognized." on a line of their own', () => {
    expect(decide(xapi, zones('On'), [], 0).kind).toBe('prompt');
    expect(decide(xapi, 'xStatus Foo\nCommand not recognized.\n', [], 0).kind).toBe('prompt');
    expect(decide(xapi, 'xConfiguration Zones\n*c xConfiguration Zones Zone 1 Name: "OK"\n', [], 0).kind).toBe('wait');
    expect(decide(xapi, 'xConfiguration Zones\n*c xConfiguration Zones Zone 1 Name: "a"\nO', [], 0).kind).toBe('wait');
  });
  it('fails a command that answers ERROR or is not recognised', () => {
    expect(failureMarker(xapi, 'xStatus Foo\nCommand not recognized.\n')).toBe('Command not recognized.');
    expect(failureMarker(xapi, 'xConfiguration Bad: 1\nERROR\n')).toBe('ERROR');
    expect(failureMarker(xapi, zones('On'))).toBeUndefined();
  });
  it('types \\r\\n as Enter (cisco_tp_tcce.py default_enter)', () => {
    expect(xapi.enter).toBe('\r\n');
    expect(lineProblem(xapi, 'xConfiguration Zones')).toBeNull();
  });
});

describe('xapi-zone parser', () => {
  it('passes when the zone the step is about meets every expectation', () => {
    const r = xapiZone(zones('On'), args);
    expect(r.ok).toBe(true);
    expect(r.details).toEqual(['Neighbor zone "CUCM B2B": SIP Transport TLS, SIP TLS Verify Mode On']);
    expect(parsers['xapi-zone']).toBe(xapiZone);
  });
  it('fails naming the leaf that differs', () => {
    const r = xapiZone(zones('Off'), args);
    expect(r.ok).toBe(false);
    expect(r.details[0]).toContain('SIP TLS Verify Mode is "Off", expected "On"');
    expect(xapiZone(zones('On', 'TCP'), args).ok).toBe(false);
  });
  it('with some: yes, one good zone among several is enough', () => {
    const dns = ['*c xConfiguration Zones Zone 3 Type: DNS', '*c xConfiguration Zones Zone 3 DNS SIP TLS Verify Mode: "On"', '*c xConfiguration Zones Zone 4 Type: DNS', '*c xConfiguration Zones Zone 4 DNS SIP TLS Verify Mode: "Off"', 'OK'].join('\n');
    expect(xapiZone(dns, { type: 'DNS', some: 'yes', expect: ['SIP TLS Verify Mode=Off'] }).ok).toBe(true);
    expect(xapiZone(dns, { type: 'DNS', expect: ['SIP TLS Verify Mode=Off'] }).ok).toBe(false);
  });
  it('fails when no zone of that type matches', () => {
    expect(xapiZone(zones('On'), { ...args, match: ['SIP Port=7001'] })).toEqual({ ok: false, details: ['no Neighbor zone with SIP Port 7001'] });
    expect(xapiZone(zones('On'), { ...args, type: 'DNS', match: [] }).ok).toBe(false);
  });
  it('fails on empty or unrecognised output', () => {
    expect(xapiZone('', args).ok).toBe(false);
    expect(xapiZone('xConfiguration Zones\nCommand not recognized.\n', args).ok).toBe(false);
    expect(xapiZone('OK\n', args).details).toEqual(['no "*c xConfiguration" lines in the output']);
  });
});

describe('Expressway verification is read-only', () => {
  it('accepts reads and refuses assignments and xCommand', () => {
    expect(isXapiRead('xConfiguration Zones')).toBe(true);
    expect(isXapiRead('xStatus Zones')).toBe(true);
    expect(isXapiRead('xConfiguration Zones Zone 1 Neighbor SIP TLS Verify Mode: On')).toBe(false);
    expect(isXapiRead('xCommand ZoneDelete ZoneId: 1')).toBe(false);
    expect(isXapiRead('xconfiguration zones')).toBe(false);
  });
  it('every verification the example plan sends to an Expressway is a read', () => {
    const { plan } = loadPlan('examples/ent-pa.yaml');
    const cmds = plan.steps.filter((s) => s.product === 'expressway').flatMap((s) => [s.checkpoint, ...s.actions.flatMap((a) => (a.checkpoint ? [a.checkpoint] : []))].flatMap((c) => (c.verify ? [c.verify.command] : [])));
    expect(cmds.length).toBeGreaterThan(0);
    for (const c of cmds) expect(isXapiRead(c), c).toBe(true);
  });
});
