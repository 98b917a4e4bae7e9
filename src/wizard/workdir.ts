// Where a session's local files go. Its own module: the wizard names the folder before its first
// frame, and local-steps.ts (which runs openssl through execa) loads only with --live.
import { basename, dirname, join } from 'node:path';

/** `<session folder>/workdirs/<session name>/`, as transcripts live in `<session folder>/transcripts/<name>/`. */
export function localWorkdir(sessionFile: string): string {
  return join(dirname(sessionFile), 'workdirs', basename(sessionFile, '.json'));
}
