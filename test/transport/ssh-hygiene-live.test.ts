// Issue 19 SSH hygiene, as the wizard shows it: a note from the connection (here a known_hosts
// line of a type collabsec does not check) reaches the summary of the step that connected, once.
import { appendFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cmd, creds, plan, ports, startCluster, step, vosAction, type Cluster } from '../live/helpers.js';

const SK = Buffer.concat(['sk-ssh-ed25519@openssh.com', 'x'.repeat(32), 'ssh:'].map((s) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(s.length);
  return Buffer.concat([len, Buffer.from(s, 'latin1')]);
})).toString('base64');

let c: Cluster;
beforeAll(async () => {
  c = await startCluster(['us-cm-pub'], 'pw');
  appendFileSync(c.knownHosts, `other-host sk-ssh-ed25519@openssh.com ${SK}\n`);
});
afterAll(() => c.close());

it('the step that opened the connection says which known_hosts line was skipped; the next step does not repeat it', async () => {
  const action = vosAction('us-cm-pub', [cmd('show version active')]);
  const s = step('S001', { actions: [action] });
  const l = ports(c, plan([s]), creds('pw'));
  try {
    const first = await l.executeStep(s, action);
    expect(first.outcome).toBe('ok');
    // (~/.ssh/known_hosts is read too: its own foreign lines, if any, may be named as well.)
    expect(first.summary).toContain(`us-cm-pub: known_hosts line ${c.knownHosts}:2 skipped: key type "sk-ssh-ed25519@openssh.com" is not one collabsec checks host keys with; `);
    expect(first.summary).toMatch(/; 1 command\(s\) ok$/);
    const second = await l.executeStep(s, action);
    expect(second.summary).toBe('1 command(s) ok');
  } finally {
    await l.close();
  }
}, 60_000);
