// The checkpoint question, and what to do when it failed: retry, override with a recorded
// reason, or stop. A view: its keys (y/n/v/Esc; r/o/s) are read by the wizard screen's one key
// handler, against the controller's state at the moment of the key, so a key typed right after
// the `?` help closes is taken as it would be without the help (issue 12: a `y` typed then was
// lost while the prompt re-subscribed its own handler). Only the override reason's text field
// reads keys here.
import { Box } from 'ink';
import { Text } from './Text.js';
import type { PlannedStep } from '../plan/types.js';
import { allAnswered, type CheckpointVia, type Interruption } from '../wizard/types.js';
import { interruptionText } from '../wizard/messages.js';
import { TextInput } from './TextInput.js';
import { automaticCheckLabel, hasAutomaticCheck } from '../wizard/reach.js';

export type CheckpointPromptProps = {
  step: PlannedStep;
  isActive?: boolean;
} & (
  | {
      state: 'ask';
      via: CheckpointVia;
      verifying?: boolean;
      /** The automatic check can reach the devices (--live): v is offered. */
      canVerify?: boolean;
      /** With `recheck`: what the journal knows of the interrupted step (absent: nothing is known). */
      interruption?: Interruption;
    }
  | {
      state: 'failed';
      summary: string;
      /** A certificate check's verdict table per certificate: shown instead of the summary, one row per line. */
      table?: readonly string[];
      /** The step's back-out in one line, when b may mark it backed out (the step view lists it in full). */
      backout?: string;
      /** Rows the table may take; beyond them a line says how many more (the step view lists them all). */
      tableRows?: number;
      /** The override's reason is being typed: read at each key (the field is mounted, hidden, before it is opened). */
      reasoning?: () => boolean;
      /** The typed reason, as typed: an empty one is refused by the controller, which says a reason is required. */
      onOverride: (reason: string) => void;
      onCancelReason: () => void;
    }
);

const viaText: Record<Exclude<CheckpointVia, 'recheck'>, string> = {
  run: '',
  self: 'You did this step yourself. ',
  again: 'Re-check: a pass records it verified; a fail leaves it as it is (noted). ',
};

/**
 * An interrupted step: what the journal knows (a step every node answered ok, or one a rehearsal
 * started, is not "may or may not have run"); where it is in doubt, it is checked on the device first.
 */
function recheckText(k: Interruption | undefined): string {
  const known = k !== undefined && (k.kind === 'rehearsal' || allAnswered(k));
  return `${interruptionText('This step', k)}. ${known ? '' : 'Check it on the device before anything else. '}`;
}

export function CheckpointPrompt(props: CheckpointPromptProps) {
  const { step, isActive = true } = props;
  if (props.state === 'ask')
    return (
      <Box flexDirection="column" borderStyle="round" borderColor="cyan" paddingX={1}>
        <Text bold>Checkpoint · {step.id}</Text>
        <Text>
          {props.via === 'recheck' ? recheckText(props.interruption) : viaText[props.via]}
          {step.checkpoint.question}
        </Text>
        {props.verifying === true ? (
          <Text color="cyan">Verifying automatically: {automaticCheckLabel(step)}…</Text>
        ) : (
          <>
            {hasAutomaticCheck(step) ? <Text dimColor>Check with: {automaticCheckLabel(step)}</Text> : null}
            <Text>
              Passed? <Text bold>y</Text> yes · <Text bold>n</Text> no
              {props.canVerify === true ? (
                <>
                  {' '}
                  · <Text bold>v</Text> run the automatic check
                </>
              ) : null}{' '}
              · <Text bold>Esc</Text> later
            </Text>
          </>
        )}
      </Box>
    );
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="red" paddingX={1}>
      <Text bold color="red">
        Checkpoint failed · {step.id}
      </Text>
      {props.table === undefined ? <Text>{props.summary}</Text> : <VerdictTable rows={props.table} max={props.tableRows ?? props.table.length} />}
      {/* Mounted from the start, shown once o opens it: the reason typed right after o reaches it. */}
      <Box display={props.reasoning?.() === true ? 'flex' : 'none'}>
        <TextInput
          label="Reason for the override (recorded for the change board):"
          // An empty reason is refused with a message and the field stays for another attempt.
          onSubmit={(reason) => props.onOverride(reason)}
          onCancel={props.onCancelReason}
          isActive={isActive}
          accepts={() => props.reasoning?.() === true}
        />
      </Box>
      {props.backout !== undefined && props.reasoning?.() !== true ? (
        <Text wrap="truncate-end">
          <Text bold>Back-out:</Text> {props.backout}
        </Text>
      ) : null}
      {props.reasoning?.() === true ? null : (
        <Text>
          <Text bold>r</Text> retry the checkpoint · <Text bold>o</Text> override with a reason
          {props.backout !== undefined ? (
            <>
              {' '}
              · <Text bold>b</Text> backed out (reason)
            </>
          ) : null}{' '}
          · <Text bold>s</Text> stop here
        </Text>
      )}
    </Box>
  );
}

/** The verdict rows, one terminal row each (cut, never wrapped), within `max` rows. */
function VerdictTable({ rows, max }: { rows: readonly string[]; max: number }) {
  const shown = rows.length > max ? rows.slice(0, Math.max(1, max - 1)) : rows;
  return (
    <Box flexDirection="column">
      {shown.map((r, i) => (
        <Text key={`${i}-${r}`} wrap="truncate-end" color={/^ {2}FAIL /.test(r) || r.includes(': NOT ') ? 'red' : /^ {2}WARN /.test(r) ? 'yellow' : undefined}>
          {r}
        </Text>
      ))}
      {shown.length < rows.length ? <Text dimColor>… {rows.length - shown.length} more row(s): s, then the step view lists every verdict</Text> : null}
    </Box>
  );
}
