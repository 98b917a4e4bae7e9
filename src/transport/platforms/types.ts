// A platform is data (scrapli keeps platforms as data, even YAML in v2): prompt patterns per
// mode, paging prompts with their answers, failure markers, the shapes of questions, and the
// session-init commands. The pure decision function in decide.ts reads it; the IO loop in
// shell.ts/executor.ts only acts on decisions.

export interface PagingRule {
  /** Matched against the unconsumed output tail. */
  pattern: RegExp;
  /** Key(s) sent without a newline (a space for "next page", `q` to leave a viewer). */
  keys: ' ' | 'q' | 'n';
  why: string;
}

/**
 * How a platform restarts its services and says they are back (VOS, cli-facts §1.6): read by the
 * rolling runner's health gate and by the wizard's live port, which know no platform by name.
 */
export interface ServiceFacts {
  /** A line that restarts one service; group 1 is the service's name. */
  restartLine: RegExp;
  /** The health gate: a read-only command and the verify parser that says its services are STARTED. */
  health: { command: string; parser: string };
  /** Per-service start times, read-only: a row of `command`'s output, group 1 the start time, group 2 the service. */
  startTimes: { command: string; row: RegExp };
  /**
   * Services whose restart drops phone registrations or configuration downloads, and the
   * read-only command (and its count) that says how many phones are registered again.
   */
  phones: { services: string[]; command: string; count: (output: string) => number | undefined };
  /** Services of which one node per cluster keeps running, whatever `--parallel` says. */
  oneNodePerCluster: string[];
}

export interface PlatformSpec {
  name: 'vos' | 'ios' | 'mmp' | 'xapi';
  /**
   * Characters a line typed on this platform may not hold, beyond the control characters every
   * platform refuses (decide.ts lineProblem), each with the reason shown when a line is refused.
   */
  forbiddenChars?: { char: string; why: string }[];
  /** Service restarts and the health gate after them; absent: no gate (the node is healthy when its lines ran). */
  services?: ServiceFacts;
  /** Prompt per mode; tested against the last line of normalised output (no trailing newline). */
  prompts: { mode: string; pattern: RegExp }[];
  /** Modes in which commands may be sent (e.g. IOS user exec `>` cannot configure). */
  privilegedModes: string[];
  paging: PagingRule[];
  /** Any of these anywhere in a command's output fails the command, even if the prompt returns. */
  failureMarkers: RegExp[];
  /**
   * Shapes of a question waiting for input, tested against the last, unterminated line once the
   * device has been quiet for `questionSettleMs`. A question that no dialogue entry declares
   * stops the step: nothing is ever answered blindly.
   */
  questions: RegExp[];
  questionSettleMs: number;
  /**
   * Catch-all shapes (a line ending in ':' or '?') that ordinary output can also take for a
   * moment; they count only after a longer silence, so a pause mid-listing is not a question.
   */
  weakQuestions: RegExp[];
  weakQuestionSettleMs: number;
  /**
   * A shell without a prompt (the Expressway xAPI): every response ends with a terminator line
   * instead. Tested against the whole unconsumed output of a command; a match ends the command as
   * a prompt would. The session is ready once the login banner has gone quiet for nudgeAfterMs.
   */
  responseEnd?: RegExp;
  /** Line ending typed after each line (default "\n"). */
  enter?: string;
  /** Commands sent once after the first prompt. */
  init: string[];
  /** Wait for the first prompt, and when to nudge with an empty line if nothing came. */
  firstPromptTimeoutMs: number;
  nudgeAfterMs: number;
  /** Default line after a pasted PEM when the dialogue gives none. */
  pasteTerminator: string;
  /** Delay between characters of a short dialogue answer (y/n, yes/no). */
  answerCharDelayMs: number;
  config?: { enter: string; exit: string; save: string; saveOk: RegExp };
  /**
   * After a pasted certificate the device shows its fingerprints and asks whether to accept it
   * (IOS `crypto pki authenticate`, cli-facts §2.3). The executor compares the shown
   * fingerprints with the pasted file's and answers `reject` (and fails the step) unless they
   * match; the declared answer is typed only on a match.
   */
  pasteConfirm?: {
    /** The acceptance question (tested against the dialogue entry's `expect` and the device text). */
    question: RegExp;
    /** Fingerprint lines; group 1 is the hex value, in any grouping or case. */
    fingerprints: { algo: 'md5' | 'sha1'; pattern: RegExp }[];
    reject: string;
  };
  /** Leaving an unprivileged mode after login (IOS `enable`), answering its password prompt. */
  escalate?: { fromMode: string; command: string; passwordPrompt: RegExp; denied: RegExp[] };
  exit: string;
  /**
   * SSH algorithms beyond ssh2's defaults that this platform's older releases need; appended to
   * the defaults (never replacing them) for this platform only, so a modern node still
   * negotiates modern algorithms first and other platforms are never offered these. When one of
   * them is negotiated, the connection says so.
   */
  sshLegacy?: SshAlgorithms & { source: string };
}

/** Algorithm names as ssh2 spells them, per negotiation slot. */
export interface SshAlgorithms {
  kex: string[];
  cipher: string[];
  serverHostKey: string[];
  hmac: string[];
}
