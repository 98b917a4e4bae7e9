// Child-process entry for test/inventory/bounded-input.test.ts (bundled with esbuild): the real
// CLI `main`, or `--load-cert FILE` for the certificate loader alone. Run under a memory cap, so
// an unbounded read ends in a kill, not in an exhausted machine.
import { main } from '../../src/cli.js';
import { CertFileError, loadFile } from '../../src/verify/cert/load.js';

const argv = process.argv.slice(2);
if (argv[0] === '--load-cert') {
  try {
    const l = await loadFile(argv[1] ?? '');
    process.stdout.write(`${l.kind}\n`);
  } catch (e) {
    if (!(e instanceof CertFileError)) throw e;
    process.stderr.write(`${e.message}\n`);
    process.exitCode = 1;
  }
} else {
  process.exitCode = await main(argv, { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd() });
}
