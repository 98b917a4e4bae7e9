// The Expressway xAPI platform (cli-facts §4, netmiko cisco_tp_tcce.py) and its parsers: the
// response terminator ends a command, ERROR fails it, and the zone parser passes, fails and
// refuses empty or unrecognised output; it reads the authentication policy of a zone (doc 212475)
// and the DefaultZone ([I] its line shape). Verification lines are reads only.
import { describe, expect, it } from 'vitest';
import { decide, failureMarker, lineProblem } from '../../src/transport/platforms/decide.js';
import { xapi } from '../../src/transport/platforms/xapi.js';
import { isXapiRead, xapiZone } from '../../src/verify/parsers/expressway.js';
import { parsers } from '../../src/verify/parsers/index.js';
import { loadPlan } from '../../src/plan/load-plan.js';
import { verifications } from '../../src/plan/verifications.js';

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
  // Lines as Cisco doc 212475 prints them for the Expressway-E and -C Hybrid Call Service traversal
  // zones (an excerpt; values unchanged), with the zone turned into a Unified Communications one
  // (Collaboration Edge On) for S054/S055 and a search rule line under the same Zones tree.
  const auth = (mode: string) =>
    [
      'xConfiguration Zones',
      '*c xConfiguration Zones Policy SearchRules Rule 3 Authentication: "No"',
      '*c xConfiguration Zones Zone 6 Name: "Hybrid Call Service Traversal"',
      '*c xConfiguration Zones Zone 6 TraversalClient Accept Delegated Credential Checks: "Off"',
      `*c xConfiguration Zones Zone 6 TraversalClient Authentication Mode: "${mode}"`,
      '*c xConfiguration Zones Zone 6 TraversalClient Authentication UserName: "hybridauth"',
      '*c xConfiguration Zones Zone 6 TraversalClient Collaboration Edge: "On"',
      '*c xConfiguration Zones Zone 6 TraversalClient SIP Media Encryption Mode: "Auto"',
      '*c xConfiguration Zones Zone 6 TraversalClient SIP Port: "7003"',
      '*c xConfiguration Zones Zone 6 Type: "TraversalClient"',
      '*c xConfiguration Zones Zone 7 Name: "Hybrid Call Service Traversal"',
      '*c xConfiguration Zones Zone 7 TraversalServer Authentication Mode: "DoNotCheckCredentials"',
      '*c xConfiguration Zones Zone 7 TraversalServer Collaboration Edge: "On"',
      '*c xConfiguration Zones Zone 7 TraversalServer SIP TLS Verify Subject Name: "rtp12-tpdmz-118-VCSC.rtp.ciscotac.net"',
      '*c xConfiguration Zones Zone 7 Type: "TraversalServer"',
      'OK',
      '',
    ].join('\n');
  it('reads the authentication policy of the Unified Communications traversal zones (S054, S055)', () => {
    const c = { type: 'TraversalClient', match: ['Collaboration Edge=On'], expect: ['Authentication Mode=DoNotCheckCredentials'] };
    expect(xapiZone(auth('DoNotCheckCredentials'), c)).toEqual({ ok: true, details: ['TraversalClient zone "Hybrid Call Service Traversal": Authentication Mode DoNotCheckCredentials'] });
    expect(xapiZone(auth('CheckCredentials'), c).details).toEqual(['TraversalClient zone "Hybrid Call Service Traversal": Authentication Mode is "CheckCredentials", expected "DoNotCheckCredentials"']);
    const e = { type: 'TraversalServer', match: ['Collaboration Edge=On'], expect: ['Authentication Mode=DoNotCheckCredentials', 'SIP TLS Verify Subject Name=rtp12-tpdmz-118-VCSC.rtp.ciscotac.net'] };
    expect(xapiZone(auth('CheckCredentials'), e).ok).toBe(true);
    // The search rule's `Authentication` under `Zones Policy` is no zone.
    expect(xapiZone(auth('DoNotCheckCredentials'), { type: 'TraversalClient' }).details).toHaveLength(1);
  });
  // [I] The DefaultZone lines: no public capture; the leaf is the zones' `Authentication Mode`
  // (212475) without a type word, and `SIP Media Encryption Mode` likewise.
  const dz = (mode: string) =>
    [`*c xConfiguration Zones DefaultZone Authentication Mode: "${mode}"`, '*c xConfiguration Zones DefaultZone SIP Media Encryption Mode: "Auto"', '*c xConfiguration Zones Zone 1 Name: "B2B DNS"', '*c xConfiguration Zones Zone 1 Type: "DNS"', 'OK'].join('\n');
  it('reads the DefaultZone as type DefaultZone (S061), apart from the numbered zones', () => {
    const a = { type: 'DefaultZone', expect: ['Authentication Mode=DoNotCheckCredentials'] };
    expect(xapiZone(dz('DoNotCheckCredentials'), a)).toEqual({ ok: true, details: ['DefaultZone zone "DefaultZone": Authentication Mode DoNotCheckCredentials'] });
    expect(xapiZone(dz('TreatAsAuthenticated'), a).details).toEqual(['DefaultZone zone "DefaultZone": Authentication Mode is "TreatAsAuthenticated", expected "DoNotCheckCredentials"']);
    expect(xapiZone(auth('DoNotCheckCredentials'), a)).toEqual({ ok: false, details: ['no DefaultZone zone'] });
    expect(xapiZone(dz('DoNotCheckCredentials'), { type: 'DNS' }).details).toEqual(['DNS zone "B2B DNS": ']);
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
    const cmds = plan.steps.filter((s) => s.product === 'expressway').flatMap((s) => [s.checkpoint, ...s.actions.flatMap((a) => (a.checkpoint ? [a.checkpoint] : []))].flatMap((c) => verifications(c).map((v) => v.command)));
    expect(cmds.length).toBeGreaterThan(0);
    for (const c of cmds) expect(isXapiRead(c), c).toBe(true);
  });
});
