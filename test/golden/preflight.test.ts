// Review 2026 C.4 and B.3: the pre-flight reads and baselines (P001–P015) and the reads after the
// change (V001–V003), every rendered line of the example plan, the machine check behind each
// checkpoint (parser and rendered arguments per target), and where they sit in the plan.
import { describe, expect, it } from 'vitest';
import { formatText } from '../../src/plan/format/text.js';
import { catalogue, planOf, step } from './harness.js';
import { renderedLines } from './preflight.js';
import { verifications } from '../../src/plan/verifications.js';

const plan = planOf();
const names = Object.fromEntries(catalogue.products.map((p) => [p.id, p.name]));
const readSteps = plan.steps.filter((s) => /^[PV]\d{3}$/.test(s.id));

describe('pre-flight golden lines (example inventory)', () => {
  it('renders every line of P001–P015 and V001–V003 exactly', () => {
    const text = formatText({ ...plan, steps: readSteps }, { color: false, productNames: names }).split('\n');
    const body = text.slice(text.indexOf('== Cisco Unified Communications Manager =='));
    while (body.at(-1) === '') body.pop();
    expect(body).toEqual(renderedLines);
  });

  it('checks each read by machine, with these arguments per target', () => {
    const checks = readSteps.flatMap((s) => s.actions.flatMap((a) => verifications(a.checkpoint ?? s.checkpoint).map((v) => `${s.id}@${a.target} ${v.command} → ${v.parser} ${JSON.stringify(v.args)}`)));
    const nodes = ['us-cm-pub', 'us-cm-sub1', 'us-cm-sub2', 'us-cm-tftp1', 'us-imp-pub', 'us-imp-sub1'];
    const ips: Record<string, string> = { 'us-cm-pub': '192.0.2.10', 'us-cm-sub1': '192.0.2.11', 'us-cm-sub2': '192.0.2.12', 'us-cm-tftp1': '192.0.2.13', 'us-imp-pub': '192.0.2.20', 'us-imp-sub1': '192.0.2.21' };
    const cm = nodes.slice(0, 4);
    const each = (id: string, on: string[], line: (n: string) => string) => on.map((n) => `${id}@${n} ${line(n)}`);
    expect(checks).toEqual([
      ...each('P001', nodes, (n) => `utils network host ${n}.ent-pa.com → vos-network-host {"expect":"${ips[n]}"}`),
      ...each('P002', nodes, (n) => `utils network host ${ips[n]} → vos-network-host {"expect":"${n}.ent-pa.com"}`),
      ...each('P003', nodes, () => 'utils ntp status → vos-ntp-status {"maxStratum":"5"}'),
      ...each('P004', nodes, () => 'utils diagnose test → vos-diagnose-test {}'),
      ...each('P005', ['us-cm-pub', 'us-imp-pub'], () => 'utils dbreplication runtimestate → vos-dbreplication {}'),
      `P006@us-cm-pub show network cluster → vos-network-cluster {"nodes":[${cm.map((n) => `"${n}.ent-pa.com"`).join(',')}]}`,
      'P007@us-cm-pub show license all → vos-license-export {}',
      'P008@us-cm-pub utils disaster_recovery history backup → vos-drs-history {}',
      ...each('P009', cm, () => 'show itl → vos-read {}'),
      'P010@us-cm-pub show ctl → vos-read {}',
      ...each('P011', nodes, () => 'show cert list own → vos-read {}'),
      // Every name of examples/ent-pa.yaml with its address, forward then reverse, from the publisher;
      // the cluster FQDNs, the LDAP server and the online CA (no address in the inventory): any address.
      ...[
        ['us-cm-pub', '192.0.2.10'], ['us-cm-sub1', '192.0.2.11'], ['us-cm-sub2', '192.0.2.12'], ['us-cm-tftp1', '192.0.2.13'],
        ['us-imp-pub', '192.0.2.20'], ['us-imp-sub1', '192.0.2.21'], ['us-cuc', '192.0.2.30'], ['us-cuc2', '192.0.2.31'],
        ['us-expc1', '192.0.2.40'], ['us-expc2', '192.0.2.41'], ['us-expc'], ['us-expe1', '198.51.100.40'], ['us-expe2', '198.51.100.41'], ['us-expe'],
        ['us-acano1', '192.0.2.60'], ['us-acano2', '192.0.2.61'], ['us-cmsdb', '192.0.2.62'], ['us-cmscb', '192.0.2.63'],
        ['us-cmm', '192.0.2.70'], ['us-tms1', '192.0.2.71'], ['us-pcd', '192.0.2.72'], ['us-pcp', '192.0.2.73'],
        ['US-CUBE1', '192.0.2.50'], ['US-SRST1', '192.0.2.51'], ['us-dc1'], ['us-ca'],
      ].flatMap(([host, ip]) =>
        ip === undefined
          ? [`P012@us-cm-pub utils network host ${host}.ent-pa.com → vos-network-host {"expect":"any","local":"skip"}`]
          : [
              `P012@us-cm-pub utils network host ${host}.ent-pa.com → vos-network-host {"expect":"${ip}","local":"skip"}`,
              `P012@us-cm-pub utils network host ${ip} → vos-network-host {"expect":"${host}.ent-pa.com","local":"skip"}`,
            ],
      ),
      ...[['us-cuc', '192.0.2.30'], ['us-cuc2', '192.0.2.31']].flatMap(([n, ip]) => [
        `P013@${n} utils network host ${n}.ent-pa.com → vos-network-host {"expect":"${ip}"}`,
        `P013@${n} utils network host ${ip} → vos-network-host {"expect":"${n}.ent-pa.com"}`,
      ]),
      ...each('P014', ['us-cuc', 'us-cuc2'], () => 'utils ntp status → vos-ntp-status {"maxStratum":"5"}'),
      ...each('P015', ['us-cuc', 'us-cuc2'], () => 'utils diagnose test → vos-diagnose-test {}'),
      ...each('V001', cm, () => 'show itl → vos-read {}'),
      'V002@us-cm-pub show ctl → vos-read {}',
      ...each('V003', nodes, () => 'show cert list own → vos-read {}'),
    ]);
  });

  it('sends nothing, keeps three baselines, and comes before the first change and after the last', () => {
    for (const s of readSteps) {
      expect(s.actions.every((a) => a.commands.length === 0 && a.exchanges.length === 0), s.id).toBe(true);
      expect(s.disruptive, s.id).toBe(false);
    }
    expect(readSteps.filter((s) => s.baseline !== undefined).map((s) => `${s.id}:${s.baseline}`)).toEqual(['P009:itl', 'P010:ctl', 'P011:own-certificates', 'V001:itl', 'V002:ctl', 'V003:own-certificates']);
    const order = plan.steps.map((s) => s.id);
    expect(order.slice(0, 16)).toEqual(['P001', 'P002', 'P003', 'P004', 'P005', 'P006', 'P007', 'P008', 'P009', 'P010', 'P011', 'P012', 'P013', 'P014', 'P015', 'S001']);
    expect(order.slice(-3)).toEqual(['V001', 'V002', 'V003']);
    expect(step(plan, 'S008')?.requires).toContain('P008');
    expect(step(plan, 'S022')?.requires).toContain('P008');
  });

  it('leaves out the licence check when neither mixed mode nor SIP OAuth is planned', () => {
    const p = planOf<{ features: Record<string, boolean> }>((inv) => {
      inv.features.mixedMode = false;
      inv.features.sipOAuth = false;
    });
    expect(p.steps.map((s) => s.id)).not.toContain('P007');
    expect(p.steps.map((s) => s.id)).toContain('P008');
  });

  it('leaves out the Unity Connection reads without Unity Connection, and its names from every publisher\'s lookups', () => {
    const p = planOf<{ unity?: unknown }>((inv) => {
      delete inv.unity;
    });
    expect(p.steps.map((s) => s.id).filter((id) => /^P01[2-5]$/.test(id))).toEqual(['P012']);
    const queries = verifications(step(p, 'P012')!.checkpoint).map((v) => v.command);
    expect(queries).not.toContain('utils network host us-cuc.ent-pa.com');
    expect(queries).toContain('utils network host us-cm-pub.ent-pa.com');
  });

  it('runs the lookups from the publisher of every Unified CM cluster, each with its own cluster\'s nodes and the names outside the clusters', () => {
    const p = planOf<{ cucm: Record<string, unknown>[] }>((inv) => {
      const { imp: _imp, ...us } = structuredClone(inv.cucm[0]!);
      inv.cucm.push({ ...us, name: 'emea', publisher: { host: 'emea-cm-pub', ip: '192.0.2.110', services: ['tftp'] }, subscribers: [{ host: 'emea-cm-sub1', ip: '192.0.2.111', services: ['callmanager'] }], capfOnlineCa: { ...(us.capfOnlineCa as object), host: 'emea-ca.ent-pa.com' } });
    });
    const s = step(p, 'P012')!;
    expect(s.actions.map((a) => a.target)).toEqual(['us-cm-pub', 'emea-cm-pub']);
    const cmds = (target: string) => {
      const a = s.actions.find((x) => x.target === target)!;
      return verifications(a.checkpoint ?? s.checkpoint).map((v) => v.command);
    };
    const own = { 'us-cm-pub': ['us-cm-pub.ent-pa.com', '192.0.2.10', 'us-cm-tftp1.ent-pa.com', 'us-imp-sub1.ent-pa.com', '192.0.2.21'], 'emea-cm-pub': ['emea-cm-pub.ent-pa.com', '192.0.2.110', 'emea-cm-sub1.ent-pa.com', '192.0.2.111'] };
    const shared = ['us-cuc.ent-pa.com', 'us-expe.ent-pa.com', 'US-CUBE1.ent-pa.com', '192.0.2.50', 'us-dc1.ent-pa.com'];
    for (const [target, other] of [['us-cm-pub', 'emea-cm-pub'], ['emea-cm-pub', 'us-cm-pub']] as const) {
      const got = cmds(target);
      for (const q of [...own[target], ...shared]) expect(got, target).toContain(`utils network host ${q}`);
      // Another cluster's nodes are asked for from that cluster's publisher.
      for (const q of own[other]) expect(got, target).not.toContain(`utils network host ${q}`);
    }
    // The CAPF online CA is asked for by the cluster that enrols through it.
    expect(cmds('us-cm-pub')).toContain('utils network host us-ca.ent-pa.com');
    expect(cmds('us-cm-pub')).not.toContain('utils network host emea-ca.ent-pa.com');
    expect(cmds('emea-cm-pub')).toContain('utils network host emea-ca.ent-pa.com');
    expect(cmds('emea-cm-pub')).not.toContain('utils network host us-ca.ent-pa.com');
  });

  it('asks each of 50 publishers for ~50 names, not for every node of the other 49 clusters', () => {
    const p = planOf<{ cucm: Record<string, unknown>[] }>((inv) => {
      const { imp: _imp, ...us } = structuredClone(inv.cucm[0]!);
      for (let c = 1; c < 50; c++)
        inv.cucm.push({ ...us, name: `c${c}`, publisher: { host: `c${c}-pub`, ip: `198.18.${c}.1`, services: ['tftp'] }, subscribers: Array.from({ length: 9 }, (_, n) => ({ host: `c${c}-sub${n}`, ip: `198.18.${c}.${n + 2}`, services: ['callmanager'] })) });
    });
    const s = step(p, 'P012')!;
    expect(s.actions).toHaveLength(50);
    const counts = s.actions.map((a) => verifications(a.checkpoint ?? s.checkpoint).length);
    // Own nodes (10, or the example cluster's 6), forward and reverse, and the ~40 lookups of the names outside the clusters.
    expect(Math.max(...counts)).toBeLessThan(70);
  });
});
