// S080–S106: the example plan renders the hand-written golden lines exactly, and the steps'
// conditions (services per CMS node, database clients, products present) hold on variants.
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../src/plan/types.js';
import { planOf as basePlanOf, ids, targets, lines } from './harness.js';
import { absent, expected } from './conferencing.js';


type CmsNode = { host: string; ip?: string; services: string[] };
type Inv = Record<string, unknown> & { cms?: { nodes: CmsNode[] } };
const cmsOf = (inv: Inv) => inv.cms ?? { nodes: [] };

const planOf = (edit?: (inv: Inv) => void): Plan => basePlanOf<Inv>(edit);

const example = planOf();

describe('conferencing golden lines (S080–S106, example inventory)', () => {
  it.each(expected.map((e) => [`${e.id} on ${e.target}`, e] as const))('%s', (_name, e) => {
    expect(lines(example, e.id, e.target)).toEqual(e.lines);
  });

  it('has exactly the golden (step, target) pairs with commands', () => {
    const got = example.steps
      .filter((s) => s.id >= 'S080' && s.id <= 'S106')
      .flatMap((s) => s.actions.filter((a) => a.commands.length > 0).map((a) => `${s.id}@${a.target}`));
    expect(got).toEqual(expected.map((e) => `${e.id}@${e.target}`));
  });

  it('holds every step of S080–S106 except the absent ones', () => {
    for (let n = 80; n <= 106; n++) {
      const id = `S${String(n).padStart(3, '0')}`;
      expect(ids(example).includes(id), id).toBe(!absent.includes(id));
    }
  });
});

describe('conferencing conditions', () => {
  it('installs each service certificate only on the CMS nodes that run the service', () => {
    expect(targets(example, 'S085')).toEqual(['us-acano1', 'us-acano2']);
    expect(targets(example, 'S086')).toEqual(['us-acano1', 'us-acano2', 'us-cmscb']);
    expect(targets(example, 'S087')).toEqual([]); // 3.x: no XMPP server (review-2026 A.2)
    expect(targets(example, 'S088')).toEqual(['us-acano1', 'us-acano2']);
    expect(targets(example, 'S089')).toEqual(['us-acano1', 'us-acano2', 'us-cmsdb']);
    expect(targets(example, 'S090')).toEqual(['us-cmscb']);
  });

  it('keeps the database client pair for clustered database servers but drops the client-only install', () => {
    // S089 (database server) uses the client pair too, so S081 stays while databases cluster.
    const p = planOf((inv) => {
      const cms = cmsOf(inv);
      cms.nodes = cms.nodes.filter((n) => n.host !== 'us-cmscb');
    });
    expect(ids(p)).toContain('S081');
    expect(ids(p)).not.toContain('S090');
    expect(lines(p, 'S082', 'us-acano1')).toEqual([
      'sftp admin@us-acano1.ent-pa.com',
      'get CAsignedCluster.key',
      'get CAsignedCluster.csr',
      'get dbclusterclient.key',
      'get dbclusterclient.csr',
      'bye',
    ]);
    // The SAN list follows the nodes (D-08/D-10: nodes first, XMPP domain last).
    expect(lines(p, 'S080', 'us-acano1')?.[0]).toMatch(/subjectAltName:us-acano1\.ent-pa\.com,us-acano2\.ent-pa\.com,us-cmsdb\.ent-pa\.com,cms\.ent-pa\.com$/);
  });

  it('drops the database client CSR and files with a single database and no client-only node', () => {
    const p = planOf((inv) => {
      const cms = cmsOf(inv);
      cms.nodes = cms.nodes.filter((n) => n.host !== 'us-cmscb' && n.host !== 'us-cmsdb' && n.host !== 'us-acano2');
    });
    expect(ids(p)).not.toContain('S081');
    expect(ids(p)).not.toContain('S090');
    expect(lines(p, 'S082', 'us-acano1')).toEqual(['sftp admin@us-acano1.ent-pa.com', 'get CAsignedCluster.key', 'get CAsignedCluster.csr', 'bye']);
    expect(lines(p, 'S084', 'us-acano1')).toEqual(['sftp admin@us-acano1.ent-pa.com', 'put CAsignedCluster.key', 'put CAsignedCluster.cer', 'put rootCAcert.cer', 'bye']);
  });

  it('does not send database client files to a node with neither a database nor a Call Bridge', () => {
    const p = planOf((inv) => {
      cmsOf(inv).nodes.push({ host: 'us-cmsweb', ip: '192.0.2.64', services: ['webbridge'] });
    });
    expect(lines(p, 'S084', 'us-cmsweb')).toEqual(['sftp admin@us-cmsweb.ent-pa.com', 'put CAsignedCluster.key', 'put CAsignedCluster.cer', 'put rootCAcert.cer', 'bye']);
    expect(targets(p, 'S091')).not.toContain('us-cmsweb');
    expect(targets(p, 'S088')).toContain('us-cmsweb');
  });

  it('puts the CDR receiver address into the CMM CSR SAN once, after the browsed name (review A.3, L1435)', () => {
    const p = planOf((inv) => {
      (inv.cmm as Record<string, unknown>).cdrReceiverAddress = 'CDR.ent-pa.com';
    });
    expect(lines(p, 'S094', 'operator')).toEqual([
      'openssl req -new -key us-cmm-privatekey.pem -out us-cmm-certcsr.pem -addext "subjectAltName=DNS:us-cmm.ent-pa.com,DNS:cdr.ent-pa.com"',
    ]);
  });

  it('leaves out the steps of a product the inventory does not have', () => {
    const p = planOf((inv) => {
      delete inv.cms;
      delete inv.cmm;
      delete inv.tms;
    });
    for (let n = 80; n <= 106; n++) expect(ids(p)).not.toContain(`S${String(n).padStart(3, '0')}`);
  });
});
