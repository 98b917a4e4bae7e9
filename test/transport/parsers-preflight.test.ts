// The pre-flight parsers (src/verify/parsers/vos-preflight.ts) against the outputs printed in the
// documents they cite, and against the failures those documents show (or the same layout with the
// failing value, where a document prints only the good case: marked).
import { describe, expect, it } from 'vitest';
import { parsers } from '../../src/verify/parsers/index.js';

const run = (name: string, output: string, args: Record<string, string | string[]> = {}) => parsers[name]!(output, args);

// TAC 217581 "Troubleshoot IM&P Inter-Clustering Issues Caused by DNS Misconfiguration".
const HOST_FORWARD = `admin:utils network host IMPPUB
Local Resolution:
IMPPUB.edgrodrilab.com resolves locally to 10.0.10.10

External Resolution:
IMPPUB.edgrodrilab.com has address 10.0.10.10
`;
const HOST_REVERSE = `admin:utils network host 10.0.10.10
Local Resolution:
10.0.10.10 resolves locally to IMPPUB.edgrodrilab.com

External Resolution:
10.10.0.10.in-addr.arpa domain name pointer imppub.edgrodrilab.com.
`;
const HOST_REVERSE_NO_PTR = `admin:utils network host 10.0.10.10
Local Resolution:
10.0.10.10 resolves locally to IMPSUB.edgrodrilab.com

External Resolution:
No external servers found
`;

describe('vos-network-host (utils network host)', () => {
  it('passes a forward and a reverse lookup that DNS answers as expected (TAC 217581)', () => {
    expect(run('vos-network-host', HOST_FORWARD, { expect: '10.0.10.10' })).toEqual({ ok: true, details: ['local and DNS: 10.0.10.10'] });
    // The PTR answer is lower case with a trailing dot: compared without either.
    expect(run('vos-network-host', HOST_REVERSE, { expect: 'IMPPUB.edgrodrilab.com' }).ok).toBe(true);
  });

  it('fails a name only /etc/hosts knows (no PTR record, TAC 217581)', () => {
    const r = run('vos-network-host', HOST_REVERSE_NO_PTR, { expect: 'IMPSUB.edgrodrilab.com' });
    expect(r.ok).toBe(false);
    expect(r.details).toEqual(['DNS has no answer (No external servers found)']);
  });

  it('fails a mismatch: DNS answers another address or name', () => {
    const r = run('vos-network-host', HOST_FORWARD, { expect: '10.0.10.11' });
    expect(r.ok).toBe(false);
    expect(r.details).toEqual(['resolves locally to 10.0.10.10, not 10.0.10.11', 'DNS answers 10.0.10.10, not 10.0.10.11']);
    expect(run('vos-network-host', HOST_REVERSE, { expect: 'IMPSUB.edgrodrilab.com' }).details).toContain('DNS answers imppub.edgrodrilab.com, not IMPSUB.edgrodrilab.com');
  });

  it('fails empty output and a check without an expected answer', () => {
    expect(run('vos-network-host', '', { expect: '10.0.10.10' }).ok).toBe(false);
    expect(run('vos-network-host', HOST_FORWARD).ok).toBe(false);
  });

  it('local: skip judges the DNS answer alone (a name outside the cluster), which must still be right', () => {
    // The same layout without a local answer ([I]: the wording for a name not in /etc/hosts is not in the TAC document).
    const dnsOnly = HOST_FORWARD.replace('IMPPUB.edgrodrilab.com resolves locally to 10.0.10.10', 'IMPPUB not found');
    expect(run('vos-network-host', dnsOnly, { expect: '10.0.10.10' }).details).toEqual(['no local resolution']);
    expect(run('vos-network-host', dnsOnly, { expect: '10.0.10.10', local: 'skip' })).toEqual({ ok: true, details: ['DNS: 10.0.10.10'] });
    expect(run('vos-network-host', dnsOnly, { expect: '10.0.10.11', local: 'skip' }).details).toEqual(['DNS answers 10.0.10.10, not 10.0.10.11']);
    expect(run('vos-network-host', HOST_REVERSE_NO_PTR, { expect: 'IMPSUB.edgrodrilab.com', local: 'skip' }).ok).toBe(false);
  });

  it('expect: any passes whatever address DNS gives, and fails when DNS gives none', () => {
    expect(run('vos-network-host', HOST_FORWARD, { expect: 'any', local: 'skip' })).toEqual({ ok: true, details: ['DNS: 10.0.10.10'] });
    expect(run('vos-network-host', HOST_REVERSE_NO_PTR, { expect: 'any', local: 'skip' }).details).toEqual(['DNS has no answer (No external servers found)']);
  });

  it('a reverse answer of several PTR records passes when one names the FQDN', () => {
    const two = HOST_REVERSE.replace('imppub.edgrodrilab.com.', 'imppub.edgrodrilab.com.\n10.10.0.10.in-addr.arpa domain name pointer impalias.edgrodrilab.com.');
    expect(run('vos-network-host', two, { expect: 'impalias.edgrodrilab.com', local: 'skip' }).ok).toBe(true);
    expect(run('vos-network-host', two, { expect: 'other.edgrodrilab.com', local: 'skip' }).details).toEqual(['DNS answers imppub.edgrodrilab.com, impalias.edgrodrilab.com, not other.edgrodrilab.com']);
  });
});

