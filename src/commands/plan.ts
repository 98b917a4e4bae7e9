// `collabsec plan`: the dry-run. Loads no ink, react or ssh2 (test/plan/lazy-imports.test.ts).
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { ExitCode, UserError } from '../errors.js';
import { changeOptions, changeUsage } from '../inventory/change.js';
import { formatJson } from '../plan/format/json.js';
import { formatMarkdown } from '../plan/format/markdown.js';
import { textChunks } from '../plan/format/text.js';
import { loadPlan } from '../plan/load-plan.js';
import { changeFromFlags } from './change-flags.js';
import { type Command, useColor } from './types.js';

const usage = `Usage: collabsec plan --inventory FILE [--format text|markdown|json] [--product P]... [--step ID]...

Print the ordered runbook for an inventory: the exact commands per node, GUI paths, expected
device dialogue, checkpoints and back-out. Nothing is sent anywhere.

Options:
  -i, --inventory FILE   inventory YAML (see examples/ent-pa.yaml, collabsec schema)
  -f, --format FORMAT    text (default), markdown (a Method of Procedure), json (docs/plan-json.md)
  -p, --product P        only steps of product P (repeatable): cucm imp cuc expressway ios cms cmm tms pcd pcp
  -s, --step ID          only this step: id in any case (S022), range (S022-S024) or slug
                         (repeatable, or comma-separated)
      --json             same as --format json
${changeUsage}
  -h, --help             show this help

Examples:
  collabsec plan -i site.yaml                               the whole runbook, in order
  collabsec plan -i site.yaml --format markdown > mop.md    a Method of Procedure document
  collabsec plan -i site.yaml -p cucm --step S022-S024      Unified CM mixed mode only
  collabsec plan -i site.yaml --json | jq '.steps[].id'     for scripts
  collabsec plan -i site.yaml -f markdown --change-number CHG0012345 --approver "J. Doe (CAB)" \
      --window-start 2026-12-12T22:00+01:00 --window-end 2026-12-13T02:00+01:00 > mop.md

Exit codes: 0 plan printed, 2 bad usage, 3 invalid inventory (every problem listed, nothing printed).
Colour only on a terminal, never with NO_COLOR.`;

const command: Command = {
  name: 'plan',
  summary: 'print the exact runbook for an inventory (dry-run)',
  usage,
  run(argv, io) {
    const { values } = parseArgs({
      args: argv,
      options: {
        inventory: { type: 'string', short: 'i' },
        format: { type: 'string', short: 'f', default: 'text' },
        product: { type: 'string', short: 'p', multiple: true },
        step: { type: 'string', short: 's', multiple: true },
        json: { type: 'boolean' },
        ...changeOptions,
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
    if (values.help) {
      io.stdout.write(`${usage}\n`);
      return Promise.resolve(ExitCode.ok);
    }
    if (!values.inventory) throw new UserError('--inventory FILE is required', 'Try: collabsec plan --inventory examples/ent-pa.yaml', ExitCode.usage);
    const format = values.json ? 'json' : values.format;
    if (format !== 'text' && format !== 'markdown' && format !== 'json')
      throw new UserError(`unknown format "${format}"`, 'Use text, markdown or json.', ExitCode.usage);
    const split = (v: string[] | undefined) => (v ?? []).flatMap((x) => x.split(',')).filter((x) => x.length > 0);
    const { plan, catalogue } = loadPlan(values.inventory, { products: split(values.product), steps: split(values.step) });
    plan.change = changeFromFlags(plan.change, values);
    const names = Object.fromEntries(catalogue.products.map((p) => [p.id, p.name]));
    if (format === 'text') {
      // Written as UTF-8 buffers in order: no one string of a 500-node plan's megabytes (issue 25).
      for (const chunk of textChunks(plan, { color: useColor(io), productNames: names })) io.stdout.write(chunk);
      return Promise.resolve(ExitCode.ok);
    }
    const out =
      format === 'json'
        ? formatJson(plan)
        : formatMarkdown(plan, names, basename(values.inventory));
    io.stdout.write(out.endsWith('\n') ? out : `${out}\n`);
    return Promise.resolve(ExitCode.ok);
  },
};

export default command;
