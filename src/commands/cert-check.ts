// `collabsec cert check`: the certificate checkpoint. Given what the CA returned (or the CSR about
// to be sent), says pass / fail / warning for KU/EKU, names, key, hash, validity, CSR match and
// chain, against the chapter's tables and the inventory. Exit 0 without failures, 1 with any.
import { parseArgs } from 'node:util';
import { ExitCode, UserError } from '../errors.js';
import { loadInventory } from '../inventory/load.js';
import { CheckUsageError, checkFiles } from '../verify/cert/check-files.js';
import { ExpectationError } from '../verify/cert/expectations.js';
import { formatReport, reportJson } from '../verify/cert/format.js';
import { CertFileError } from '../verify/cert/load.js';
import { DEFAULT_EXPIRY_DAYS } from '../verify/cert/report.js';
import { findRole, loadRoleTable, type Role } from '../verify/cert/roles.js';
import { hasFailure, type Report } from '../verify/cert/types.js';
import { type Command, type Io, useColor } from './types.js';

const usage = `Usage: collabsec cert check --for ROLE [--inventory FILE] [--node NAME] CERT
                           [--csr CSR] [--chain FILE]... [--expiry-days N] [--json]

Check a CA-signed certificate before it is uploaded (or a CSR before it is sent to the CA):
Key Usage / Extended Key Usage against the chapter's tables, CN and SANs against the inventory,
RSA >= 2048 bits, SHA-256 or stronger, validity, that it answers the CSR, and that the chain
verifies to the root the inventory says is in the trust store. A wildcard is refused except on CMS.

  CERT is PEM or DER; a PEM file may carry the chain after the certificate. When CERT is a CSR,
  collabsec shows what the CA will be asked for (subject, SANs, requested KU/EKU) and checks it.

Options:
  -r, --for ROLE          certificate role, e.g. cucm/tomcat (list: --for list)
  -i, --inventory FILE    inventory YAML: expected names and trusted roots
  -n, --node NAME         cluster (multi-server roles) or node (per-node roles) when there are several
      --csr FILE          the CSR the certificate must answer (same public key)
  -c, --chain FILE        intermediate / root certificates, PEM, DER or PKCS#7 (repeatable)
      --expiry-days N     warn when the certificate expires within N days (default ${DEFAULT_EXPIRY_DAYS})
      --json              print the report as JSON
  -h, --help              show this help

Examples:
  collabsec cert check --for cucm/tomcat -i site.yaml -n us-cucm-pub tomcat.pem --csr tomcat.csr
  collabsec cert check --for ios/router -i site.yaml -n US-CUBE1 cube1.pem --chain ca-chain.pem
  collabsec cert check --for expressway-e -i site.yaml exp-e.pem --json
  collabsec cert check --for list

Exit codes: 0 no check failed (warnings allowed), 1 a check failed or a file is unusable,
2 bad usage, 3 invalid inventory. Colour only on a terminal, never with NO_COLOR.`;

function usageError(message: string, tryMessage = 'Run `collabsec cert check --help` for usage.'): UserError {
  return new UserError(message, tryMessage, ExitCode.usage);
}

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        for: { type: 'string', short: 'r' },
        inventory: { type: 'string', short: 'i' },
        node: { type: 'string', short: 'n' },
        csr: { type: 'string' },
        chain: { type: 'string', short: 'c', multiple: true },
        'expiry-days': { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    throw usageError((e as Error).message);
  }
}

function listRoles(roles: readonly Role[]): string {
  const w = Math.max(...roles.map((r) => r.id.length));
  return roles.map((r) => `  ${r.id.padEnd(w)}  ${r.product} ${r.certificate}${r.referenceOnly ? ' (reference only)' : ''}`).join('\n');
}

async function check(values: ReturnType<typeof parse>['values'], file: string, role: Role): Promise<Report> {
  const expiryText = values['expiry-days'];
  const expiryDays = expiryText === undefined ? DEFAULT_EXPIRY_DAYS : Number(expiryText);
  if (!Number.isInteger(expiryDays) || expiryDays < 0 || expiryDays > 3650) throw usageError(`--expiry-days ${expiryText ?? ''}: give a whole number of days between 0 and 3650`);
  const inventory = values.inventory === undefined ? undefined : loadInventory(values.inventory);
  try {
    return await checkFiles({ file, role, inventory, node: values.node, csrFile: values.csr, chainFiles: values.chain, expiryDays });
  } catch (e) {
    if (e instanceof CertFileError) throw new UserError(e.message, undefined, ExitCode.failure);
    if (e instanceof CheckUsageError) throw usageError(e.message);
    if (e instanceof ExpectationError) {
      throw usageError(`${values.inventory ?? 'inventory'}: ${e.message}`, e.choices.length ? `Add --node ${e.choices[0]} (or another of: ${e.choices.join(', ')}).` : undefined);
    }
    throw e;
  }
}

const command: Command = {
  name: 'cert',
  summary: 'check a CA-signed certificate or a CSR against the chapter and the inventory',
  usage,
  async run(argv: string[], io: Io): Promise<number> {
    // `collabsec cert check …`: the top level dispatches on "cert"; "check" is the only subcommand.
    const [sub, ...rest] = argv;
    if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
      io.stdout.write(`${usage}\n`);
      return sub === undefined ? ExitCode.usage : ExitCode.ok;
    }
    if (sub !== 'check') throw usageError(`unknown subcommand "${sub}"`, 'The only subcommand is `collabsec cert check`.');
    const { values, positionals } = parse(rest);
    if (values.help) {
      io.stdout.write(`${usage}\n`);
      return ExitCode.ok;
    }
    const roles = await loadRoleTable();
    if (values.for === 'list') {
      io.stdout.write(`${listRoles(roles)}\n`);
      return ExitCode.ok;
    }
    if (values.for === undefined) throw usageError('--for ROLE is required', `Roles:\n${listRoles(roles)}`);
    const role = findRole(roles, values.for);
    if (!role) throw usageError(`unknown role "${values.for}"`, `Roles:\n${listRoles(roles)}`);
    if (positionals.length !== 1) throw usageError(positionals.length === 0 ? 'give the certificate (or CSR) file to check' : `give one certificate file, not ${positionals.length} (${positionals.join(', ')}); chain files go with --chain`);
    const report = await check(values, positionals[0]!, role);
    io.stdout.write(values.json ? reportJson(report) : formatReport(report, { color: useColor(io), title: `${role.product} ${role.certificate}` }));
    return hasFailure(report) ? ExitCode.failure : ExitCode.ok;
  },
};

export default command;