// Cisco community "Troubleshooting NTP issues on CUCM and UC apps" (synchronised) and TAC
// "Troubleshoot NTP on CUCM" for 15 (unsynchronised).
const NTP_OK = `admin:utils ntp status
ntpd (pid 26049) is running...

remote refid st t when poll reach delay offset jitter
==============================================================================
*172.18.108.15 .GPS. 1 u 538 1024 377 262.732 0.044 0.006


synchronised to NTP server (172.18.108.15) at stratum 2
time correct to within 22 ms
polling server every 1024 s
`;
const NTP_UNSYNC = `admin: utils ntp status ntpd (pid 22458) is running... remote refid st t when poll reach delay offset jitter

172.28.5.9 .INIT. 2 u 45 64 377 0.374 492.965 18.189 unsynchronised time server re-starting polling server every 64 s`;

describe('vos-ntp-status (utils ntp status)', () => {
  it('passes a node synchronised at stratum 2', () => {
    expect(run('vos-ntp-status', NTP_OK, { maxStratum: '5' })).toEqual({ ok: true, details: ['synchronised to 172.18.108.15 at stratum 2'] });
  });
  it('fails an unsynchronised node', () => {
    expect(run('vos-ntp-status', NTP_UNSYNC, { maxStratum: '5' })).toEqual({ ok: false, details: ['NTP unsynchronised'] });
  });
  it('fails a stratum above the limit (the same layout, stratum 6)', () => {
    const r = run('vos-ntp-status', NTP_OK.replace('at stratum 2', 'at stratum 6'), { maxStratum: '5' });
    expect(r).toEqual({ ok: false, details: ['synchronised to 172.18.108.15 at stratum 6', 'stratum above 5'] });
  });
  it('fails empty output', () => expect(run('vos-ntp-status', '').ok).toBe(false));
});

// TAC 217581 (a failing validate_network); the same layout all Passed.
const DIAG_FAIL = `admin:utils diagnose test
Log file: platform/log/diag4.log

Starting diagnostic test(s)
===========================
test - disk_space          : Passed (available: 6938 MB, used: 11852 MB)
skip - disk_files          : This module must be run directly and off hours
test - service_manager     : Passed
test - tomcat              : Passed
test - tomcat_deadlocks    : Passed
test - tomcat_keystore     : Passed
test - tomcat_connectors   : Passed
test - tomcat_threads      : Passed
test - tomcat_memory       : Passed
test - tomcat_sessions     : Passed
skip - tomcat_heapdump     : This module must be run directly and off hours
test - validate_network    : Reverse DNS lookup failed
test - raid                : Passed
`;

describe('vos-diagnose-test (utils diagnose test)', () => {
  it('fails on a failing module and names it (TAC 217581)', () => {
    const r = run('vos-diagnose-test', DIAG_FAIL);
    expect(r.ok).toBe(false);
    expect(r.details).toEqual(['validate_network: Reverse DNS lookup failed', '10 of 11 tests passed; skipped: disk_files, tomcat_heapdump']);
  });
  it('passes when every test reads Passed; skipped modules do not fail it', () => {
    const r = run('vos-diagnose-test', DIAG_FAIL.replace('Reverse DNS lookup failed', 'Passed'));
    expect(r).toEqual({ ok: true, details: ['11 of 11 tests passed; skipped: disk_files, tomcat_heapdump'] });
  });
  it('fails empty output', () => expect(run('vos-diagnose-test', '').ok).toBe(false));
});

