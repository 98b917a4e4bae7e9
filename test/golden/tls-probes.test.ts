// Issue 22 slice 1: the TLS probes of the example plan. The certificate restart steps of the
// products without an API (Meeting Management, TMS, PCD, PCP) probe the port their certificate is
// served on; the rendered probes, their views (text, markdown, json) and the inventory's tlsPorts
// override are pinned here.
import { describe, expect, it } from 'vitest';
import { formatJson } from '../../src/plan/format/json.js';
import { formatMarkdown } from '../../src/plan/format/markdown.js';
import { formatText } from '../../src/plan/format/text.js';
import { loadRoleTable } from '../../src/verify/cert/roles.js';
import { catalogue, planOf, step } from './harness.js';

const example = planOf();

/** The golden probes: step → its single target's probes. */
const expected: Record<string, { target: string; tls: unknown[] }> = {
  S097: { target: 'us-cmm', tls: [{ host: '192.0.2.70', port: 443, servername: 'us-cmm.ent-pa.com', role: 'cmm/server' }] },
  // S105: IIS serves the changed https binding at once; S106 probes again after the restarts.
  S105: { target: 'us-tms1', tls: [{ host: '192.0.2.71', port: 443, servername: 'us-tms1.ent-pa.com', role: 'tms/server' }] },
  S106: { target: 'us-tms1', tls: [{ host: '192.0.2.71', port: 443, servername: 'us-tms1.ent-pa.com', role: 'tms/server' }] },
  S112: { target: 'us-pcd', tls: [{ host: '192.0.2.72', port: 443, servername: 'us-pcd.ent-pa.com', role: 'pcd/tomcat' }] },
  S116: { target: 'us-pcp', tls: [{ host: '192.0.2.73', port: 443, servername: 'us-pcp.ent-pa.com', role: 'pcp/server' }] },
};

describe('TLS probes of the example plan', () => {
  it('exactly the certificate restart steps of CMM, TMS (and its IIS binding), PCD and PCP probe, each on its node', () => {
    const probing = example.steps.filter((s) => s.checkpoint.tls !== undefined || s.actions.some((a) => a.checkpoint?.tls !== undefined));
    expect(probing.map((s) => s.id)).toEqual(Object.keys(expected));
    for (const [id, e] of Object.entries(expected)) {
      const s = step(example, id)!;
      expect(s.actions.map((a) => a.target)).toEqual([e.target]);
      expect(s.checkpoint.tls, id).toEqual(e.tls);
    }
  });

  it('every probe names a role of steps/certificates.yaml', async () => {
    const roles = new Set((await loadRoleTable()).map((r) => r.id));
    for (const s of catalogue.steps) for (const t of s.checkpoint.tls ?? []) if (t.role !== undefined) expect(roles.has(t.role), `${s.id} ${t.role}`).toBe(true);
  });

  it('text, markdown and json show each probe', () => {
    const names = Object.fromEntries(catalogue.products.map((p) => [p.id, p.name]));
    const text = formatText(example, { color: false, productNames: names });
    expect(text).toContain('      probe: TLS 192.0.2.70:443 (SNI us-cmm.ent-pa.com): chain to the enterprise root, names, validity, key; rules of cmm/server');
    expect(text).toContain('      probe: TLS 192.0.2.73:443 (SNI us-pcp.ent-pa.com): chain to the enterprise root, names, validity, key; rules of pcp/server');
    const md = formatMarkdown(example, names, 'ent-pa.yaml');
    expect(md).toContain('Verified automatically by a TLS probe of the port that serves the certificate (read-only: the handshake only):\n\n- TLS 192.0.2.71:443 (SNI us-tms1.ent-pa.com): chain to the enterprise root, names, validity, key; rules of tms/server\n');
    const json = JSON.parse(formatJson(example)) as { steps: { id: string; checkpoint: { tls?: unknown } }[] };
    expect(json.steps.find((s) => s.id === 'S112')!.checkpoint.tls).toEqual(expected.S112!.tls);
  });

  it('the inventory tlsPorts override says where a port really answers; no ip: the FQDN', () => {
    const p = planOf((inv) => {
      (inv.cmm as Record<string, unknown>).tlsPorts = { '443': 44301 };
      delete (inv.pcp as Record<string, unknown>).ip;
    });
    expect(step(p, 'S097')!.checkpoint.tls).toEqual([{ host: '192.0.2.70', port: 44301, servername: 'us-cmm.ent-pa.com', role: 'cmm/server' }]);
    expect(step(p, 'S116')!.checkpoint.tls).toEqual([{ host: 'us-pcp.ent-pa.com', port: 443, servername: 'us-pcp.ent-pa.com', role: 'pcp/server' }]);
  });

  it('a tlsPorts key that is not a port is an inventory error', () => {
    expect(() => planOf((inv) => ((inv.tms as Record<string, unknown>).tlsPorts = { https: 443 }))).toThrow(/tlsPorts/);
  });
});
