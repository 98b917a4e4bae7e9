// Review 2026 A.2, pinned per Meeting Server release: every line that differs between 2.x and 3.x.
// 3.0 removed the XMPP server and the first Web Bridge (Cisco TAC 217062); Web Bridge 3 takes an
// HTTPS pair, a C2W pair and a C2W trust bundle, and each Call Bridge trusts the C2W CA
// (cli-facts §3; Cisco Live CMS lab, Web Bridge). The same inventory is planned for both releases
// (2.x with the XMPP server on us-acano1, as chapter-2019 has it), and chapter-2019 keeps 2.x.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/catalogue/root.js';
import { parseInventory } from '../../src/inventory/load.js';
import { buildTopology } from '../../src/inventory/topology.js';
import { buildPlan } from '../../src/plan/build.js';
import type { Plan } from '../../src/plan/types.js';
import { action, catalogue, lines, planOf, step } from './harness.js';
import { verifications } from '../../src/plan/verifications.js';

function example(name: string): Plan {
  const file = join(packageRoot(), 'examples', name);
  const loaded = parseInventory(readFileSync(file, 'utf8'), file);
  return buildPlan(buildTopology(loaded), catalogue, { inventoryHash: loaded.hash });
}

type Inv = { cms: { version: string; nodes: { host: string; services: string[] }[] } };
const v3 = example('ent-pa.yaml');
/** ent-pa on Meeting Server 2.x, the XMPP server back on us-acano1 (as in chapter-2019). */
const v2 = planOf<Inv>((i) => {
  i.cms.version = '2.x';
  i.cms.nodes.find((n) => n.host === 'us-acano1')!.services.push('xmpp');
});
const chapter = example('chapter-2019.yaml');

const CB = ['us-acano1', 'us-acano2', 'us-cmscb'];
const WB = ['us-acano1', 'us-acano2'];
const pair = 'CAsignedCluster.key CAsignedCluster.cer';

/** Every (step@target → lines) of the Meeting Server phase, S080–S092. */
function cmsLines(p: Plan): Map<string, string[]> {
  return new Map(p.steps.filter((s) => s.id >= 'S080' && s.id <= 'S092').flatMap((s) => s.actions.map((a) => [`${s.id}@${a.target}`, a.commands] as const)));
}

