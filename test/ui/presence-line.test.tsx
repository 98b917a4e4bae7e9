// Who else is in the session, as the screen draws it (issue 24): one line under the header, cut
// at the terminal's edge, absent when no one else is there; the step another operator holds is
// marked with who in the step list; the row budget keeps the frame within the terminal.
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { progress } from '../../src/session/index.js';
import { layout } from '../../src/ui/layout.js';
import { PresenceLine } from '../../src/ui/PresenceLine.js';
import { StepList } from '../../src/ui/StepList.js';
import { WizardController } from '../../src/wizard/controller.js';
import { tempSession } from '../wizard/fixtures.js';
import { plain } from './helpers.js';

describe('PresenceLine', () => {
  it('is one line, cut at the terminal edge, and nothing when no one else is there', () => {
    const line = `also here: ${Array.from({ length: 6 }, (_, i) => `op${i}@host-${i} on S0${20 + i} (claimed ${i + 1} min ago)`).join('; ')}`;
    const frame = plain(render(<PresenceLine presence={{ line, claimed: {} }} />).lastFrame());
    expect(frame.split('\n')).toHaveLength(1);
    // ink-testing-library's terminal is 100 columns wide.
    expect([...frame].length).toBeLessThanOrEqual(100);
    expect(frame).toMatch(/^also here: op0@host-0 on S020 \(claimed 1 min ago\); op1@host-1/);
    expect(frame.endsWith('…')).toBe(true);

    expect(plain(render(<PresenceLine presence={{ claimed: {} }} />).lastFrame())).toBe('');
    expect(plain(render(<PresenceLine presence={undefined} />).lastFrame())).toBe('');
  });

  it('says once, dim, that who else is here could not be read, and keeps what was known', () => {
    const unknown = render(<PresenceLine presence={{ problem: 'connection refused', claimed: {} }} />).lastFrame();
    expect(plain(unknown)).toBe('who else is here is unknown: connection refused');
    const stale = plain(render(<PresenceLine presence={{ line: 'also here: alice@host-b on S022 (claimed 3 min ago)', problem: 'connection refused', claimed: {} }} />).lastFrame());
    expect(stale).toBe('also here: alice@host-b on S022 (claimed 3 min ago) (not refreshed: connection refused)');
  });
});

describe('StepList', () => {
  it('marks a step another operator holds with who, before its title', async () => {
    const { session } = await tempSession();
    try {
      const frame = plain(render(<StepList plan={session.plan} state={session.state} progress={progress(session.state, session.plan.steps)} cursor="S001" claimed={{ S002: 'alice' }} />).lastFrame());
      expect(frame).toContain('  [ ] S002 · alice Enable mixed mode');
      expect(frame).toContain('› [ ] S001 Upload the root CA');
      expect(frame).not.toMatch(/S001 ·/);
    } finally {
      await session.close();
    }
  });
});

describe('the row budget', () => {
  it('gives the presence line one row of the list and step view, only while it is shown', async () => {
    const { session } = await tempSession();
    try {
      const view = new WizardController(session).getView();
      const step = session.plan.steps[0]!;
      const alone = layout(24, view, step);
      const shown = layout(24, { ...view, presence: { line: 'also here: alice@host-b on S002 (claimed just now)', claimed: { S002: 'alice' } } }, step);
      const failed = layout(24, { ...view, presence: { problem: 'connection refused', claimed: {} } }, step);
      expect(shown.list + shown.view).toBe(alone.list + alone.view - 1);
      expect(failed.list + failed.view).toBe(alone.list + alone.view - 1);
      expect(layout(24, { ...view, presence: { claimed: {} } }, step)).toEqual(alone);
    } finally {
      await session.close();
    }
  });
});
