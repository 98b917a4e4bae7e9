// Simulated VOS platform CLI (Unified CM / IM&P / Unity Connection): banner, `admin:` prompt,
// pagination, and the command dispatcher. Certificate and cluster commands live in
// vos-certs.ts and vos-ops.ts, the pre-flight reads in vos-preflight.ts.
import type { Term } from './term.js';
import { certCommands } from './vos-certs.js';
import { opsCommands } from './vos-ops.js';
import { preflightCommands } from './vos-preflight.js';
import type { VosNodeState } from './vos-state.js';
import { FAILED, type VosCommand, type VosSession } from './vos-io.js';

export { FAILED, PAGE_PROMPT } from './vos-io.js';

async function banner(node: VosNodeState, term: Term): Promise<boolean> {
  // cli-facts §1.1 banner sequence; timing scaled from the real 0.7 s / 6.1 s / 8.6 s log.
  const t = node.bannerMs;
  if (!(await term.sleep(t * 0.1))) return !term.closed;
  term.writeLines(['Command Line Interface is starting up, please wait ...', '']);
  await term.sleep(t * 0.6);
  term.writeLines([
    '   Welcome to the Platform Command Line Interface',
    '',
    'VMware Installation:',
    // [I] exact vCPU/disk/RAM wording (cli-facts §1.1 only names these lines)
    '\t2 vCPU: Intel(R) Xeon(R) CPU E5-2680 v4 @ 2.40GHz',
    '\tDisk 1: 110GB, Partitions aligned',
    '\t8192 Mbytes RAM',
    '',
  ]);
  await term.sleep(t * 0.3);
  return !term.closed;
}

const sessionCommands: VosCommand[] = [
  // cli-facts §1.2
  [/^set cli pagination off$/i, (s) => { s.pagination = false; s.term.writeLines(['Automatic pagination is turned off']); }],
  [/^set cli pagination on$/i, (s) => { s.pagination = true; s.term.writeLines(['Automatic pagination is turned on']); }], // [I]
  [/^show cli pagination$/i, (s) => s.term.writeLines([`Automatic Pagination : ${s.pagination ? 'On' : 'Off'}.`])], // "On." is [I]
  // cli-facts §1.6 (ctmcp parses "Active( Master)? Version:"); version number [I]
  [/^show version active$/i, (s) => s.term.writeLines(['Active Master Version: 12.5.1.14900-63'])],
];

export async function vosShell(node: VosNodeState, term: Term): Promise<void> {
  if (!(await banner(node, term))) return;
  const s: VosSession = { node, term, pagination: true };
  const commands = [...sessionCommands, ...certCommands, ...opsCommands, ...preflightCommands];
  for (;;) {
    // cli-facts §1.1: prompt is admin: whatever the login name, sometimes after "\x1b[K".
    term.write(node.promptStyle === 'ansi' ? '\r\x1b[Kadmin:' : 'admin:');
    const line = await term.readLine();
    if (term.closed) return;
    if (line === null) continue;
    const cmd = line.trim().replace(/\s+/g, ' ');
    if (cmd === '') continue;
    if (cmd === 'exit' || cmd === 'quit') return; // cli-facts §1.1: exit then close
    const hit = commands.map(([re, h]) => [re.exec(cmd), h] as const).find(([m]) => m !== null);
    if (!hit?.[0]) {
      term.writeLines([FAILED]); // cli-facts §1.1 failure marker; the unknown-command wording is [I]
      continue;
    }
    await hit[1](s, hit[0]);
  }
}
