// The whole-plan walk (issue 18): the lab's plan, step by step in plan order, each through
// `collabsec run --live --yes --checkpoint-passed --steps <id>` in plain mode, exactly as an
// operator without a terminal would run it (in-process, one command run per step). Every step
// outside KNOWN_GAPS must end verified — never skipped or overridden — and by its machine check
// when it has one; KNOWN_GAPS must match exactly, so each fix shrinks it and nothing regresses
// unseen. Per step and node, every command the plan lists is received by the simulator of the node
// the plan names, as many times as the plan lists it (probes and driver wrappers aside).
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import run from '../../src/commands/run.js';
import { startLab, type Lab } from '../../src/lab/lab.js';
import { loadPlan } from '../../src/plan/load-plan.js';
import type { Plan, PlannedStep } from '../../src/plan/types.js';
import type { SessionState } from '../../src/session/index.js';
import { ios, mmp, vos } from '../../src/transport/platforms/index.js';

/**
 * Steps of the lab's plan that do not yet end verified by the walk, each with why. Shrink it as
 * fixes land (issue 18 slices 2–6); the test fails when a step leaves or joins it unannounced.
 */
const KNOWN_GAPS: Record<string, string> = {
  S007: 'local openssl step: plain mode does not run local steps nor check the certificate (next: --live local steps, --cert)',
  S013: 'run-time paste (LDAP certificate): plain mode has no flag to name the file (next: --paste)',
  S014: 'after S013',
  S015: 'after S013',
  S034: 'run-time paste (SRST router certificate): as S013',
  S036: 'after S034',
  S039: 'certificate checkpoint: plain mode records the operator\'s word, not the certificate check (next: --cert)',
  S052: 'certificate checkpoint (as S039)',
  S068: 'certificate checkpoint (as S039)',
  S069: 'run-time paste (CUBE router certificate): as S013',
  S071: 'after S069',
  S072: 'after S071',
  S073: 'after S071',
  S074: 'after S072, S073',
  S076: 'after S074',
  S079: 'after S069, S072, S073',
  S083: 'certificate checkpoint (as S039)',
  S085: 'certificate checkpoint (as S039)',
  S095: 'certificate checkpoint (as S039)',
  S096: 'certificate checkpoint (as S039)',
  S100: 'certificate checkpoint (as S039)',
  S109: 'certificate checkpoint (as S039)',
  S111: 'run-time paste (PCD tomcat certificate): as S013',
  S112: 'after S111',
  S114: 'certificate checkpoint (as S039)',
  S115: 'certificate checkpoint (as S039)',
};

let lab: Lab;
let plan: Plan;
beforeAll(async () => {
  lab = await startLab({ bannerMs: 0, restartMs: 50 });
  plan = loadPlan(lab.inventoryFile).plan;
});
afterAll(async () => {
  await lab?.close();
});

function sink(): { out: Writable; text: () => string } {
  let text = '';
  const out = new Writable({
    write(c: Buffer, _e, cb) {
      text += c.toString();
      cb();
    },
  });
  return { out, text: () => text };
}

/** One `collabsec run` per step, as a script without a terminal would do it. */
async function runStep(id: string): Promise<string> {
  const err = sink();
  const argv = ['--inventory', lab.inventoryFile, '--live', '--known-hosts', lab.knownHostsFile, '--plain', '--yes', '--checkpoint-passed', '--health-timeout', '5', '--steps', id];
  try {
    const code = await run.run(argv, { stdout: sink().out, stderr: err.out, stdin: Readable.from([]), env: { ...lab.env, NO_COLOR: '1' }, cwd: path.dirname(lab.inventoryFile) });
    return `exit ${code}\n${err.text()}`;
  } catch (e) {
    return `thrown: ${(e as Error).message}\n${err.text()}`;
  }
}

/** Lines the drivers send on their own (session set-up, configuration mode, saving). */
const WRAPPERS = new Set([vos, ios, mmp].flatMap((p) => [...p.init, ...(p.config ? [p.config.enter, p.config.exit, p.config.save] : [])]));

