// The walk in the TUI (issue 18, "Done means"): a slice of the lab's plan crossing the Unified CM
// publisher, IM and Presence, the SRST router and CUBE, and the Meeting Server, driven with the
// keyboard through the real wizard screen (ink-testing-library rendering WizardApp) over the real
// live ports, wired as `collabsec run --live` wires them (src/commands/run.ts: livePorts with the
// runtimePastes map the controller fills, the certificate and local ports). The lab plays the
// operator before each step (CA signing, the LDAP certificate), as in the plain walk.
//
// Slice, in plan order: S002 (publisher: the CLI form of a GUI step), S003 (IM and Presence),
// S013 (publisher: run-time paste of the LDAP certificate, asked in the TUI), S034 (SRST router:
// the certificate is named before the step and signed while it runs), S064–S069 (CUBE: key,
// trustpoint, CA, CSR, the S068 certificate checkpoint answered with the CA's file, the S069
// run-time paste asked in the TUI), S071 and S072 (CUBE; S072 is disruptive: its confirmation is
// typed), S080 and S081 (Meeting Server). Every prerequisite of the slice is in the slice: nothing
// is settled through the session API.
//
// Asserted: each slice step ends verified, by its machine check where it has one (automatic, or
// certificate; S034 has both and the wizard asks its certificate), else by the operator's answer;
// the disruptive steps went through the typed confirmation; the run-time files were asked per
// node; each node received every planned line of each step as often as planned. No timings.
import { createElement } from 'react';
import { dirname, join } from 'node:path';
import { render } from 'ink-testing-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../src/lab/lab.js';
import { loadPlan, type LoadedPlan } from '../../src/plan/load-plan.js';
import type { PlannedStep } from '../../src/plan/types.js';
import { openSession, resolveSession, type Session } from '../../src/session/index.js';
import { WizardApp } from '../../src/ui/App.js';
import { loadRoleTable, type Role } from '../../src/verify/cert/roles.js';
import { certificatePort, certificateTargets } from '../../src/wizard/certificate-checkpoint.js';
import { WizardController } from '../../src/wizard/controller.js';
import { resolveCredentials, secretNeeds } from '../../src/wizard/credentials.js';
import { livePorts, type LivePorts } from '../../src/wizard/live.js';
import { inventoryTargets } from '../../src/wizard/reach.js';
import { localPort, localWorkdir } from '../../src/wizard/local-steps.js';
import { confirmationWord, displayOrder } from '../../src/wizard/view-model.js';
import { keys, plain, tick, type, until } from '../ui/helpers.js';
import { commandMismatches, sshActions } from './planned-lines.js';

const SLICE = ['S002', 'S003', 'S013', 'S034', 'S064', 'S065', 'S066', 'S067', 'S068', 'S069', 'S071', 'S072', 'S080', 'S081'];

let lab: Lab;
let lp: LoadedPlan;
let roles: Role[];
let session: Session;
let live: LivePorts;
let controller: WizardController;
let app: ReturnType<typeof render>;
const runtimePastes = new Map<string, string>();

beforeAll(async () => {
  lab = await startLab({ bannerMs: 0, restartMs: 50 });
  lp = loadPlan(lab.inventoryFile);
  roles = [...(await loadRoleTable())];
  const cwd = dirname(lab.inventoryFile);
  // As startWizard does with --live on a terminal (run.ts), with the lab's known_hosts and secrets.
  const where = resolveSession({ inventoryPath: lab.inventoryFile, cwd });
  const credentials = await resolveCredentials(secretNeeds(lp.plan, lp.loaded.inventory), lab.env);
  session = await openSession({ plan: lp.plan, inventoryPath: lab.inventoryFile, dir: where.dir, name: where.name });
  live = livePorts({
    plan: lp.plan,
    credentials,
    ...inventoryTargets(lp.topology),
    pasteDir: lp.loaded.dir,
    runtimePastes,
    parallel: 1,
    healthTimeoutMs: 5_000,
    healthIntervalMs: 250,
    knownHostsFile: lab.knownHostsFile,
    transcriptDir: join(where.dir, 'transcripts', where.name),
    transcriptRoot: where.dir,
    confirmHostKey: (h, fp) => controller.confirmHostKey(h, fp),
    axl: { pinsFile: lab.tlsPinsFile, confirmCertificate: (n, fp) => controller.confirmHostKey(n, fp) },
  });
  const workdir = localWorkdir(session.file);
  controller = new WizardController(session, {
    executeStep: live.executeStep,
    runStep: live.runStep,
    verifyStep: live.verifyStep,
    certificates: certificatePort({ inventory: lp.loaded, roles, baseDirs: [cwd, workdir] }),
    local: localPort({ plan: lp.plan, inventory: lp.loaded.inventory, roles, workdir }),
    runtimePastes,
    runtimePasteDirs: [cwd, workdir],
  });
  app = render(createElement(WizardApp, { controller, modeLabel: 'LIVE (SSH)' }));
}, 60_000);

