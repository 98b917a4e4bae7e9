// `collabsec certs --inventory FILE`: the certificate estate after (or long after) the rollout.
// Every node and TLS port the inventory implies (steps/tls-ports.yaml) is probed read-only, a few
// at a time, each within its own time budget, and its certificate judged against the inventory's
// roots: a table, JSON, markdown or a self-contained HTML page with an expiry timeline. With
// --warn-days the exit code tells cron or CI whether anything needs attention.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatHtml } from '../certs/html.js';
import { DEFAULT_CONCURRENCY, surveyCertificates } from '../certs/survey.js';
import { formatMarkdown, formatTable } from '../certs/table.js';
import { isProblem, type CertSurvey } from '../certs/types.js';
import { ExitCode, UserError } from '../errors.js';
import { loadInventory } from '../inventory/load.js';
import { certTargets, loadTlsPortTable } from '../inventory/tls-ports.js';
import { tlsPinStore, type SkippedPin } from '../transport/tls-pins.js';
import { DEFAULT_EXPIRY_DAYS } from '../verify/cert/report.js';
import { loadRoleTable } from '../verify/cert/roles.js';
import { loadTrust } from '../verify/cert/trust.js';
import { type Command, type Io, useColor } from './types.js';

const DEFAULT_TIMEOUT_S = 10;

const usage = `Usage: collabsec certs --inventory FILE [--format text|json|markdown|html] [--json]
                       [--warn-days N] [--node NAME]... [--timeout SEC] [--concurrency N]
                       [--tls-pins FILE]

Probe every node and TLS port of the inventory (the ports per product are data:
steps/tls-ports.yaml; a node's tlsPorts says where a port really answers) and show, per port,
the certificate it presents: subject, SANs, issuer, EKU, key, expiry, days left, and whether
its chain reaches the root the inventory trusts for it. Read-only: only a TLS handshake (and
XMPP STARTTLS) is sent; nothing is logged in to. A port that refuses, answers in plain text or
hangs gets its verdict within --timeout and never holds up the others.

Options:
  -i, --inventory FILE    inventory YAML (nodes, addresses, trusted roots)
  -f, --format FORMAT     text (default), json, markdown, or html (a self-contained page
                          with an SVG timeline of expiries; redirect it to a file)
      --json              same as --format json
      --warn-days N       a certificate expiring within N days is "expiring", and the exit
                          code is 6 when any port is not ok (for cron or CI); default
                          threshold ${DEFAULT_EXPIRY_DAYS} days, and exit 0 whatever was found
  -n, --node NAME         only this node (repeatable)
      --timeout SEC       budget of one port: connect, STARTTLS, handshake (default ${DEFAULT_TIMEOUT_S})
      --concurrency N     ports probed at once (default ${DEFAULT_CONCURRENCY})
      --tls-pins FILE     show each certificate against these pins (default
                          .collabsec/tls_pins beside the inventory, when it exists); never written
  -h, --help              show this help

Verdicts: ok, expiring, expired, not-yet-valid, self-signed, wrong-chain, wrong-name, rules
(fails the role's KU/EKU/key rules), and for ports that presented nothing: timeout, refused,
plain-text, closed, starttls-refused, error.

Examples:
  collabsec certs -i site.yaml
  collabsec certs -i site.yaml --warn-days 45 --format markdown > estate.md || notify-pki
  collabsec certs -i site.yaml --format html > certificates.html
  collabsec certs -i site.yaml --json --node us-cm-pub --node us-cm-sub1

Exit codes: 0 surveyed (with --warn-days: every port ok), 6 with --warn-days: a port is not ok
(expiring or expired, chain or name wrong, or no certificate read), 2 bad usage,
3 invalid inventory. Colour only on a terminal, never with NO_COLOR.`;

function usageError(message: string): UserError {
  return new UserError(message, 'Run `collabsec certs --help` for usage.', ExitCode.usage);
}

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      strict: true,
      options: {
        inventory: { type: 'string', short: 'i' },
        format: { type: 'string', short: 'f' },
        json: { type: 'boolean' },
        'warn-days': { type: 'string' },
        node: { type: 'string', short: 'n', multiple: true },
        timeout: { type: 'string' },
        concurrency: { type: 'string' },
        'tls-pins': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    throw usageError((e as Error).message);
  }
}

