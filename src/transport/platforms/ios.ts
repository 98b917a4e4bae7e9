// Cisco IOS / IOS-XE (CUBE, gateways). Facts cited from ../shared/spec/cli-facts.md §2.
import type { PlatformSpec } from './types.js';

export const ios: PlatformSpec = {
  name: 'ios',
  // §2.1 prompts `Router>`, `Router#`, `Router(config)#`, `Router(ca-trustpoint)#`, … with the
  // suggested regex `^[\w.\-]+(\([\w\-]+\))?[>#]\s*$`.
  prompts: [
    { mode: 'config', pattern: /^[\w.-]+\([\w-]+\)#\s*$/ },
    { mode: 'privileged', pattern: /^[\w.-]+#\s*$/ },
    { mode: 'user', pattern: /^[\w.-]+>\s*$/ },
  ],
  privilegedModes: ['privileged', 'config'],
  // §2.1: `?` anywhere in a line shows context help instead of running it.
  forbiddenChars: [{ char: '?', why: 'would trigger IOS context help' }],
  paging: [
    // §2.1 `--More--` appears only if `terminal length 0` did not take effect.
    { pattern: /--More--\s*$/, keys: ' ', why: 'more output' },
  ],
  failureMarkers: [
    /% Invalid input detected/, // §2.1 error marker
    /% Incomplete command/, // [I] sibling parser errors of the same family
    /% Ambiguous command/, // [I]
    /% Unknown command/, // [I]
    // [I] error lines of the PKI dialogues (§2.3–§2.5 give only the success texts); a `%` line
    // that is information ("% Generating …", "% Certificate successfully imported") matches none.
    /^% ?Error\b/m, // e.g. "% Error in receiving Certificate Authority certificate."
    /% Could not find trustpoint/,
    /% You must authenticate the Certificate Authority/,
    /% (?:CA )?[Cc]ertificate (?:was )?not accepted/,
    /% (?:Bad secrets|Access denied)/, // enable refused
  ],
  questions: [
    /\[(?:yes\/no|no|yes|confirm)\]\s*:?\s*$/i, // §2.2 "[yes/no]:", §2.4 "[no]:", copy/reload "[confirm]"
    /End with a blank line or the word "quit" on a line by itself\s*$/, // §2.3/§2.5 paste prompt
    /\[\d+\]\s*:\s*$/, // §2.2 "How many bits in the modulus [512]:"
    /Password:\s*$/, // [I] enable/login password prompts
  ],
  questionSettleMs: 400,
  weakQuestions: [/\?\s*$/, /:\s*$/],
  weakQuestionSettleMs: 2_000,
  init: ['terminal length 0', 'terminal width 0'], // §2.1
  firstPromptTimeoutMs: 30_000,
  nudgeAfterMs: 3_000,
  pasteTerminator: '', // §2.3 "End with a blank line or the word "quit""
  answerCharDelayMs: 0,
  // §2.1 `configure terminal` … `end`; `write memory` prints `Building configuration...` then `[OK]`.
  config: { enter: 'configure terminal', exit: 'end', save: 'write memory', saveOk: /\[OK\]/ },
  // §2.3 "Certificate has the following attributes:" + "Fingerprint MD5: …" + "Fingerprint
  // SHA1: …" → "% Do you accept this certificate? [yes/no]:". The hex grouping (8-digit groups,
  // upper case, as the lab prints) is [I]: any grouping, separators or case is accepted.
  pasteConfirm: {
    question: /Do you accept this certificate\?/,
    fingerprints: [
      { algo: 'md5', pattern: /Fingerprint MD5:\s*([0-9A-Fa-f][0-9A-Fa-f: ]*)/ },
      { algo: 'sha1', pattern: /Fingerprint SHA1:\s*([0-9A-Fa-f][0-9A-Fa-f: ]*)/ },
    ],
    reject: 'no',
  },
  // §2.1 `Router>` is user EXEC and cannot configure; `enable` leads to `Router#`. The
  // `Password:` prompt of enable and its refusals (`% Access denied`, `% Bad secrets`, `% No password set`) are [I]
  // (standard IOS behaviour, not in the sources consulted).
  escalate: { fromMode: 'user', command: 'enable', passwordPrompt: /Password:\s*$/, denied: [/% Access denied/, /% Bad secrets/, /% No password set/] },
  exit: 'exit',
};