afterAll(async () => {
  app?.unmount();
  await live?.close();
  await session?.close();
  await lab?.close();
});

const frame = (): string => plain(app.lastFrame());
const stdin = () => app.stdin;

/** Moves the cursor to `id` with the keys (held j/k arrive as one chunk, one step per letter). */
async function goTo(id: string): Promise<void> {
  const order = displayOrder(lp.plan);
  const delta = order.indexOf(id) - order.indexOf(controller.getView().cursor);
  if (delta !== 0) await type(stdin(), (delta > 0 ? 'j' : 'k').repeat(Math.abs(delta)));
  await until(() => controller.getView().cursor === id && frame().includes(`${id} ${lp.plan.steps.find((s) => s.id === id)!.title}`), `the cursor on ${id}`);
}

/** A text field on screen and listening: type the answer, then Enter. */
async function answer(label: string, text: string): Promise<void> {
  await until(() => frame().includes(label) && !controller.getView().busy, `"${label}"`, 10_000);
  await tick();
  await type(stdin(), ...(text !== '' ? [text] : []), keys.enter);
}

interface Seen {
  confirmations: string[];
  files: string[];
  certificates: string[];
}

/**
 * Drives one step from the list to its end with the keys, answering what the wizard asks as the
 * operator would: the run-time files (the lab operator's), the typed confirmation, the
 * certificate questions (the file the CA returned and its CSR), the operator's checkpoint answer.
 */
async function walkStep(step: PlannedStep, seen: Seen): Promise<void> {
  await goTo(step.id);
  const runnable = sshActions(step).length > 0;
  await until(() => frame().includes(runnable ? 'Enter run over SSH' : 'd I have done this myself'), `the key help of ${step.id}`);
  // A live step is sent with Enter; a manual one (S068) is done off-box: "I have done this myself".
  await type(stdin(), runnable ? keys.enter : 'd');
  const certs = certificateTargets(step, lp.loaded.inventory, roles);
  let certIndex = 0;
  const deadline = Date.now() + 45_000;
  for (;;) {
    if (Date.now() > deadline) throw new Error(`${step.id} did not end; last frame:\n${frame()}`);
    if (session.status(step.id) === 'verified' && !controller.getView().busy) return;
    const v = controller.getView();
    const m = v.mode;
    if (m.kind === 'failed') throw new Error(`${step.id} failed: ${m.summary}\n${frame()}`);
    if (m.kind === 'host-key') throw new Error(`unexpected host key question for ${m.host}`);
    if (v.busy) {
      await tick(20);
      continue;
    }
    if (m.kind === 'runtime-file' && !m.checking) {
      await until(() => frame().includes(`File to paste · ${step.id} · ${m.node}`), 'the run-time file question');
      const file = lab.operator.pasteFile(step.id, m.node);
      if (file === undefined) throw new Error(`the lab operator has no file for ${step.id} ${m.node}`);
      seen.files.push(`${step.id} ${m.node}`);
      await answer(`File for ${m.node}:`, file);
      await until(() => controller.getView().mode.kind !== 'runtime-file' || controller.getView().message?.level === 'error', 'the file accepted');
      if (controller.getView().message?.level === 'error') throw new Error(`${step.id}: ${controller.getView().message?.text}`);
    } else if (m.kind === 'confirm') {
      await until(() => frame().includes(`Disruptive step: ${step.id}`), 'the typed confirmation');
      expect(m.expected).toBe(confirmationWord(step));
      // A reflexive "y" does not start it.
      await answer('Confirm:', 'y');
      await until(() => frame().includes(`"y" is not "${m.expected}"`), 'the refusal of a wrong word');
      expect(session.status(step.id)).toBe('pending');
      seen.confirmations.push(step.id);
      await answer('Confirm:', m.expected);
      await until(() => controller.getView().mode.kind !== 'confirm', 'the confirmation accepted');
    } else if (m.kind === 'certificate' && !m.checking) {
      const t = certs[certIndex];
      if (t === undefined) throw new Error(`${step.id}: unexpected certificate question ${m.target}`);
      const c = lab.operator.certificate(t.role, t.node);
      if (c === undefined) throw new Error(`${step.id}: the lab operator signed no ${t.role} for ${t.node ?? '-'}`);
      await until(() => frame().includes(`Certificate check · ${step.id} · ${t.label}`), 'the certificate question');
      const field = m.field;
      if (field === 'file') await answer('File the CA returned:', c.file);
      // The label App.tsx shows: a signing step whose CSR the operator downloaded (csr: ask, S068) requires one.
      else if (field === 'csr') await answer(m.csr === 'ask' ? 'CSR it answers (required):' : m.csr === undefined ? 'CSR it answers (Enter: none):' : `CSR it answers (Enter: ${m.csr}):`, c.csrFile ?? '');
      else {
        await answer('Chain files, space-separated (Enter: none):', '');
        certIndex += 1;
        seen.certificates.push(`${step.id} ${t.key}`);
      }
      await until(() => controller.getView().mode !== m, 'the next certificate question');
    } else if (m.kind === 'checkpoint' && !m.verifying) {
      // Only a step without a machine check is answered by the operator.
      if (step.checkpoint.verify !== undefined || certs.length > 0) throw new Error(`${step.id} asks the operator although it has a machine check`);
      await until(() => frame().includes(`Checkpoint · ${step.id}`), 'the checkpoint question');
      await type(stdin(), 'y');
      await until(() => controller.getView().mode !== m, 'the answer taken');
    } else await tick(20);
  }
}

