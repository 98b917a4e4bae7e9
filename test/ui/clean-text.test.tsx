// Issue 19: a journal note, user or reason, a device line or a label carrying an escape sequence
// (an OSC that retitles the terminal), a bidi override (U+202E) or a zero-width space never
// reaches the ink frame. The TUI's one choke point is src/ui/Text.tsx.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { CheckpointPrompt } from '../../src/ui/CheckpointPrompt.js';
import { StepList } from '../../src/ui/StepList.js';
import { StepView } from '../../src/ui/StepView.js';
import { Text } from '../../src/ui/Text.js';
import { step, wizardPlan } from '../wizard/fixtures.js';

const OSC = '\u001b]0;x\u0007';
const RLO = '\u202e';
const ZWSP = '\u200b';
const evil = (s: string): string => `${s}${OSC}${RLO}${ZWSP}`;

/** The raw frame (ink's own SGR colours stay; nothing else may). */
function assertInert(frame: string | undefined): string {
  const f = frame ?? '';
  expect(f).not.toContain('\u001b]');
  expect(f).not.toContain(RLO);
  expect(f).not.toContain(ZWSP);
  expect(f).not.toMatch(/[\u0080-\u009f]/);
  return f;
}

describe('the TUI renders no control characters from a journal, a device or a label', () => {
  it('StepView: a note, its user, a recorded reason and a certificate detail', () => {
    const record = {
      id: 'S001',
      title: 't',
      product: 'cucm',
      commandsHash: 'h',
      history: [
        {
          status: 'failed' as const,
          at: '2026-01-01T10:00:00Z',
          user: evil('mallory'),
          reason: evil('because'),
          checkpoint: { method: 'certificate' as const, outcome: 'failed' as const, details: [{ target: evil('us-cm-pub'), outcome: 'failed' as const, text: evil('FAIL expired') }] },
        },
      ],
      notes: [{ at: '2026-01-02T09:30:00Z', user: evil('alice'), text: evil('CHG-42 approved') }],
    };
    const s = step('S001', { title: evil('Upload'), summary: evil('Summary'), instructions: [evil('Do it')] });
    const f = assertInert(render(<StepView step={s} status="failed" record={record} />).lastFrame());
    expect(f).toContain('alice');
    expect(f).toContain('CHG-42 approved');
    expect(f).toContain('because');
    expect(f).toContain('FAIL expired');
  });

  it('StepList: step titles', () => {
    const plan = wizardPlan();
    const titled = { ...plan, steps: plan.steps.map((x) => ({ ...x, title: evil(x.title) })) };
    const progress = { done: 0, total: titled.steps.length, byStatus: { interrupted: 0, failed: 0 }, byProduct: [] } as never;
    const state = { steps: {} } as never;
    const f = assertInert(render(<StepList plan={titled} state={state} progress={progress} cursor="S001" />).lastFrame());
    expect(f).toContain('Upload the root CA');
  });

  it('CheckpointPrompt: a failure summary from the device', () => {
    const f = assertInert(
      render(<CheckpointPrompt state="failed" step={step('S001')} summary={evil('tomcat: no such cert')} onOverride={() => undefined} onCancelReason={() => undefined} />).lastFrame(),
    );
    expect(f).toContain('tomcat: no such cert');
  });

  it('Text keeps line breaks, nested Text and numbers; C1 CSI and a lone ESC sequence go too', () => {
    const f = assertInert(
      render(
        <Text>
          a{'\u009b31m'}b {3} <Text bold>{evil('c')}</Text>
          {['x\u001b[2J', 'y\nz'].map((t) => (
            <Text key={t}>{t}</Text>
          ))}
        </Text>,
      ).lastFrame(),
    );
    expect(f).not.toContain('\u001b[2J');
    expect(f).toContain('ab 3');
    expect(f).toContain('y\nz');
  });

  it('every src/ui component takes Text from src/ui/Text.tsx, not from ink', () => {
    const dir = path.join(import.meta.dirname, '../../src/ui');
    for (const file of fs.readdirSync(dir).filter((n) => n.endsWith('.tsx') && n !== 'Text.tsx')) {
      const src = fs.readFileSync(path.join(dir, file), 'utf8');
      const fromInk = /import\s*\{([^}]*)\}\s*from\s*'ink'/.exec(src)?.[1] ?? '';
      expect(fromInk.split(',').map((x) => x.trim()), file).not.toContain('Text');
    }
  });
});
