// Expressway xAPI parsers (cli-facts §4). `xConfiguration <path>` prints one line per leaf,
// `*c xConfiguration <path>: <value>`, then `OK` (cisco_tp_tcce.py). Sources for the lines:
//  - jose-merchan/xconf_to_excel (commit 390d6b1) xconf_to_dict.py reads only lines starting
//    `*c`, with `Zones (Zone \d+) (<leaf>): "?value"?`; xconf2excel.py names the leaves per zone
//    type: `Type`, `Name`, `<Type> SIP Port`, `<Type> SIP Transport`, `<Type> SIP TLS Verify Mode`,
//    `TraversalServer SIP TLS Verify Subject Name`, `DNS SIP TLS Verify Mode`,
//    `TraversalClient|TraversalServer Collaboration Edge` (On = the Unified Communications zone).
//  - Cisco doc 212475 "Troubleshooting Guide for Cisco Webex Hybrid Call Service Connect"
//    (cisco.com/c/en/us/support/docs/unified-communications/spark/212475-…) shows the quoting:
//    `*c xConfiguration Zones Zone 6 DNS SIP TLS Verify Mode: "On"`.
// Values may be quoted or not (xconf_to_dict's `"?`); both are accepted.
//  - The authentication policy leaf and its value spelling: doc 212475 prints
//    `*c xConfiguration Zones Zone 7 TraversalServer Authentication Mode: "DoNotCheckCredentials"` and
//    the same leaf for a TraversalClient zone (GUI "Authentication policy" = Do not check credentials).
//  - [I] The DefaultZone (Configuration > Zones > Zones > DefaultZone) prints under the same tree as
//    `*c xConfiguration Zones DefaultZone <leaf>: "value"`, its leaves without a type word
//    (`Zones DefaultZone Authentication Mode`): inferred from the zone leaves above and from the
//    VCS/Expressway admin guides' DefaultZone fields (Authentication policy, Media encryption mode);
//    no public capture of a DefaultZone line was found. `type: DefaultZone` picks it.
import { lines, list, one, type ParseResult, type ParserArgs } from './types.js';

export interface XapiZone {
  index: number;
  type?: string;
  /** Leaves without the `Zones Zone N` prefix and, when it names the zone's type, without that word. */
  leaves: Map<string, string>;
}

const CONFIG_LINE = /^\*c xConfiguration (.+?): ?(.*)$/;
const ZONE_LEAF = /^Zones Zone (\d+) (.+)$/;
const DEFAULT_ZONE_LEAF = /^Zones DefaultZone (.+)$/;

/** Every `*c xConfiguration` line as path → value (quotes removed). */
export function xapiConfiguration(output: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const l of lines(output)) {
    const m = CONFIG_LINE.exec(l.trim());
    if (!m) continue;
    out.set(m[1]!, m[2]!.replace(/^"(.*)"$/, '$1'));
  }
  return out;
}

/**
 * The configured zones (`Zones Zone N …`) with their type-relative leaves, and the DefaultZone
 * (`Zones DefaultZone …`, index 0, type and name `DefaultZone`) when its leaves are printed.
 */
export function xapiZones(config: Map<string, string>): XapiZone[] {
  const raw = new Map<number, Map<string, string>>();
  const dz = new Map<string, string>();
  for (const [path, value] of config) {
    const d = DEFAULT_ZONE_LEAF.exec(path);
    if (d) dz.set(d[1]!, value);
    const m = ZONE_LEAF.exec(path);
    if (!m) continue;
    const i = Number(m[1]);
    if (!raw.has(i)) raw.set(i, new Map());
    raw.get(i)!.set(m[2]!, value);
  }
  const zones = [...raw.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([index, leaves]): XapiZone => {
      const type = leaves.get('Type');
      const rel = new Map<string, string>();
      for (const [k, v] of leaves) rel.set(type !== undefined && k.startsWith(`${type} `) ? k.slice(type.length + 1) : k, v);
      return { index, type, leaves: rel };
    });
  if (dz.size > 0) zones.unshift({ index: 0, type: 'DefaultZone', leaves: new Map([['Name', 'DefaultZone'], ...dz]) });
  return zones;
}

/** "SIP Port=7001" → ["SIP Port", "7001"]. */
function pair(s: string): [string, string] {
  const i = s.indexOf('=');
  return i < 0 ? [s.trim(), ''] : [s.slice(0, i).trim(), s.slice(i + 1).trim()];
}

/**
 * args: `type` (Neighbor, TraversalClient, TraversalServer, DNS, DefaultZone), `match` leaf=value pairs that
 * pick the zone(s) the step is about (e.g. its port), `expect` leaf=value pairs that must hold.
 * Passes when at least one zone of that type matches and every matching zone meets `expect`
 * (with `some: yes`, when at least one matching zone meets it).
 * Empty or unrecognised output (no `*c xConfiguration` line) fails.
 */
export function xapiZone(output: string, args: ParserArgs): ParseResult {
  const config = xapiConfiguration(output);
  if (config.size === 0) return { ok: false, details: ['no "*c xConfiguration" lines in the output'] };
  const type = one(args, 'type');
  const match = list(args, 'match').map(pair);
  const expect = list(args, 'expect').map(pair);
  const zones = xapiZones(config).filter((z) => z.type === type && match.every(([k, v]) => z.leaves.get(k) === v));
  const want = match.map(([k, v]) => `${k} ${v}`).join(', ');
  if (zones.length === 0) return { ok: false, details: [`no ${type ?? '?'} zone${want ? ` with ${want}` : ''}`] };
  const details: string[] = [];
  const some = one(args, 'some') === 'yes';
  let good = 0;
  for (const z of zones) {
    const name = z.leaves.get('Name') ?? `Zone ${z.index}`;
    const bad = expect.filter(([k, v]) => z.leaves.get(k) !== v);
    if (bad.length === 0) good++;
    details.push(
      bad.length === 0
        ? `${type} zone "${name}": ${expect.map(([k, v]) => `${k} ${v}`).join(', ')}`
        : `${type} zone "${name}": ${bad.map(([k, v]) => `${k} is ${JSON.stringify(z.leaves.get(k) ?? '(absent)')}, expected ${JSON.stringify(v)}`).join('; ')}`,
    );
  }
  return { ok: some ? good > 0 : good === zones.length, details };
}

/**
 * Read-only by construction: the only xAPI lines a verification may send are `xStatus …` or
 * `xConfiguration …` without a value (an assignment has `: value`); never `xCommand`.
 */
export function isXapiRead(line: string): boolean {
  return /^x(?:Status|Configuration)(?: [A-Za-z0-9 ]+)?$/.test(line.trim());
}