describe('the wizard walks a slice of the lab plan, live', () => {
  it('publisher, IM and Presence, SRST/CUBE and Meeting Server steps end verified by their machine checks, driven with the keys', { timeout: 600_000 }, async () => {
    const steps = SLICE.map((id) => lp.plan.steps.find((s) => s.id === id)!);
    // Every prerequisite of the slice is in the slice (nothing settled outside the TUI).
    for (const s of steps) expect(s.requires.filter((r) => !SLICE.includes(r)), `${s.id} requires`).toEqual([]);
    await until(() => frame().includes('LIVE (SSH)'), 'the wizard screen');
    const seen: Seen = { confirmations: [], files: [], certificates: [] };
    const mismatches: string[] = [];
    for (const step of steps) {
      const before = new Map(lab.devices.map((d) => [d.name, d.handle.received.length]));
      await lab.operator.before(step);
      await walkStep(step, seen);
      const received = new Map(lab.devices.map((d) => [d.name, d.handle.received.slice(before.get(d.name))]));
      mismatches.push(...commandMismatches(lp.plan, step, received));
    }
    const verdicts = steps.map((s) => {
      const last = session.state.steps[s.id]?.history.at(-1);
      const machine = [...(s.checkpoint.verify !== undefined ? ['automatic'] : []), ...(certificateTargets(s, lp.loaded.inventory, roles).length > 0 ? ['certificate'] : [])];
      const by = last?.checkpoint?.method ?? 'nobody';
      const ok = last?.status === 'verified' && (machine.length === 0 ? by === 'operator' : machine.includes(by));
      return `${s.id} ${ok ? 'ok' : `${last?.status ?? 'untouched'} by ${by}, machine check: ${machine.join('/') || 'none'}`}`;
    });
    expect(verdicts).toEqual(steps.map((s) => `${s.id} ok`));
    // The slice crosses the four products, with SSH commands on each.
    const products = new Set(steps.filter((s) => sshActions(s).length > 0).map((s) => lab.devices.find((d) => d.name === sshActions(s)[0]!.target)?.product));
    expect([...products].sort()).toEqual(['cms', 'cucm', 'imp', 'ios']);
    expect(seen.confirmations).toEqual(steps.filter((s) => s.disruptive).map((s) => s.id));
    expect(seen.confirmations).toEqual(['S072']);
    expect(seen.files).toEqual(['S013 us-cm-pub', 'S034 US-SRST1', 'S069 US-CUBE1']);
    expect(seen.certificates).toEqual(['S034 ios/router@US-SRST1', 'S068 ios/router@US-CUBE1']);
    // A file named in the TUI serves its step only.
    expect(runtimePastes.size).toBe(0);
    expect(mismatches).toEqual([]);
  });
});
