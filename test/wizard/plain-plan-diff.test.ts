// Without a terminal, a changed plan is reviewed as the lines that changed in each step (issue
// 25), not only the list of step ids.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../src/plan/types.js';
import { runPlain } from '../../src/wizard/plain.js';
import { step, tempSession } from './fixtures.js';

const planWith = (command: string): Plan => ({
  inventoryHash: command,
  catalogueHash: 'cat',
  title: 'Diff rollout',
  summary: [],
  steps: [step('A1', { actions: [{ target: 'us-cm-pub', host: '192.0.2.10', platform: 'vos', commands: [command, 'utils ctl update CTLFile'], exchanges: [], pasteFiles: [] }] }), step('A2')],
});

describe('runPlain after the inventory changed', () => {
  it('prints the removed and added lines of each changed step before stopping', async () => {
    const first = await tempSession(planWith('set cert regen tomcat'));
    await first.session.recordResult('A1', { outcome: 'passed' });
    await first.session.close();
    const again = await tempSession(planWith('set cert regen tomcat --force'), first.dir);
    let text = '';
    const out = new Writable({ write: (c: Buffer, _e, cb) => ((text += c.toString()), cb()) });
    await runPlain({ session: again.session, out, yes: false, checkpointPassed: false });
    await again.session.close();
    expect(text).toContain('steps whose commands changed: A1 (verified with the OLD commands)');
    expect(text).toContain('  A1 Title of A1:\n    - set cert regen tomcat\n    + set cert regen tomcat --force\n');
    expect(text).not.toContain('utils ctl update CTLFile');
  });
});