// Prime Collaboration Deployment 14, Best Practices (good); a TAC NTP case transcript (bad, 3).
const REPL_OK = `admin:utils dbreplication runtimestate

Server Time: Tue Aug  1 15:10:52 IST 2023

Cluster Replication State: BROADCAST SYNC ended at: 2023-07-17-16-47
     Sync Result: SYNC COMPLETED on 753 tables out of 753
     Sync Status: All Tables are in sync
     Use CLI to see detail: 'file view activelog cm/trace/dbl/20230717_164617_dbl_repl_output_Broadcast.log'

DB Version: ccm15_0_0_98100_154

Repltimeout set to: 300s
PROCESS option set to: 1

Cluster Detailed View from cucm-55 (2 Servers):

                                           PING      DB/RPC/   REPL.    Replication    REPLICATION SETUP
SERVER-NAME              IP ADDRESS        (msec)    DbMon?    QUEUE    Group ID       (RTMT) & Details
-----------              ----------        ------    -------   -----    -----------    ------------------
cucm-57                  10.77.32.57       0.163     Y/Y/Y     0        (g_3)          (2) Setup Completed
cucm-55                  10.77.32.55       0.016     Y/Y/Y     0        (g_2)          (2) Setup Completed
`;
const REPL_BAD = `Cluster Detailed View from iptlab-ccmpub (5 Servers):
SERVER-NAME IP ADDRESS (msec) DbMon? QUEUE Group ID (RTMT) & Details
----------- ---------- ------ ------- ----- ----------- ------------------
iptlab-ccmpub 172.30.100.21 0.016 Y/Y/Y 0 (g_2) (3) Out Of Sync
iptlab-ccmsub1 172.30.100.25 0.157 Y/Y/Y 391694 (g_3) (3) DB Active-Failed
iptlab-ccmsub2 172.30.100.36 0.224 Y/Y/Y 391842 (g_4) (3) DB Active-Failed
iptlab-ccmsub3 172.30.100.35 0.374 Y/Y/Y 394074 (g_5) (3) DB Active-Failed
iptlab-ccmsub4 172.30.100.24 0.348 Y/Y/Y 394222 (g_6) (3) DB Active-Failed
`;

describe('vos-dbreplication (utils dbreplication runtimestate)', () => {
  it('passes when every server is (2) Setup Completed (PCD 14 guide)', () => {
    expect(run('vos-dbreplication', REPL_OK)).toEqual({ ok: true, details: ['cucm-57: (2) Setup Completed', 'cucm-55: (2) Setup Completed'] });
  });
  it('fails when a server is not in state 2', () => {
    const r = run('vos-dbreplication', REPL_BAD);
    expect(r.ok).toBe(false);
    expect(r.details[0]).toBe('iptlab-ccmpub: (3) Out Of Sync');
  });
  it('fails when a server row is missing from the table', () => {
    const r = run('vos-dbreplication', REPL_OK.replace(/^cucm-57 .*\n/m, ''));
    expect(r).toEqual({ ok: false, details: ['cucm-55: (2) Setup Completed', '1 server row(s), the heading says 2'] });
  });
  it('fails empty output', () => expect(run('vos-dbreplication', '').ok).toBe(false));
});

// TAC 217581.
const CLUSTER = `admin:show network cluster
10.3.74.13 IMPPUB.edgrodrilab.com IMPPUB Subscriber cups DBPub authenticated
10.3.74.14 IMPSUB.edgrodrilab.com IMPSUB Subscriber cups DBSub authenticated using TCP since Fri Oct 15 10:22:20 2021
10.3.74.12 CUCMSUB.edgrodrilab.com CUCMSUB Subscriber callmanager DBSub authenticated using TCP since Thu Oct 28 11:24:16 2021
10.3.74.11 CUCMPUB.edgrodrilab.com CUCMPUB Publisher callmanager DBPub authenticated using TCP since Thu Oct 28 11:27:36 2021
`;

