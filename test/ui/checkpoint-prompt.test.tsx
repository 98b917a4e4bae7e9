import { render } from 'ink-testing-library';
import { describe, expect, it, vi } from 'vitest';
import { CheckpointPrompt } from '../../src/ui/CheckpointPrompt.js';
import { wizardPlan } from '../wizard/fixtures.js';
import { keys, plain, tick, type, until } from './helpers.js';

const s3 = wizardPlan().steps[2]!;

describe('CheckpointPrompt', () => {
  it('asks the checkpoint question and reports y / n', async () => {
    const onAnswer = vi.fn();
    const { lastFrame, stdin } = render(<CheckpointPrompt state="ask" step={s3} via="run" onAnswer={onAnswer} onStop={vi.fn()} />);
    const frame = plain(lastFrame());
    expect(frame).toContain('Checkpoint · S003');
    expect(frame).toContain('Does show ctl list the records?');
    expect(frame).toContain('Check with: show ctl');
    expect(frame).toContain('Passed? y yes · n no · Esc later');
    await type(stdin, 'x', 'n', 'y');
    expect(onAnswer.mock.calls).toEqual([[false], [true]]);
  });

  it('offers the automatic check when the devices can be reached', async () => {
    const onVerify = vi.fn();
    const { lastFrame, stdin } = render(<CheckpointPrompt state="ask" step={s3} via="recheck" onAnswer={vi.fn()} onVerify={onVerify} onStop={vi.fn()} />);
    expect(plain(lastFrame())).toContain('Passed? y yes · n no · v run the automatic check · Esc later');
    await type(stdin, 'v');
    expect(onVerify).toHaveBeenCalledTimes(1);
  });

  it('says an interrupted step must be checked first', () => {
    const { lastFrame } = render(<CheckpointPrompt state="ask" step={s3} via="recheck" onAnswer={vi.fn()} onStop={vi.fn()} />);
    expect(plain(lastFrame())).toContain('This step was interrupted: it may or may not have run.');
  });

  it('ignores keys while verifying automatically', async () => {
    const onAnswer = vi.fn();
    const { lastFrame, stdin } = render(<CheckpointPrompt state="ask" step={s3} via="run" verifying onAnswer={onAnswer} onStop={vi.fn()} />);
    expect(plain(lastFrame())).toContain('Verifying automatically: show ctl…');
    await type(stdin, 'y');
    expect(onAnswer).not.toHaveBeenCalled();
  });

  it('after a failure offers retry, override with a reason, and stop', async () => {
    const onRetry = vi.fn();
    const onOverride = vi.fn();
    const onStop = vi.fn();
    const { lastFrame, stdin } = render(<CheckpointPrompt state="failed" step={s3} summary="CTL has 0 records" onRetry={onRetry} onOverride={onOverride} onStop={onStop} />);
    expect(plain(lastFrame())).toContain('Checkpoint failed · S003');
    expect(plain(lastFrame())).toContain('CTL has 0 records');
    expect(plain(lastFrame())).toContain('r retry the checkpoint · o override with a reason · s stop here');
    await type(stdin, 'r');
    expect(onRetry).toHaveBeenCalledTimes(1);
    await type(stdin, 'o');
    expect(plain(lastFrame())).toContain('Reason for the override');
    await type(stdin, keys.enter); // an empty reason is not accepted
    expect(onOverride).not.toHaveBeenCalled();
    await type(stdin, 'CTL checked ', 'by hand', keys.enter);
    expect(onOverride).toHaveBeenCalledWith('CTL checked by hand');
    // The choice keys come back once the reason field is gone.
    await until(() => plain(lastFrame()).includes('r retry the checkpoint'), 'the choices');
    await tick(50);
    await type(stdin, 's');
    expect(onStop).toHaveBeenCalledTimes(1);
  });
});
