// steps/tls-ports.yaml, the data behind `collabsec certs`: valid, every port sourced (or marked
// [I]), every role and group real, every `when` reading paths the topology sets; and laid over
// the example inventory, the ports each node really gets.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exprPaths, lookup, parseExpr } from '../../src/catalogue/expr.js';
import { loadInventory } from '../../src/inventory/load.js';
import { buildTopology } from '../../src/inventory/topology.js';
import { certTargets, loadTlsPortTable, parseTlsPortTable, TlsPortTableError } from '../../src/inventory/tls-ports.js';
import { loadRoleTable } from '../../src/verify/cert/roles.js';

const example = loadInventory(fileURLToPath(new URL('../../examples/ent-pa.yaml', import.meta.url)));
const table = loadTlsPortTable();

describe('steps/tls-ports.yaml', () => {
  it('names real roles and topology groups, and each port says where it comes from', async () => {
    const roles = new Set((await loadRoleTable()).map((r) => r.id));
    const groups = buildTopology(example).groups;
    for (const [group, entries] of Object.entries(table)) {
      expect(groups[group], `group ${group}`).toBeDefined();
      for (const e of entries) {
        if (e.role !== undefined) expect(roles.has(e.role), `${group} ${e.port}: role ${e.role}`).toBe(true);
        // A source cites something (a step, table, file or reference), or is marked inferred.
        expect(e.source, `${group} ${e.port}`).toMatch(/\[I\]|S\d{3}|Table 7-|\.md|\.yaml|review-2026|src\//);
      }
    }
  });

  it('every `when` reads a path that the nodes of its group have', () => {
    const topo = buildTopology(example);
    for (const [group, entries] of Object.entries(table)) {
      for (const e of entries.filter((x) => x.when !== undefined)) {
        for (const path of exprPaths(parseExpr(e.when!))) {
          const found = topo.groups[group]!.some((n) => lookup({ ...topo.globals, ...n.context }, path) !== undefined);
          expect(found, `${group} ${e.port}: ${path.join('.')}`).toBe(true);
        }
      }
    }
  });

  it('refuses a table with a typo, naming the field', () => {
    expect(() => parseTlsPortTable({ groups: { 'cucm-node': [{ port: 8443, service: 'x', sorce: 'y' }] } }, 'bad.yaml')).toThrow(TlsPortTableError);
    expect(() => parseTlsPortTable({ groups: { 'cucm-node': [{ port: 8443, service: 'x', source: 'y', when: 'a &&' }] } }, 'bad.yaml')).toThrow(/when/);
  });
});

describe('the example inventory’s TLS ports', () => {
  const targets = certTargets(example, table);
  const ports = (node: string) => targets.filter((t) => t.node === node).map((t) => t.port);

  it('follows the services each node runs', () => {
    expect(ports('us-cm-pub')).toEqual([8443]); // TFTP only: no SIP TLS
    expect(ports('us-cm-sub1')).toEqual([8443, 5061]);
    expect(ports('us-imp-pub')).toEqual([8443, 5222, 5269]);
    expect(ports('us-expc1')).toEqual([443, 5061]);
    expect(ports('us-expe1')).toEqual([443, 8443, 5061, 5222, 7001]);
    expect(ports('US-CUBE1')).toEqual([5061]);
    expect(ports('us-tms1')).toEqual([443]);
    // Web Admin moves to 445 where Web Bridge holds 443 (TAC 213821).
    const cms = example.inventory.cms!.nodes.find((n) => n.services.includes('webadmin') && n.services.includes('webbridge'));
    expect(cms).toBeDefined();
    expect(ports(cms!.host)).toContain(445);
  });

  it('probes the node’s address with its FQDN as SNI and XMPP STARTTLS where the table says', () => {
    const xmpp = targets.find((t) => t.node === 'us-imp-pub' && t.port === 5222)!;
    expect(xmpp).toMatchObject({ host: '192.0.2.20', connectPort: 5222, servername: 'us-imp-pub.ent-pa.com', starttls: 'xmpp-client', role: 'imp/cup-xmpp' });
  });

  it("a node's tlsPorts moves a port, and a feature that is off drops its port", () => {
    const moved = structuredClone(example);
    moved.inventory.cucm[0]!.publisher.tlsPorts = { '8443': 18443 };
    moved.inventory.features.xmppFederation = false;
    const t = certTargets(moved, table);
    expect(t.find((x) => x.node === 'us-cm-pub')).toMatchObject({ port: 8443, connectPort: 18443 });
    expect(t.filter((x) => x.node === 'us-imp-pub').map((x) => x.port)).toEqual([8443, 5222]);
  });
});
