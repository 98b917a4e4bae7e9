// Unity Connection CUPI requests of the example plan (issue 21: S042, S043, S044, S125): the reads
// and the writes exactly as the dry-run shows them and as `--format json` carries them (method,
// path, JSON body), the task the live runner performs, the checkpoint's reads; every value checked
// for its kind (src/plan/cupi-rest.ts).
import { describe, expect, it } from 'vitest';
import { cupiRequests, CupiValueError } from '../../src/plan/cupi-rest.js';
import { action, planOf, step } from './harness.js';

const example = planOf();
const lines = (id: string): string[] => (action(example, id, 'us-cuc')?.requests ?? []).map((r) => `${r.mode} ${r.readable}${r.body !== undefined ? ` ${r.body}` : ''}`);

describe('CUPI golden requests (example inventory)', () => {
  it('S042..S044 and S125 go to the Unity Connection publisher on 443, and no other step sends CUPI', () => {
    for (const id of ['S042', 'S043', 'S044', 'S125']) expect(action(example, id, 'us-cuc')?.apiEndpoint).toEqual({ api: 'cupi', host: '192.0.2.30', port: 443 });
    expect(example.steps.filter((s) => s.actions.some((a) => a.requests?.some((r) => r.api === 'cupi'))).map((s) => s.id)).toEqual(['S042', 'S043', 'S044', 'S125']);
  });

  it('S042: list the profiles, then POST Port=5061 DoTLS=true', () => {
    expect(lines('S042')).toEqual([
      'check GET /vmrest/sipsecurityprofiles (a profile with Port=5061 DoTLS=true)',
      'write POST /vmrest/sipsecurityprofiles Port=5061 DoTLS=true (the server names it 5061/TLS) {"Port":"5061","DoTLS":"true"}',
    ]);
    expect(action(example, 'S042', 'us-cuc')?.cupiTask).toEqual({ kind: 'sip-security-profile', port: 5061 });
  });

  it('S043: the port group and the profile read, then PUT of the three fields', () => {
    expect(lines('S043')).toEqual([
      'check GET /vmrest/portgroups (port group PhoneSystem-1)',
      "check GET /vmrest/sipsecurityprofiles (the 5061/TLS profile's ObjectId)",
      'write PUT /vmrest/portgroups/{PhoneSystem-1} MediaSipSecurityProfileObjectId={5061/TLS} SipDoSRTP=true SipEnableNextGenSecurity=true (only the fields that differ) {"MediaSipSecurityProfileObjectId":"{5061/TLS}","SipDoSRTP":"true","SipEnableNextGenSecurity":"true"}',
    ]);
  });

  it('S044: TLS port on each Unified CM server, the first cluster\'s TFTP nodes added', () => {
    expect(lines('S044')).toEqual([
      'check GET /vmrest/portgroups (port group PhoneSystem-1)',
      'check GET /vmrest/portgroups/{PhoneSystem-1}/portgroupservers (its Unified CM (MediaRemoteServiceEnum 100/102) and TFTP (101) servers)',
      'write PUT /vmrest/portgroups/{PhoneSystem-1}/portgroupservers/{each Unified CM server} TlsPort=5061 (each server whose TlsPort differs) {"TlsPort":"5061"}',
      'write POST /vmrest/portgroups/{PhoneSystem-1}/portgroupservers HostOrIpAddress=us-cm-pub.ent-pa.com MediaRemoteServiceEnum=101 Precedence={next} (unless listed) {"HostOrIpAddress":"us-cm-pub.ent-pa.com","MediaRemoteServiceEnum":"101","Precedence":"{next}"}',
      'write POST /vmrest/portgroups/{PhoneSystem-1}/portgroupservers HostOrIpAddress=us-cm-tftp1.ent-pa.com MediaRemoteServiceEnum=101 Precedence={next} (unless listed) {"HostOrIpAddress":"us-cm-tftp1.ent-pa.com","MediaRemoteServiceEnum":"101","Precedence":"{next}"}',
    ]);
  });

  it('S125: each named table read, each blocked pattern added unless there', () => {
    const l = lines('S125');
    expect(l[0]).toBe('check GET /vmrest/restrictiontables (the tables by name)');
    expect(l.filter((x) => x.startsWith('check'))).toHaveLength(4);
    expect(l.filter((x) => x.startsWith('write'))).toHaveLength(9);
    expect(l).toContain('write POST /vmrest/restrictiontables/{Default Transfer}/restrictionpatterns NumberPattern=9011* Blocked=true (unless there; a permitted one is reported, not changed) {"NumberPattern":"9011*","Blocked":"true"}');
    expect(action(example, 'S125', 'us-cuc')?.cupiTask).toEqual({ kind: 'restriction-patterns', blocked: ['9011*', '91900???????', '91976???????'], tables: ['Default Outdial', 'Default Transfer', 'Default System Transfer'] });
  });

  it('checkpoints read through CUPI and need no operator answer', () => {
    for (const id of ['S042', 'S043', 'S044', 'S125']) {
      const cp = step(example, id)!.checkpoint;
      expect(cp.requests?.length).toBeGreaterThan(0);
      expect(cp.requests?.every((r) => r.api === 'cupi' && r.mode === 'check' && r.method === 'GET')).toBe(true);
      expect(cp.why).toBeUndefined();
    }
  });

  it('no tables named: the classes of service are read for them', () => {
    const p = planOf<{ unity: { restrictionTables: { tables?: string[] } } }>((inv) => void delete inv.unity.restrictionTables.tables);
    const r = action(p, 'S125', 'us-cuc')!.requests!.map((x) => x.readable);
    expect(r).toContain('GET /vmrest/coses (their transfer, outcall and fax restriction tables)');
  });

  it('refuses values that are not of their kind', () => {
    expect(() => cupiRequests({ kind: 'restriction-patterns', tables: [], blocked: ['9011*\n'] })).toThrow(CupiValueError);
    expect(() => cupiRequests({ kind: 'restriction-patterns', tables: ['a/b'], blocked: ['9'] })).toThrow(CupiValueError);
    expect(() => cupiRequests({ kind: 'port-group-security', portGroup: 'x"y', profilePort: 5061 })).toThrow(CupiValueError);
    expect(() => cupiRequests({ kind: 'port-group-servers', portGroup: 'p', tlsPort: 5061, tftp: ['a b'] })).toThrow(CupiValueError);
    expect(() => cupiRequests({ kind: 'sip-security-profile', port: 80 })).toThrow(CupiValueError);
    expect(() => cupiRequests({ kind: 'restriction-patterns', tables: [], blocked: ['1'.repeat(41)] })).toThrow(CupiValueError);
  });
});
