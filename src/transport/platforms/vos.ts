// Cisco VOS admin CLI (Unified CM, IM and Presence, Unity Connection, PCD). Every pattern cites
// the fact in ../shared/spec/cli-facts.md it relies on.
import { registeredPhoneCount } from '../../verify/parsers/vos.js';
import type { PlatformSpec } from './types.js';

export const vos: PlatformSpec = {
  name: 'vos',
  // §1.1 "Prompt is `admin:`" whatever the user name; match `admin:` specifically because output
  // lines like "Paste the Certificate and Hit Enter" or "(y/n):" also end in ':' (§1.1 regexes).
  prompts: [{ mode: 'admin', pattern: /^admin:\s*$/ }],
  privilegedModes: ['admin'],
  paging: [
    // §1.2 paging prompt 1 (long show output): unicon answers with a space.
    { pattern: /Press <enter> for 1 line, <space> for one page, or <q> to quit\s*$/, keys: ' ', why: 'more output' },
    // §1.2 paging prompt 2 (file viewer): appears even at the end; `n` pages on, `q` is needed to
    // get `admin:` back. We page with `n` until "end of the file reached", then quit.
    { pattern: /end of the file reached[\s\S]*options: q=quit[^\n]*:\s*$/, keys: 'q', why: 'viewer at end' },
    { pattern: /options: q=quit, n=next, p=prev, b=begin, e=end \(lines \d+ - \d+ of \d+\) :\s*$/, keys: 'n', why: 'viewer page' },
  ],
  failureMarkers: [
    /Executed command unsuccessfully/, // §1.1 generic failure marker
    /\[FAILED\]/, // §1.6 service restart failure (netssl)
    /^\s*Error(?: |:)/m, // §6.6 recommendation: treat "Error" as failure (e.g. "Error parsing the CTL File." is handled by the verify parser, not here)
    /Invalid command/i, // [I] VOS answers an unknown command with "Executed command unsuccessfully"/"Invalid command"
  ],
  questions: [
    /\((?:y\/n|yes\/no|yes\|no)\)\s*[?:]?\s*$/i, // §1.4 "(y/n):", §1.3 "(yes|no)?", §5 devnet "(yes/no) ?"
    /Paste the Certificate and Hit Enter\s*$/i, // §1.3 paste prompt
    /Please answer 'y' for <yes> or 'n' for <no>:\s*$/, // §5 asyncssh client y/n wording
  ],
  questionSettleMs: 400,
  // §1.3 "Enter the Common Name of Default CA Certificate :" — any other line ending in ':' that
  // is not `admin:`, or in '?' ("Proceed with regeneration (yes|no)?" is caught above).
  weakQuestions: [/:\s*$/, /\?\s*$/],
  weakQuestionSettleMs: 2_000,
  init: ['set cli pagination off'], // §1.2 (unicon's session-init command)
  services: {
    restartLine: /^utils service restart (.+)$/, // §1.6 `utils service restart <Service Name>`
    // §1.6 `utils service list`: `<Service Name>[STARTED]`; the default gate wants every activated service STARTED.
    health: { command: 'utils service list', parser: 'vos-services-started' },
    // [I] per-service start times (see src/lab/vos-ops.ts processList: no cited VOS command prints one).
    startTimes: { command: 'show process list detail', row: /^\s*\d+\s+(\S+)\s+(.+?)\s*$/ },
    // review-2026 B.2: a CallManager or TFTP restart drops registrations or configuration downloads;
    // `show risdb query phone` counts the registered phones (the review names it; [I] its output
    // layout: see registeredPhoneCount and src/lab/vos-ops.ts risdbPhones).
    phones: { services: ['Cisco CallManager', 'Cisco Tftp'], command: 'show risdb query phone', count: registeredPhoneCount },
    // review-2026 B.2: one CallManager node of each cluster keeps running.
    oneNodePerCluster: ['Cisco CallManager'],
  },
  // §1.1 timing: prompt at +8.6 s in a real log; recommendation 60–90 s, nudge after 3–5 s.
  firstPromptTimeoutMs: 90_000,
  nudgeAfterMs: 4_000,
  pasteTerminator: '', // §1.3 paste the PEM, then one extra Enter (blank line)
  answerCharDelayMs: 500, // §1.1 devnet-ansible types confirmation answers one character at a time, 0.5 s apart
  exit: 'exit', // §1.1 "Exit: send `exit` then close the channel"
  // §1.1 "Older VOS (OpenSSH 5.3 on 11.5) needs legacy algorithms": the lists netssl offers
  // (kex group14-sha1 / group-exchange-sha1, aes*-cbc / 3des-cbc, ssh-rsa, hmac-sha1), appended
  // to ssh2's defaults as §1.1 says. (ssh-rsa and hmac-sha1 are already among ssh2 1.x's
  // defaults; listed here so a VOS node keeps them whatever those defaults become.)
  sshLegacy: {
    kex: ['diffie-hellman-group14-sha1', 'diffie-hellman-group-exchange-sha1'],
    cipher: ['aes128-cbc', 'aes192-cbc', 'aes256-cbc', '3des-cbc'],
    serverHostKey: ['ssh-rsa'],
    hmac: ['hmac-sha1'],
    source: 'cli-facts §1.1: older VOS (OpenSSH 5.3 on 11.5) needs legacy algorithms',
  },
};
