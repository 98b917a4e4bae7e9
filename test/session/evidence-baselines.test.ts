// Baselines in the evidence pack (review-2026 B.3): a step that declares `baseline: <name>` keeps
// its checkpoint read per target in the journal; the pack shows the first such step's read
// ("before") beside the last one's ("after"), says whether they differ, and keeps it all inside the
// hash chain. Sessions are real journals on disk.
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { baselines } from '../../src/session/baselines.js';
import { verifyJournal } from '../../src/session/chain.js';
import { renderEvidence } from '../../src/session/evidence.js';
import { openSession } from '../../src/session/journal.js';
import { makePlan } from './fixtures/plan.js';
import { removeTempDirs, tempDir } from './temp-dirs.js';

afterAll(removeTempDirs);

const ITL_BEFORE = 'ITL Record #:1\nFUNCTION            CCM+TFTP\nSUBJECTNAME         CN=cucm-pub.example.com\nThe ITL file was verified successfully.';
const ITL_AFTER = 'ITL Record #:1\nFUNCTION            CCM+TFTP\nSUBJECTNAME         CN=cucm-pub.example.com,O=ENT-PA\nThe ITL file was verified successfully.';

/** Four steps: S001 reads the ITL as a baseline, S002 and S003 change things, S004 reads it again. */
function plan() {
  const p = makePlan({ steps: 4 });
  for (const id of ['S001', 'S004']) {
    const s = p.steps.find((x) => x.id === id)!;
    s.baseline = 'itl';
    s.checkpoint = { ...s.checkpoint, verify: { command: 'show itl', parser: 'vos-read', args: {} } };
  }
  return p;
}

const read = (output: string, target = 'cucm-pub') => ({ method: 'automatic' as const, outcome: 'passed' as const, summary: 'show itl', readings: [{ baseline: 'itl', target, command: 'show itl', output }] });

async function session(after: string | undefined) {
  const dir = await tempDir();
  const p = plan();
  let t = Date.parse('2026-12-12T21:00:00Z');
  const s = await openSession({ plan: p, inventoryPath: path.join(dir, 'lab.yaml'), now: () => new Date((t += 60_000)), mode: 'live' });
  await s.recordResult('S001', { outcome: 'passed', checkpoint: read(ITL_BEFORE) });
  await s.recordResult('S002', { outcome: 'passed' });
  if (after !== undefined) await s.recordResult('S004', { outcome: 'passed', checkpoint: read(after) });
  await s.close();
  return { plan: p, state: s.state };
}

describe('baselines in the evidence pack', () => {
  it('shows the read before beside the read after, marked changed, in markdown and HTML', async () => {
    const { plan: p, state } = await session(ITL_AFTER);
    expect(verifyJournal(state).kind).toBe('chained');
    const [b] = baselines(p, state);
    expect(b).toMatchObject({ name: 'itl', beforeStep: 'S001', afterStep: 'S004' });
    expect(b!.rows.map((r) => [r.target, r.before?.output, r.after?.output])).toEqual([['cucm-pub', ITL_BEFORE, ITL_AFTER]]);

    const md = renderEvidence(p, state, 'markdown', '2026-12-13T00:00:00Z');
    const section = md.slice(md.indexOf('## Baselines'));
    expect(section.split('\n').slice(0, 7)).toEqual([
      '## Baselines',
      '',
      '### itl — before S001, after S004',
      '',
      '- cucm-pub: changed',
      '',
      'Before (S001, 2026-12-12T21:02:00.000Z): show itl',
    ]);
    expect(section).toContain(`\`\`\`text\n${ITL_BEFORE}\n\`\`\``);
    expect(section).toContain(`After (S004, 2026-12-12T21:06:00.000Z): show itl\n\n\`\`\`text\n${ITL_AFTER}\n\`\`\``);

    const html = renderEvidence(p, state, 'html', '2026-12-13T00:00:00Z');
    expect(html).toContain('<section id="baselines">');
    expect(html).toContain('<p>cucm-pub: changed</p>');
    expect(html).toContain(`<td>Before (S001, 2026-12-12T21:02:00.000Z): show itl<pre>${ITL_BEFORE}</pre></td>`);
    expect(html).toContain(`<td>After (S004, 2026-12-12T21:06:00.000Z): show itl<pre>${ITL_AFTER}</pre></td>`);
  });

  it('says unchanged when both reads print the same, and "not read again yet" before the later step ran', async () => {
    const same = await session(`${ITL_BEFORE}\n\n`);
    expect(renderEvidence(same.plan, same.state, 'markdown')).toContain('- cucm-pub: unchanged');
    const pending = await session(undefined);
    const md = renderEvidence(pending.plan, pending.state, 'markdown');
    expect(md).toContain('- cucm-pub: not read again yet (S004)');
    expect(md).not.toContain('After (');
  });

  it('has no Baselines section when nothing was read, and escapes what the device printed', async () => {
    const dir = await tempDir();
    const p = plan();
    const s = await openSession({ plan: p, inventoryPath: path.join(dir, 'lab.yaml') });
    await s.recordResult('S002', { outcome: 'passed' });
    expect(renderEvidence(p, s.state, 'markdown')).not.toContain('## Baselines');
    // A read that carries control sequences and markup is stored stripped and rendered inert.
    await s.recordResult('S001', { outcome: 'passed', checkpoint: read('\x1b]0;owned\x07<script>x</script>\n```\n# not a heading') });
    await s.close();
    const kept = s.state.steps.S001!.history.at(-1)!.checkpoint!.readings![0]!.output;
    expect(kept).not.toContain('\x1b');
    const md = renderEvidence(p, s.state, 'markdown');
    // The read's own ``` cannot close the fence: a longer one is used, so "# not a heading" stays inside it.
    expect(md).toContain('````text\n<script>x</script>\n```\n# not a heading\n````');
    expect(renderEvidence(p, s.state, 'html')).toContain('&lt;script&gt;x&lt;/script&gt;');
  });
});
