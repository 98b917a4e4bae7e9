import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { InventoryError, parseInventory } from '../../src/inventory/load.js';

const example = readFileSync(new URL('../../examples/ent-pa.yaml', import.meta.url), 'utf8');

/** Edit the example with a YAML-preserving patch; returns the new text. */
export function patched(edit: (doc: ReturnType<typeof parseDocument>) => void): string {
  const doc = parseDocument(example);
  edit(doc);
  return doc.toString();
}

function problemsOf(text: string): InventoryError['problems'] {
  try {
    parseInventory(text, 'inv.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(InventoryError);
    return (err as InventoryError).problems;
  }
  throw new Error('inventory unexpectedly valid');
}

describe('inventory loading', () => {
  it('accepts the shipped example and hashes it stably', () => {
    const a = parseInventory(example, 'a.yaml');
    const b = parseInventory(`# a comment that does not change the content\n${example}`, 'b.yaml');
    expect(a.inventory.domain).toBe('ent-pa.com');
    expect(a.hash).toBe(b.hash);
  });

  it('lists every problem with its YAML path and line, not just the first', () => {
    const text = patched((d) => {
      d.setIn(['cucm', 0, 'publisher', 'ip'], '192.0.2.300');
      d.setIn(['ios', 0, 'trustpoint'], 'CUBE Certificate');
      d.setIn(['cms', 'commonName'], 'cms.ent-pa.com\nend');
      d.setIn(['ios', 0, 'ucmPeers', 0, 'mask'], '255.0.255.0');
    });
    const p = problemsOf(text);
    const byPath = Object.fromEntries(p.map((x) => [x.path, x]));
    expect(Object.keys(byPath).sort()).toEqual(['cms.commonName', 'cucm[0].publisher.ip', 'ios[0].trustpoint', 'ios[0].ucmPeers[0].mask'].sort());
    expect(byPath['cucm[0].publisher.ip']!.message).toMatch(/not a valid IPv4 address/);
    expect(byPath['ios[0].trustpoint']!.message).toMatch(/not a valid name/);
    expect(byPath['cms.commonName']!.message).toMatch(/control characters or line breaks/);
    expect(byPath['ios[0].ucmPeers[0].mask']!.message).toMatch(/contiguous network mask/);
    // Lines point into the file.
    const lines = text.split('\n');
    expect(lines[byPath['ios[0].trustpoint']!.line! - 1]).toContain('trustpoint');
  });

  it('refuses secrets in the file and names the environment-variable alternative', () => {
    const p = problemsOf(patched((d) => d.setIn(['credentials', 'vos', 'password'], 'hunter2')));
    expect(p[0]!.path).toBe('credentials.vos');
    expect(p[0]!.message).toMatch(/secrets are never kept in the inventory.*passwordEnv/);
  });

  it('reports a missing required field and an unknown key', () => {
    const p = problemsOf(patched((d) => {
      d.deleteIn(['domain']);
      d.setIn(['cms', 'colour'], 'blue');
    }));
    expect(p.find((x) => x.path === 'domain')?.message).toMatch(/required field is missing/);
    expect(p.find((x) => x.path === 'cms')?.message).toMatch(/unknown key: colour/);
  });

  it('reports an unknown key at its own line, at the top level too (issue 12: always "line 6")', () => {
    const lines = example.split('\n');
    const at = (needle: RegExp) => lines.findIndex((l) => needle.test(l)) + 1;
    const top = `${example.trimEnd()}\ncolour: blue\n`;
    const p = problemsOf(top);
    expect(p.find((x) => x.message === 'unknown key: colour')).toMatchObject({ path: '', line: top.split('\n').length - 1 });
    const nested = example.replace(/^( {2}number: .*)$/m, '$1\n  colour: red');
    const q = problemsOf(nested);
    expect(q.find((x) => x.message === 'unknown key: colour')).toMatchObject({ path: 'change', line: at(/^ {2}number: /) + 1 });
  });

  it('applies cross-field rules (B2B ports, duplicate hosts, feature needs)', () => {
    const p = problemsOf(patched((d) => {
      d.setIn(['expressway', 'b2b', 'neighborZonePort'], 5562);
      d.setIn(['cucm', 0, 'subscribers', 0, 'host'], 'us-cm-pub');
      d.setIn(['expressway', 'registrationDomains'], []);
    }));
    const text = p.map((x) => `${x.path}: ${x.message}`).join('\n');
    expect(text).toMatch(/expressway\.b2b\.neighborZonePort: must equal the Unified CM b2bIncomingPort/);
    expect(text).toMatch(/cucm\[0\]\.subscribers\[0\]\.host: host "us-cm-pub" is already used/);
    expect(text).toMatch(/expressway\.registrationDomains: MRA needs at least one/);
  });

  it('reports YAML syntax errors with a line', () => {
    const p = problemsOf('domain: [unclosed\n');
    expect(p[0]!.line).toBeGreaterThanOrEqual(1);
    expect(p[0]!.message).toMatch(/^YAML:/);
  });
});

describe('releases in the inventory (issue 23)', () => {
  it('accepts the known releases, and defaults what is left out', () => {
    const inv = parseInventory(example, 'a.yaml').inventory;
    expect([inv.cucm[0]?.version, inv.unity?.version, inv.expressway?.version, inv.cms?.version, inv.ios[0]?.version]).toEqual(['15', '15', 'X15', '3.x', '17']);
    const bare = parseInventory(
      patched((d) => {
        d.deleteIn(['cucm', 0, 'version']);
        d.deleteIn(['expressway', 'version']);
        d.deleteIn(['ios', 0, 'version']);
        d.deleteIn(['unity', 'version']);
      }),
      'b.yaml',
    ).inventory;
    expect([bare.cucm[0]?.version, bare.unity?.version, bare.expressway?.version, bare.ios[0]?.version]).toEqual(['15', '15', 'X15', '17']);
    const chapter = readFileSync(new URL('../../examples/chapter-2019.yaml', import.meta.url), 'utf8');
    const c = parseInventory(chapter, 'c.yaml').inventory;
    expect([c.cucm[0]?.version, c.unity?.version, c.expressway?.version, c.cms?.version, c.ios[0]?.version]).toEqual(['12.5', '12.5', 'X12.5', '2.x', '16']);
  });

  it('refuses an unknown release, naming the known ones', () => {
    const p = problemsOf(
      patched((d) => {
        d.setIn(['cucm', 0, 'version'], '11.5');
        d.setIn(['expressway', 'version'], 'X16');
        d.setIn(['cms', 'version'], '4.x');
        d.setIn(['ios', 1, 'version'], '15');
        d.setIn(['unity', 'version'], 15);
      }),
    );
    const msg = (path: string) => p.find((x) => x.path === path)?.message;
    expect(msg('cucm[0].version')).toMatch(/unknown Unified CM .*release "11\.5".*collabsec knows 12\.5, 14, 14SU2, 15/);
    expect(msg('expressway.version')).toMatch(/unknown Expressway release "X16": collabsec knows X12\.5, X14, X15, X15\.4, X15\.5/);
    expect(msg('cms.version')).toMatch(/unknown Meeting Server release "4\.x": collabsec knows 2\.x, 3\.x/);
    expect(msg('ios[1].version')).toMatch(/unknown IOS-XE release "15": collabsec knows 16, 17/);
    expect(msg('unity.version')).toMatch(/unknown Unity Connection release 15 \(write it quoted: "15"\)/);
    expect(p.find((x) => x.path === 'cucm[0].version')?.line).toBeGreaterThan(0);
  });

  it('refuses a feature the named release lacks: the XMPP server on Meeting Server 3.x', () => {
    // The example runs 3.x without it; a node that lists it is refused where it is named.
    const p = problemsOf(patched((d) => d.setIn(['cms', 'nodes', 0, 'services'], ['callbridge', 'webadmin', 'webbridge', 'xmpp', 'database'])));
    expect(p).toEqual([expect.objectContaining({ path: 'cms.nodes[0].services[3]', message: expect.stringMatching(/Meeting Server 3\.x has no XMPP server/) })]);
  });

  it('names the shared Meeting Server CN once, and not as an XMPP domain on 3.x', () => {
    const asXmpp = problemsOf(patched((d) => { d.deleteIn(['cms', 'commonName']); d.setIn(['cms', 'xmppDomain'], 'cms.ent-pa.com'); }));
    expect(asXmpp).toEqual([expect.objectContaining({ path: 'cms.xmppDomain', message: expect.stringMatching(/3\.x has no XMPP server .*cms\.commonName/) })]);
    const both = problemsOf(patched((d) => d.setIn(['cms', 'xmppDomain'], 'cms.ent-pa.com')));
    expect(both).toEqual([expect.objectContaining({ path: 'cms.xmppDomain', message: expect.stringMatching(/once/) })]);
    const none = problemsOf(patched((d) => d.deleteIn(['cms', 'commonName'])));
    expect(none).toEqual([expect.objectContaining({ path: 'cms.commonName', message: expect.stringMatching(/name the CN/) })]);
    // 2.x keeps the chapter's name for it.
    const v2 = parseInventory(patched((d) => { d.setIn(['cms', 'version'], '2.x'); d.deleteIn(['cms', 'commonName']); d.setIn(['cms', 'xmppDomain'], 'cms.ent-pa.com'); }), 'v2.yaml').inventory;
    expect(v2.cms?.xmppDomain).toBe('cms.ent-pa.com');
  });
});