function sshActions(step: PlannedStep) {
  return step.actions.filter((a) => a.host !== undefined && a.platform !== undefined && a.platform !== 'local' && a.commands.length > 0);
}

/** Per node, the planned lines of this step that the node did not receive exactly as often as planned. */
function commandMismatches(step: PlannedStep, received: Map<string, string[]>): string[] {
  const probes = new Set(plan.steps.flatMap((s) => [s.checkpoint.verify?.command, ...s.actions.map((a) => a.checkpoint?.verify?.command)]).filter((c) => c !== undefined));
  const lines = new Set(sshActions(step).flatMap((a) => a.commands).filter((l) => !WRAPPERS.has(l) && !probes.has(l)));
  const problems: string[] = [];
  for (const [node, got] of received)
    for (const line of lines) {
      const want = sshActions(step).filter((a) => a.target === node).flatMap((a) => a.commands).filter((l) => l === line).length;
      const n = got.filter((l) => l === line).length;
      if (n !== want) problems.push(`${step.id} ${node}: "${line}" received ${n}×, planned ${want}×`);
    }
  return problems;
}

describe('the whole plan, live on the lab', () => {
  it('every step outside KNOWN_GAPS ends verified, by its machine check when it has one, with each planned line received on its node', { timeout: 300_000 }, async () => {
    const logs = new Map<string, string>();
    const mismatches: string[] = [];
    for (const step of plan.steps) {
      const before = new Map(lab.devices.map((d) => [d.name, d.handle.received.length]));
      // The lab plays the operator first: CA signing, GUI-only changes, sftp (src/lab/operator.ts).
      const did = await lab.operator.before(step);
      logs.set(step.id, `${did.map((d) => `operator: ${d}\n`).join('')}${await runStep(step.id)}`);
      const received = new Map(lab.devices.map((d) => [d.name, d.handle.received.slice(before.get(d.name))]));
      if (!(step.id in KNOWN_GAPS)) mismatches.push(...commandMismatches(step, received));
    }
    const state = JSON.parse(await fs.readFile(path.join(path.dirname(lab.inventoryFile), '.collabsec', 'inventory.json'), 'utf8')) as SessionState;
    const verdict = (s: PlannedStep): string => {
      const last = state.steps[s.id]?.history.at(-1);
      if (last?.status !== 'verified') return `ended ${last?.status ?? 'untouched'}`;
      const machine = s.checkpoint.verify !== undefined || s.checkpoint.certificate !== undefined;
      if (machine && last.checkpoint?.method !== 'automatic') return `verified by ${last.checkpoint?.method ?? 'nobody'}, not by its machine check`;
      return 'ok';
    };
    const gaps = plan.steps.filter((s) => verdict(s) !== 'ok');
    const ssh = plan.steps.filter((s) => sshActions(s).length > 0);
    // The progress note for the issue: steps verified and SSH steps run, of the total.
    console.log(`walk: ${plan.steps.length - gaps.length}/${plan.steps.length} steps verified; ${ssh.filter((s) => verdict(s) === 'ok').length}/${ssh.length} SSH steps run and verified; ${gaps.length} known gaps`);
    const why = (id: string): string => `${id}: ${verdict(plan.steps.find((s) => s.id === id)!)}\n${logs.get(id)?.split('\n').slice(-6).join('\n') ?? ''}`;
    // WALK_DEBUG=1: the end of each gap's log, to see why it stays open.
    if (process.env.WALK_DEBUG) for (const s of gaps) console.log(why(s.id));
    const unexpected = gaps.filter((s) => !(s.id in KNOWN_GAPS)).map((s) => why(s.id));
    const closed = Object.keys(KNOWN_GAPS).filter((id) => !gaps.some((s) => s.id === id));
    expect(unexpected, 'steps that should have ended verified').toEqual([]);
    expect(closed, 'steps in KNOWN_GAPS that now end verified: remove them from the list').toEqual([]);
    expect(mismatches).toEqual([]);
  });
});