function whole(flag: string, text: string | undefined, min: number, max: number, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isInteger(n) || n < min || n > max) throw usageError(`--${flag} ${text}: give a whole number between ${min} and ${max}`);
  return n;
}

const FORMATS = ['text', 'json', 'markdown', 'html'] as const;
type Format = (typeof FORMATS)[number];

const command: Command = {
  name: 'certs',
  summary: 'probe every node and TLS port of the inventory: certificates, expiry, chain',
  usage,
  async run(argv: string[], io: Io): Promise<number> {
    const { values } = parse(argv);
    if (values.help) {
      io.stdout.write(`${usage}\n`);
      return ExitCode.ok;
    }
    if (values.inventory === undefined) throw usageError('--inventory FILE is required');
    const format = (values.json ? 'json' : (values.format ?? 'text')) as Format;
    if (!FORMATS.includes(format)) throw usageError(`--format ${values.format}: give one of ${FORMATS.join(', ')}`);
    if (values.json && values.format !== undefined && values.format !== 'json') throw usageError(`--json and --format ${values.format} contradict each other`);
    const warnGiven = values['warn-days'] !== undefined;
    const warnDays = whole('warn-days', values['warn-days'], 0, 3650, DEFAULT_EXPIRY_DAYS);
    const timeoutS = whole('timeout', values.timeout, 1, 300, DEFAULT_TIMEOUT_S);
    const concurrency = whole('concurrency', values.concurrency, 1, 64, DEFAULT_CONCURRENCY);

    const loaded = loadInventory(resolve(io.cwd, values.inventory));
    let targets = certTargets(loaded, loadTlsPortTable());
    const only = values.node ?? [];
    if (only.length > 0) {
      const names = new Set(targets.map((t) => t.node));
      const unknown = only.filter((n) => !names.has(n));
      if (unknown.length > 0) throw usageError(`--node ${unknown.join(', ')}: no TLS port of the inventory is on ${unknown.length === 1 ? 'that node' : 'those nodes'} (nodes: ${[...names].join(', ')})`);
      targets = targets.filter((t) => only.includes(t.node));
    }

    const pinsFile = values['tls-pins'] !== undefined ? resolve(io.cwd, values['tls-pins']) : join(loaded.dir, '.collabsec', 'tls_pins');
    const skipped: SkippedPin[] = [];
    const pins = values['tls-pins'] !== undefined || existsSync(pinsFile) ? await tlsPinStore({ file: pinsFile }).load(skipped) : undefined;
    for (const s of skipped) io.stderr.write(`collabsec certs: ${s.file} line ${s.line} ignored: ${s.reason}\n`);

    const [roles, trust] = await Promise.all([loadRoleTable(), loadTrust(loaded.inventory, loaded.dir)]);
    for (const v of trust.verdicts) io.stderr.write(`collabsec certs: warning: ${v.message}\n`);
    const progress = io.stderr.isTTY === true;
    const at = new Date();
    const rows = await surveyCertificates(targets, {
      roles,
      trust,
      warnDays,
      now: at,
      timeoutMs: timeoutS * 1000,
      concurrency,
      ...(pins !== undefined ? { pins } : {}),
      ...(progress ? { onRow: (r, done, total) => io.stderr.write(`\r${done}/${total} ports probed (${r.node}:${r.port} ${r.verdict})\u001b[K`) } : {}),
    });
    if (progress && rows.length > 0) io.stderr.write('\n');
    const survey: CertSurvey = { inventory: loaded.inventory.title, at: at.toISOString(), warnDays, rows };
    if (format === 'json') io.stdout.write(`${JSON.stringify({ ok: !rows.some(isProblem), ...survey }, null, 2)}\n`);
    else if (format === 'markdown') io.stdout.write(formatMarkdown(survey));
    else if (format === 'html') io.stdout.write(formatHtml(survey));
    else if (rows.length === 0) io.stdout.write('No TLS port to probe: the inventory names no node whose ports steps/tls-ports.yaml lists.\n');
    else io.stdout.write(formatTable(survey, { color: useColor(io) }));
    return warnGiven && rows.some(isProblem) ? ExitCode.certificates : ExitCode.ok;
  },
};

export default command;
