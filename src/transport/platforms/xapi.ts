// Cisco Expressway (and VCS) admin SSH: the xAPI shell (xStatus / xConfiguration / xCommand).
// Facts from ../shared/spec/cli-facts.md §4, whose source is netmiko's CiscoTpTcCeSSH
// (ktbyers/netmiko netmiko/cisco/cisco_tp_tcce.py, "Also working for Cisco Expressway/VCS").
// collabsec only reads here (xStatus / xConfiguration without a value): see
// src/verify/parsers/expressway.ts and the read-only test.
import type { PlatformSpec } from './types.js';

/** Lines that end an xAPI response (cisco_tp_tcce.py strip_prompt: `^(OK|ERROR|Command not recognized\.)$`). */
export const XAPI_TERMINATOR = /^(?:OK|ERROR|Command not recognized\.)$/;

export const xapi: PlatformSpec = {
  name: 'xapi',
  // cisco_tp_tcce.py set_base_prompt/find_prompt: "Use 'OK' as base_prompt" — the shell prints no
  // prompt; `OK` ends a good response. The mode name is ours.
  prompts: [{ mode: 'xapi', pattern: /^OK$/ }],
  privilegedModes: ['xapi'],
  // cisco_tp_tcce.py disable_paging: "Paging is disabled by default."
  paging: [],
  // cisco_tp_tcce.py send_command expect_string: RETURN + (OK|ERROR|Command not recognized\.) + RETURN,
  // i.e. the terminator on a line of its own followed by a line end.
  responseEnd: /(?:^|\n)(?:OK|ERROR|Command not recognized\.)\n$/,
  // The same terminators: ERROR and "Command not recognized." fail the command.
  failureMarkers: [/^ERROR$/m, /^Command not recognized\.$/m],
  // [I] A read (xStatus / xConfiguration) asks nothing; any question stops the step.
  questions: [/\((?:y\/n|yes\/no)\)\s*[?:]?\s*$/i],
  questionSettleMs: 400,
  weakQuestions: [/\?\s*$/],
  weakQuestionSettleMs: 2_000,
  init: [],
  firstPromptTimeoutMs: 30_000,
  // cisco_tp_tcce.py session_preparation: _test_channel_read (any banner), then clear_buffer —
  // no prompt is awaited. We wait until the banner has been quiet this long.
  nudgeAfterMs: 1_000,
  pasteTerminator: '',
  answerCharDelayMs: 0,
  // cisco_tp_tcce.py __init__: default_enter '\r\n'.
  enter: '\r\n',
  // [I] No logout command is cited for Expressway: an empty line (harmless) and the channel is closed.
  exit: '',
};
