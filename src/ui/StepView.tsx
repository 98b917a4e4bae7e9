// One step in full: what and why, its targets, the exact lines per node with the device's
// expected questions (a pasted file as its name and sha256), the GUI path with a field → value
// table, the chapter's warnings, missing preconditions, the checkpoint, and the step's notes.
import { Box } from 'ink';
import { Text } from './Text.js';
import type { RenderedGui, PlannedStep } from '../plan/types.js';
import type { StepRecord, StepStatus } from '../session/index.js';
import { backoutBlocks, certificateCheckHint, displayStatus, exchangeLines, statusLabel, statusMark, stepWarnings, targetLabel } from '../wizard/view-model.js';
import { statusColor } from './status-style.js';
import { automaticCheckLabel, hasAutomaticCheck } from '../wizard/reach.js';
import { actionNote, REHEARSAL, stepTodo, type TaskMode } from '../wizard/step-task.js';

export interface StepViewProps {
  step: PlannedStep;
  status: StepStatus;
  record?: StepRecord;
  /** Required steps not yet verified. */
  missing?: readonly string[];
  flagged?: boolean;
  /** Rehearsal, live, local steps run here: what the "To do" line says. */
  mode?: TaskMode;
}

function Gui({ gui }: { gui: RenderedGui }) {
  const width = Math.max(0, ...gui.fields.map((f) => f.field.length));
  return (
    <Box flexDirection="column" marginLeft={2}>
      <Text>
        <Text bold>GUI:</Text> {gui.path.join(' > ')}
      </Text>
      {gui.fields.map((f) => (
        <Text key={f.field}>
          {'  '}
          {f.field.padEnd(width)} │ <Text color="cyan">{f.value}</Text>
        </Text>
      ))}
      {gui.notes.map((n) => (
        <Text key={n}>  {n}</Text>
      ))}
    </Box>
  );
}

/**
 * The back-out, as the plan prints it (issue 12: the wizard showed none): the step's own, or
 * each target's where they differ. Lines to type are cyan like the step's own commands.
 */
function Backout({ step }: { step: PlannedStep }) {
  const blocks = backoutBlocks(step);
  if (blocks.length === 0) return null;
  return (
    <Box flexDirection="column">
      <Text bold>Back-out:</Text>
      {blocks.map((b, i) => (
        <Box key={`${b.target ?? ''}-${i}`} flexDirection="column">
          {b.target !== undefined ? <Text dimColor>  on {b.target}:</Text> : null}
          {b.backout.text.map((t) => (
            <Text key={t}>  ↩ {t}</Text>
          ))}
          {b.backout.commands.map((c, j) => (
            <Text key={`${j}-${c}`} color="cyan">
              {'    '}
              {c}
            </Text>
          ))}
        </Box>
      ))}
    </Box>
  );
}

type Details = NonNullable<NonNullable<StepRecord['history'][number]['checkpoint']>['details']>;
const rank = (d: Details[number]): number => ['FAIL', 'WARN', '', 'PASS'].indexOf(/^(FAIL|WARN|PASS) /.exec(d.text ?? '')?.[1] ?? '');
/** Failures first, then warnings, so what needs fixing is on screen without scrolling. */
const certificateDetails = (details: Details | undefined): Details => [...(details ?? [])].sort((a, b) => rank(a) - rank(b));

export function StepView({ step, status, record, missing = [], flagged = false, mode = REHEARSAL }: StepViewProps) {
  const st = displayStatus(status);
  const last = record?.history.at(-1);
  const notes = record?.notes ?? [];
  return (
    <Box flexDirection="column">
      <Text bold>
        {step.id} {step.title} <Text color={statusColor[st]}>{statusMark[st]} {statusLabel[st]}</Text>
      </Text>
      <Text dimColor>
        {step.product} · {step.kind}
        {step.source !== undefined ? ` · chapter ${step.source}` : ''}
      </Text>
      <Text>{step.summary}</Text>
      {last?.reason !== undefined ? <Text dimColor>Reason recorded: {last.reason}</Text> : null}
      {flagged ? <Text color="yellow">Its commands changed after it was {status}: check the device still matches.</Text> : null}
      {missing.length > 0 ? (
        <Text color="red">Cannot start yet: first verify {missing.join(', ')}.</Text>
      ) : null}
      {stepWarnings(step).map((w) => (
        <Text key={w} color="yellow">
          ! {w}
        </Text>
      ))}
      {step.actions.map((a, i) => (
        <Box key={`${a.target}-${i}`} flexDirection="column">
          <Text>
            <Text bold>On {targetLabel(a)}</Text>
            {a.configMode === true ? ' (configuration mode)' : ''}
            {actionNote(step, a)}
          </Text>
          {a.exchanges.flatMap((x, j) =>
            exchangeLines(x, a).map((l, k) => (
              <Text key={`${j}-${k}`} color={k === 0 ? 'cyan' : undefined}>
                {'    '}
                {l}
              </Text>
            )),
          )}
          {a.gui ? <Gui gui={a.gui} /> : null}
        </Box>
      ))}
      {step.gui ? <Gui gui={step.gui} /> : null}
      {step.instructions.map((x) => (
        <Text key={x}>- {x}</Text>
      ))}
      <Text>
        <Text bold>To do:</Text> {stepTodo(step, mode)}
      </Text>
      <Text>
        <Text bold>Checkpoint:</Text> {step.checkpoint.question}
      </Text>
      {hasAutomaticCheck(step) ? <Text dimColor>  automatic check: {automaticCheckLabel(step)}</Text> : null}
      {step.checkpoint.certificate !== undefined ? <Text dimColor>  certificate check: {certificateCheckHint(step)}</Text> : null}
      {last?.checkpoint?.method === 'certificate' ? (
        <Box flexDirection="column">
          <Text bold>Last certificate check ({last.checkpoint.outcome}):</Text>
          {certificateDetails(last.checkpoint.details).map((d, i) => (
            <Text key={`${i}-${d.text ?? ''}`} color={d.outcome === 'failed' ? 'red' : d.text?.startsWith('WARN') === true ? 'yellow' : undefined}>
              {'  '}
              {d.target}: {d.text}
            </Text>
          ))}
        </Box>
      ) : null}
      <Backout step={step} />
      {notes.length > 0 ? (
        <Box flexDirection="column">
          <Text bold>Notes ({notes.length}):</Text>
          {notes.slice(-3).map((n) => (
            <Text key={n.at + n.text}>
              {'  '}
              {n.at.slice(0, 16).replace('T', ' ')} {n.user}: {n.text}
            </Text>
          ))}
        </Box>
      ) : null}
    </Box>
  );
}
