// Steps say what to do (issue 25, from issue 12 "Steps say what to do", "Modes are unmistakable",
// "Consistent words and codes"), on the example's own steps: a GUI step never says "type the
// commands"; a step with a GUI path and a CLI form says "either … or"; a read-only pre-flight read
// says collabsec reads it (a rehearsal: what it would read), never "no commands"; LIVE never says
// "you type the commands"; openssl lines are for the operator's machine. Step view, key bar, the
// box once a step has begun, and plain mode's step text.
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { loadPlan } from '../../src/plan/load-plan.js';
import type { Plan, PlannedStep } from '../../src/plan/types.js';
import type { Session } from '../../src/session/index.js';
import { WizardApp } from '../../src/ui/App.js';
import { StepView } from '../../src/ui/StepView.js';
import { WizardController, type ControllerOptions } from '../../src/wizard/controller.js';
import { stepText } from '../../src/wizard/view-model.js';
import { tempSession } from '../wizard/fixtures.js';
import { keys, plain, type, until } from './helpers.js';

const lp = loadPlan('examples/ent-pa.yaml');
const byId = (id: string): PlannedStep => lp.plan.steps.find((s) => s.id === id)!;
/** These steps alone, nothing required of others (each may begin at once). */
const planOf = (...ids: string[]): Plan => ({ ...lp.plan, steps: ids.map((id) => ({ ...byId(id), requires: [] })) });
const view = (id: string, mode?: { live: boolean; local: boolean }): string => plain(render(<StepView step={byId(id)} status="pending" {...(mode ? { mode } : {})} />).lastFrame()).replace(/\s*\n\s*/g, ' ');

const open: Session[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function app(plan: Plan, opts: ControllerOptions = {}, modeLabel = 'rehearsal') {
  const { session } = await tempSession(plan);
  open.push(session);
  const c = new WizardController(session, opts);
  const r = render(<WizardApp controller={c} modeLabel={modeLabel} live={modeLabel === 'LIVE'} />);
  // flat: the frame's words with box borders and line breaks taken out (long lines wrap in the box).
  return { c, session, stdin: r.stdin, frame: (): string => plain(r.lastFrame()), flat: (): string => plain(r.lastFrame()).replace(/[│\s]+/g, ' ') };
}

/** Ports as --live has them; nothing here is sent (the steps shown send nothing, or are not begun). */
const livePorts: ControllerOptions = {
  executeStep: () => Promise.resolve({ outcome: 'ok', summary: 'sent' }),
  verifyStep: () => Promise.resolve({ method: 'automatic', outcome: 'passed' }),
};

describe('the step view says what to do', () => {
  it('a GUI step: follow the GUI path, never "type the commands" nor "no commands"', () => {
    expect(byId('S010').kind).toBe('gui');
    const f = view('S010');
    expect(f).toContain('To do: Follow the GUI path above.');
    expect(f).not.toMatch(/type the commands|no commands/i);
  });

  it('a step with a GUI path and a CLI form: either … or', () => {
    const f = view('S002');
    expect(f).toContain('To do: Either follow the GUI path above, or type the commands above on us-cm-pub.');
    expect(view('S002', { live: true, local: false })).toContain('Either collabsec types the commands above on us-cm-pub over SSH (Enter), or you follow the GUI path above yourself.');
  });

  it('a read-only pre-flight read: a check collabsec runs; the rehearsal says what it would read', () => {
    expect(byId('P001').kind).toBe('manual');
    const f = view('P001');
    expect(f).not.toContain('no commands');
    expect(f).toContain('On us-cm-pub — read-only: read at the checkpoint');
    expect(f).toContain('A read-only check that collabsec runs with --live');
    expect(f).toContain('its automatic check is what it would read on 6 nodes');
    expect(f).toContain('automatic check: utils network host us-cm-pub.ent-pa.com');
    expect(view('V001', { live: true, local: false })).toContain('A read-only check that collabsec runs: at the checkpoint it reads 4 nodes (its automatic check)');
  });

  it("openssl lines are for the operator's machine, not the node they concern", () => {
    const f = view('S007');
    expect(f).toContain("On the operator's machine (for us-cm-pub):");
    expect(f).not.toContain('us-cm-pub (local)');
    expect(f).toContain("Run the lines above on your own machine (the operator's, for us-cm-pub, us-imp-pub)");
  });

  it('plain mode prints the same to-do line', () => {
    expect(stepText(byId('S002'))).toContain('  To do: Either follow the GUI path above, or type the commands above on us-cm-pub.');
    expect(stepText(byId('S010')).join('\n')).not.toMatch(/type the commands/i);
    expect(stepText(byId('P001')).join('\n')).toContain('A read-only check that collabsec runs');
    expect(stepText(byId('S007')).join('\n')).toContain("on the operator's machine (for us-cm-pub):");
  });
});

describe('the key bar and the begun step say what to do', () => {
  it('rehearsal: a read-only read and a GUI step are not "you type the commands", before or after Enter', async () => {
    const { c, frame, flat, stdin } = await app(planOf('P001', 'S010'));
    await until(() => frame().includes('› [ ] P001'), 'P001');
    expect(frame()).toContain('Enter begin (read-only; a rehearsal reads nothing)');
    expect(frame()).not.toContain('you type the commands');
    await type(stdin, keys.enter);
    await until(() => frame().includes('P001 started'), 'P001 begun');
    expect(flat()).toContain('Rehearsal: nothing is read');
    expect(flat()).toContain('Press c for the checkpoint.');
    expect(frame()).not.toContain('Type the commands');
    await type(stdin, keys.escape);
    c.select('S010');
    await until(() => frame().includes('› [ ] S010'), 'S010');
    expect(frame()).toContain('Enter begin (you follow the GUI path)');
    await type(stdin, keys.enter);
    await until(() => frame().includes('S010 started'), 'S010 begun');
    expect(flat()).toContain('Follow the GUI path above. Press c when done to check the result.');
    expect(frame()).not.toContain('Type the commands');
  });

  it('LIVE: no "you type the commands" anywhere on the key bar; a read-only read is begun as a check', async () => {
    const { c, frame } = await app(planOf('P001', 'S010', 'S002', 'S007'), livePorts, 'LIVE');
    await until(() => frame().includes('› [ ] P001'), 'P001');
    expect(frame()).toContain('Enter begin the read-only check');
    for (const id of ['S010', 'S002', 'S007']) {
      c.select(id);
      await until(() => frame().includes(`› [ ] ${id}`), id);
      expect(frame()).not.toContain('you type the commands');
    }
    c.select('S010');
    await until(() => frame().includes('Enter begin (you follow the GUI path)'), 'the GUI step in LIVE');
    c.select('S002');
    await until(() => frame().includes('Enter run over SSH'), 'the CLI form in LIVE');
  });
});
