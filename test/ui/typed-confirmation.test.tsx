import { render } from 'ink-testing-library';
import { describe, expect, it, vi } from 'vitest';
import { TypedConfirmation } from '../../src/ui/TypedConfirmation.js';
import { keys, plain, type } from './helpers.js';

describe('TypedConfirmation', () => {
  it('shows the warnings first, refuses a wrong word, confirms the exact word', async () => {
    const onConfirm = vi.fn();
    const onCancel = vi.fn();
    const { lastFrame, stdin } = render(
      <TypedConfirmation title="S022 Enable mixed mode" warnings={['Disruptive: endpoints reset.', 'Run on the publisher only.']} expected="us-cm-pub" onConfirm={onConfirm} onCancel={onCancel} />,
    );
    const lines = plain(lastFrame()).split('\n');
    const warn = lines.findIndex((l) => l.includes('! Disruptive: endpoints reset.'));
    const ask = lines.findIndex((l) => l.includes('To go on, type us-cm-pub and press Enter'));
    expect(warn).toBeGreaterThan(0);
    expect(ask).toBeGreaterThan(warn);
    await type(stdin, 'y', keys.enter);
    expect(onConfirm).not.toHaveBeenCalled();
    expect(plain(lastFrame())).toContain('"y" is not "us-cm-pub".');
    await type(stdin, 'us-cm-pu', 'x', keys.backspace, 'b');
    expect(plain(lastFrame())).toContain('Confirm: us-cm-pub');
    await type(stdin, keys.enter);
    expect(onConfirm).toHaveBeenCalledWith('us-cm-pub');
    await type(stdin, keys.escape);
    expect(onCancel).toHaveBeenCalled();
  });
});
