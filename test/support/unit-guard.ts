// Setup file of the `unit` project (vitest.config.ts): a unit test may not start a child process
// or listen on a socket. Those tests belong in the `system` project, which runs its files one at
// a time; in `unit` they would share 2 cores with everything else and slow the quick answer down.
// The guard replaces node's process starters and net.Server#listen (which http, https, tls and
// ssh2's Server all go through) in this worker only, so such a test fails at once and says why.
import { createRequire, syncBuiltinESMExports } from 'node:module';

const require = createRequire(import.meta.url);
const childProcess = require('node:child_process') as Record<string, unknown>;
const net = require('node:net') as typeof import('node:net');

export const UNIT_GUARD_MESSAGE = 'a unit test may not start a process or a server: list the file in SYSTEM_FILES in vitest.config.ts';

function refuse(what: string): never {
  throw new Error(`${what}: ${UNIT_GUARD_MESSAGE}`);
}

for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']) {
  childProcess[name] = () => refuse(`child_process.${name}`);
}
net.Server.prototype.listen = function listen(): never {
  return refuse('net.Server#listen');
};
// `import { spawn } from 'node:child_process'` (execa, esbuild, the tests) sees the replacements too.
syncBuiltinESMExports();
