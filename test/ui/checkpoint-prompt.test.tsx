import { render } from 'ink-testing-library';
import { describe, expect, it, vi } from 'vitest';
import { CheckpointPrompt } from '../../src/ui/CheckpointPrompt.js';
import { wizardPlan } from '../wizard/fixtures.js';
import { keys, plain, type } from './helpers.js';

const s3 = wizardPlan().steps[2]!;

// The prompt is a view: its y/n/v/Esc and r/o/s keys are the wizard screen's (checkpoint-keys.test.tsx).
describe('CheckpointPrompt', () => {
  it('asks the checkpoint question with its keys', () => {
    const frame = plain(render(<CheckpointPrompt state="ask" step={s3} via="run" />).lastFrame());
    expect(frame).toContain('Checkpoint · S003');
    expect(frame).toContain('Does show ctl list the records?');
    expect(frame).toContain('Check with: show ctl');
    expect(frame).toContain('Passed? y yes · n no · Esc later');
  });

  it('offers the automatic check when the devices can be reached', () => {
    expect(plain(render(<CheckpointPrompt state="ask" step={s3} via="recheck" canVerify />).lastFrame())).toContain('Passed? y yes · n no · v run the automatic check · Esc later');
  });

  it('says an interrupted step must be checked first', () => {
    expect(plain(render(<CheckpointPrompt state="ask" step={s3} via="recheck" />).lastFrame())).toContain('This step was interrupted: it may or may not have run.');
  });

  it('shows the automatic check running', () => {
    expect(plain(render(<CheckpointPrompt state="ask" step={s3} via="run" verifying />).lastFrame())).toContain('Verifying automatically: show ctl…');
  });

  it('after a failure offers retry, override with a reason, and stop; the reason field hands over what was typed', async () => {
    const onOverride = vi.fn();
    const failed = render(<CheckpointPrompt state="failed" step={s3} summary="CTL has 0 records" onOverride={onOverride} onCancelReason={vi.fn()} />);
    expect(plain(failed.lastFrame())).toContain('Checkpoint failed · S003');
    expect(plain(failed.lastFrame())).toContain('CTL has 0 records');
    expect(plain(failed.lastFrame())).toContain('r retry the checkpoint · o override with a reason · s stop here');
    const reasoning = render(<CheckpointPrompt state="failed" step={s3} summary="CTL has 0 records" reasoning={() => true} onOverride={onOverride} onCancelReason={vi.fn()} />);
    expect(plain(reasoning.lastFrame())).toContain('Reason for the override');
    await type(reasoning.stdin, 'CTL checked ', 'by hand', keys.enter);
    expect(onOverride).toHaveBeenCalledWith('CTL checked by hand');
  });
});