describe('A.2 Meeting Server 2.x and 3.x: the lines that differ', () => {
  it('only S086, S087 and S088 differ between the releases (same inventory)', () => {
    const a = cmsLines(v2);
    const b = cmsLines(v3);
    const keys = [...new Set([...a.keys(), ...b.keys()])];
    const differ = keys.filter((k) => JSON.stringify(a.get(k)) !== JSON.stringify(b.get(k))).sort();
    expect(differ).toEqual([...CB.map((n) => `S086@${n}`), 'S087@us-acano1', ...WB.map((n) => `S088@${n}`)].sort());
  });

  it.each(CB)('S086 on %s: 2.x certs + restart; 3.x also trusts the C2W CA before the restart', (n) => {
    expect(lines(v2, 'S086', n)).toEqual([`callbridge certs ${pair}`, 'callbridge restart']);
    expect(lines(v3, 'S086', n)).toEqual([`callbridge certs ${pair}`, 'callbridge trust c2w rootCAcert.cer', 'callbridge restart']);
    expect(lines(chapter, 'S086', n)).toEqual(lines(v2, 'S086', n));
  });

  it('S087 XMPP server: 2.x only, no xmpp line anywhere on 3.x', () => {
    expect(lines(v2, 'S087', 'us-acano1')).toEqual(['xmpp disable', 'xmpp certs none', `xmpp certs ${pair}`, 'xmpp enable']);
    expect(lines(chapter, 'S087', 'us-acano1')).toEqual(lines(v2, 'S087', 'us-acano1'));
    expect(step(v3, 'S087')).toBeUndefined();
    const all = v3.steps.flatMap((s) => s.actions.flatMap((a) => a.commands));
    expect(all.filter((l) => /^xmpp\b|^webbridge\b/.test(l))).toEqual([]);
  });

  it.each(WB)('S088 on %s: 2.x webbridge disable/certs/trust/enable; 3.x webbridge3 https + c2w + restart', (n) => {
    expect(lines(v2, 'S088', n)).toEqual(['webbridge disable', `webbridge certs ${pair}`, 'webbridge trust rootCAcert.cer', 'webbridge enable']);
    expect(lines(chapter, 'S088', n)).toEqual(lines(v2, 'S088', n));
    expect(lines(v3, 'S088', n)).toEqual([`webbridge3 https certs ${pair}`, `webbridge3 c2w certs ${pair}`, 'webbridge3 c2w trust rootCAcert.cer', 'webbridge3 restart']);
  });

  it('checkpoints: S088 reads the release\'s own Web Bridge; S086 checks the C2W trust on 3.x', () => {
    expect(step(v2, 'S088')!.checkpoint.verify).toEqual({ command: 'webbridge', parser: 'cms-service-config', args: { key: 'CAsignedCluster.key', cert: 'CAsignedCluster.cer', enabled: 'true', trust: ['rootCAcert.cer'] } });
    expect(step(v3, 'S088')!.checkpoint.verify).toEqual({
      command: 'webbridge3',
      parser: 'cms-service-config',
      args: { key: 'CAsignedCluster.key', cert: 'CAsignedCluster.cer', c2wKey: 'CAsignedCluster.key', c2wCert: 'CAsignedCluster.cer', enabled: 'true', trust: ['rootCAcert.cer'] },
    });
    expect(verifications(step(v2, 'S086')!.checkpoint)[0]!.args).toEqual({ key: 'CAsignedCluster.key', cert: 'CAsignedCluster.cer', trust: [] });
    expect(verifications(step(v3, 'S086')!.checkpoint)[0]!.args).toEqual({ key: 'CAsignedCluster.key', cert: 'CAsignedCluster.cer', trust: ['rootCAcert.cer'] });
    expect(verifications(step(v2, 'S087')!.checkpoint)[0]!.command).toBe('xmpp');
  });

  it('warnings and back-outs per release', () => {
    const w2 = step(v2, 'S088')!.warnings.join('\n');
    const w3 = step(v3, 'S088')!.warnings.join('\n');
    expect(w2).toBe('WebRTC users cannot join between `webbridge disable` and `webbridge enable`.');
    expect(w3).not.toMatch(/`webbridge (disable|enable)`/);
    expect(w3).toMatch(/`webbridge3 restart`/);
    expect(w3).toMatch(/full chain/);
    expect(w3).toMatch(/`\/webBridges` with url `c2w:\/\//);
    expect(step(v2, 'S088')!.backout!.text).toEqual(['Install the previous Web Bridge pair and trust again: `webbridge disable`, `webbridge certs <previous key> <previous certificate>`, `webbridge trust <previous trust>`, `webbridge enable` (review-2026 B.4; cli-facts §3).']);
    expect(step(v3, 'S088')!.backout!.text).toEqual(['Install the previous Web Bridge 3 pairs and trust again: `webbridge3 https certs <previous key> <previous full chain>`, `webbridge3 c2w certs <previous key> <previous certificate>`, `webbridge3 c2w trust <previous bundle>`, `webbridge3 restart` (review-2026 A.2, B.4; cli-facts §3).']);
    expect(step(v2, 'S086')!.backout!.text).toEqual(['Install the previous Call Bridge pair again: `callbridge certs <previous key> <previous certificate>`, then `callbridge restart` (drops the meetings on this Call Bridge; review-2026 B.4; cli-facts §3).']);
    expect(step(v3, 'S086')!.backout!.text).toEqual(['Install the previous Call Bridge pair and C2W trust again: `callbridge certs <previous key> <previous certificate>`, `callbridge trust c2w <previous bundle>`, then `callbridge restart` (drops the meetings on this Call Bridge; review-2026 A.2, B.4; cli-facts §3).']);
    expect(action(v3, 'S088', 'us-acano1')!.backout).toBeUndefined();
  });

  it('the shared certificate CN: the XMPP domain on 2.x, the cluster name on 3.x (no XMPP server)', () => {
    expect(step(v3, 'S080')!.summary).toBe('One key and CSR on one CMS node cover Web Admin, Call Bridge, Web Bridge 3 and the database server on every node; the cluster name (cms.ent-pa.com) is both the CN and a SAN, after every node FQDN.');
    expect(step(chapter, 'S080')!.summary).toBe('One key and CSR on one CMS node cover Web Admin, Call Bridge, XMPP, Web Bridge and the database server on every node; the XMPP domain (cms.ent-pa.com) is both the CN and a SAN, after every node FQDN.');
    expect(step(v3, 'S092')!.summary).toMatch(/X\.509 Subject Name is the CN of the CMS shared certificate \(the cluster name\)/);
    expect(step(chapter, 'S092')!.summary).toMatch(/\(the XMPP domain\)/);
    // The same CN and SAN lines on both releases.
    expect(lines(v3, 'S080', 'us-acano1')).toEqual(lines(chapter, 'S080', 'us-acano1'));
    const all = [v3.steps.map((s) => s.summary), v3.steps.flatMap((s) => s.warnings)].flat().join('\n');
    expect(all).not.toMatch(/XMPP domain/);
  });
});
