// The review of a changed plan shows *what* changed in each step (issue 25): its lines before
// (-) and now (+), within the rows there are.
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { PlanDiff } from '../../src/session/index.js';
import { ChangesReview } from '../../src/ui/ChangesReview.js';
import { plain } from './helpers.js';

const base: PlanDiff = { inventoryChanged: true, catalogueChanged: false, planChanged: true, changed: [], added: [], removed: [] };

describe('ChangesReview', () => {
  it('shows the removed and added lines under each changed step, steps done with the old commands first', () => {
    const diff: PlanDiff = {
      ...base,
      changed: [
        { id: 'S005', title: 'Trunk profile', status: 'pending', flagged: false, diff: [{ op: '+', line: 'set port 5062' }] },
        { id: 'S002', title: 'Regenerate tomcat', status: 'verified', flagged: true, diff: [{ op: '-', line: 'set cert regen tomcat' }, { op: '+', line: 'set cert regen tomcat --force' }] },
      ],
    };
    const frame = plain(render(<ChangesReview diff={diff} maxRows={20} />).lastFrame() ?? '');
    expect(frame).toMatch(/S002 Regenerate tomcat \(verified\) — done with the OLD commands: re-check it\s*│\n│\s+- set cert regen tomcat\s+│\n│\s+\+ set cert regen tomcat --force\s+│\n│\s+S005 Trunk profile \(pending\)\s+│\n│\s+\+ set port 5062/);
  });

  it('says when only the checkpoint or dialogue changed, and cuts a long diff and a long list to the rows given', () => {
    const many = Array.from({ length: 9 }, (_, i) => ({ op: '+' as const, line: `line ${i}` }));
    const diff: PlanDiff = {
      ...base,
      changed: [
        { id: 'S001', title: 'Same lines', status: 'pending', flagged: false, diff: [] },
        { id: 'S002', title: 'Long', status: 'pending', flagged: false, diff: many },
        ...Array.from({ length: 5 }, (_, i) => ({ id: `S01${i}`, title: `Other ${i}`, status: 'pending' as const, flagged: false, diff: [{ op: '+' as const, line: 'x' }] })),
      ],
    };
    const frame = plain(render(<ChangesReview diff={diff} maxRows={10} />).lastFrame() ?? '');
    expect(frame).toContain('same lines; its checkpoint or device dialogue changed');
    expect(frame).toContain('+ line 3');
    expect(frame).not.toContain('+ line 4');
    expect(frame).toContain('… 5 more changed lines');
    expect(frame).toMatch(/… and \d more/);
    // The list holds to its rows: the header, the intro, 10 rows, the key line, and the border.
    expect(frame.split('\n').length).toBeLessThanOrEqual(10 + 5);
  });
});