describe('vos-network-cluster (show network cluster)', () => {
  it('passes when every expected node is listed and authenticated', () => {
    expect(run('vos-network-cluster', CLUSTER, { nodes: ['cucmpub.edgrodrilab.com', 'CUCMSUB.edgrodrilab.com'] })).toEqual({ ok: true, details: ['4 node(s) listed'] });
  });
  it('fails a node that is missing or not authenticated', () => {
    const r = run('vos-network-cluster', CLUSTER.replace('CUCMSUB Subscriber callmanager DBSub authenticated', 'CUCMSUB Subscriber callmanager DBSub'), { nodes: ['CUCMSUB.edgrodrilab.com', 'CUCMSUB2.edgrodrilab.com'] });
    expect(r).toEqual({ ok: false, details: ['CUCMSUB.edgrodrilab.com: using TCP since Thu Oct 28 11:24:16 2021', 'CUCMSUB2.edgrodrilab.com: not listed', '4 node(s) listed'] });
  });
  it('fails empty output', () => expect(run('vos-network-cluster', '', { nodes: ['a'] }).ok).toBe(false));
});

// TAC 212915 "Configure CUCM Smart Licensing - Direct Model" (Show license all).
const LICENSE = `Smart Licensing Status
=======================
Smart Licensing is ENABLED
 
Registration:
  Status: REGISTERED
  Smart Account: BU Production Test
  Virtual Account: TAC-CollabTesting
  Export-Controlled Functionality: Allowed
  Initial Registration: SUCCEEDED on Jan 26 15:11:23 2018 IST
`;

describe('vos-license-export (show license all)', () => {
  it('passes a registration that allows export-controlled functionality', () => {
    expect(run('vos-license-export', LICENSE)).toEqual({ ok: true, details: ['Export-Controlled Functionality: Allowed', 'registration: REGISTERED'] });
  });
  it('fails when it is not allowed or the product is not registered', () => {
    expect(run('vos-license-export', LICENSE.replace(': Allowed', ': Not Allowed')).ok).toBe(false);
    expect(run('vos-license-export', LICENSE.replace('Status: REGISTERED', 'Status: UNREGISTERED')).ok).toBe(false);
  });
  it('fails empty output', () => expect(run('vos-license-export', '').ok).toBe(false));
});

// CLI reference 12.5(1)SU5, utils disaster_recovery history.
const DRS = `admin: utils disaster_recovery history backup
Tar Filename: Backup Device: Completed On: Result: Backup Type: Features Backed Up:
2009-10-30-14-53-32.tar TAPE Fri Oct 30 14:55:31 CDT 2009 ERROR MANUAL
2009-12-10-10-30-17.tar TAPE Thu Dec 10 10:35:22 CST 2009 SUCCESS MANUAL CDR_CAR,CCM
`;

describe('vos-drs-history (utils disaster_recovery history backup)', () => {
  it('passes when the latest backup succeeded', () => {
    expect(run('vos-drs-history', DRS)).toEqual({ ok: true, details: ['latest backup 2009-12-10-10-30-17.tar (TAPE), completed Thu Dec 10 10:35:22 CST 2009: SUCCESS'] });
  });
  it('fails when the latest backup ended in ERROR, and with no backup at all', () => {
    const lines = DRS.trim().split('\n');
    expect(run('vos-drs-history', [lines[0], lines[1], lines[3], lines[2]].join('\n')).ok).toBe(false);
    expect(run('vos-drs-history', lines.slice(0, 2).join('\n'))).toEqual({ ok: false, details: ['no backup in the history'] });
  });
});

describe('vos-read (baseline reads)', () => {
  it('passes any output, "CTL File not found" included (a valid baseline before mixed mode)', () => {
    expect(run('vos-read', 'Length of CTL file: 0\nCTL File not found. Please run CTLClient plugin or run the CLI - utils ctl.. to generate the CTL file.\n').ok).toBe(true);
  });
  it('fails empty output and the VOS failure marker', () => {
    expect(run('vos-read', '\n \n').ok).toBe(false);
    expect(run('vos-read', 'Executed command unsuccessfully\n').ok).toBe(false);
  });
});
