// `collabsec lab`: start the simulated devices and run until SIGINT/SIGTERM. ssh2 and the lab are
// loaded with import() so the command table stays light (eslint layer rule for commands).
import { parseArgs } from 'node:util';
import { ExitCode } from '../errors.js';
import type { Command, Io } from './types.js';

const usage = `Usage: collabsec lab [--inventory-out FILE] [--known-hosts-out FILE] [--json]

Start simulated devices on 127.0.0.1 — every SSH node of the example: Unified CM publisher,
subscribers and TFTP node, IM and Presence, Unity Connection, PCD (VOS), the CUBE and the SRST
router (IOS), each Meeting Server node (MMP), each Expressway-C/E peer (admin SSH, read-only
xConfiguration) — and keep them running until Ctrl-C. Writes an inventory (from
examples/ent-pa.yaml, with every SSH target rewritten to a simulator) and a known_hosts file with
their host keys, and prints the environment variables that carry the generated passwords.

Options:
  -o, --inventory-out FILE     where to write the lab inventory (default: a new temp folder)
  -k, --known-hosts-out FILE   where to write the known_hosts file (default: the same temp folder)
      --json                   print the lab description as JSON on stdout
  -h, --help                   show this help

Examples:
  collabsec lab                                           start the lab, print what to export
  collabsec lab -o lab.yaml -k lab_known_hosts --json     fixed file names, JSON description

Then, in another shell: export the variables shown, give the SSH runner the known_hosts file,
and run  collabsec run --inventory FILE --live ...

Ctrl-C (or SIGTERM) stops the lab: the simulators close and its temp folder is removed, with
everything in it (a session kept beside an inventory written there goes too; -o and -k files
outside it stay). Stopping so is the lab's normal end: exit code 0.`;

/** Resolves when the operator stops the lab (Ctrl-C or SIGTERM). */
function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export async function runLab(argv: string[], io: Io, until: () => Promise<void>): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'inventory-out': { type: 'string', short: 'o' },
      'known-hosts-out': { type: 'string', short: 'k' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    io.stdout.write(`${usage}\n`);
    return ExitCode.ok;
  }
  // Listening before the lab starts: a Ctrl-C while it starts still closes it and removes its folder.
  const stopped = until();
  const { startLab } = await import('../lab/lab.js');
  const path = await import('node:path');
  const { rm } = await import('node:fs/promises');
  const abs = (f: string | undefined) => (f === undefined ? undefined : path.resolve(io.cwd, f));
  const lab = await startLab({ inventoryOut: abs(values['inventory-out']), knownHostsOut: abs(values['known-hosts-out']) });
  try {
    if (values.json) {
      const devices = lab.devices.map((d) => ({ name: d.name, kind: d.kind, host: '127.0.0.1', port: d.port, fingerprint: d.fingerprint }));
      const out = { devices, env: lab.env, inventory: lab.inventoryFile, knownHosts: lab.knownHostsFile, caCert: lab.caCertFile, caKey: lab.caKeyFile };
      io.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    } else {
      const w = Math.max(...lab.devices.map((d) => d.name.length));
      io.stdout.write(
        [
          `collabsec lab: ${lab.devices.length} simulated devices on 127.0.0.1`,
          '',
          ...lab.devices.map((d) => `  ${d.name.padEnd(w)}  ${d.kind.padEnd(14)}  port ${String(d.port).padEnd(5)}  ${d.fingerprint}`),
          '',
          'Export the device passwords in the shell that runs collabsec:',
          ...Object.entries(lab.env).map(([k, v]) => `  export ${k}='${v}'`),
          '',
          `Inventory:    ${lab.inventoryFile}`,
          `known_hosts:  ${lab.knownHostsFile}`,
          `Lab CA:       ${lab.caCertFile} (key ${lab.caKeyFile}) to sign the CSRs of the rehearsal`,
          '',
        ].join('\n'),
      );
    }
    io.stderr.write('Lab running; press Ctrl-C to stop.\n');
    await stopped;
  } finally {
    await lab.close();
    // The temp folder holds the lab's keys, pins and generated inventory: nothing outlives the lab.
    await rm(lab.dir, { recursive: true, force: true });
  }
  io.stderr.write('Lab stopped.\n');
  return ExitCode.ok;
}

const command: Command = {
  name: 'lab',
  summary: 'start simulated VOS, IOS and CMS devices on 127.0.0.1 for a rehearsal',
  usage,
  run: (argv, io) => runLab(argv, io, untilSignal),
};

export default command;
