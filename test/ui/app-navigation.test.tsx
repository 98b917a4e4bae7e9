// Moving through a long plan (issue 25, from issue 12 "Moving through 124 steps"): after a step
// concludes the cursor goes on in the list being worked; `?` help, `:` go to, `/` search,
// collapsing a product, and a raw view of the commands for a clean copy.
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/plan/types.js';
import type { Session } from '../../src/session/index.js';
import { WizardApp } from '../../src/ui/App.js';
import { WizardController } from '../../src/wizard/controller.js';
import { step, tempSession } from '../wizard/fixtures.js';
import { keys, plain, type, until } from './helpers.js';

const open: Session[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

/** Ten independent steps over two products: nothing requires anything, so any may be done in any order. */
function longPlan(): Plan {
  const ids = Array.from({ length: 10 }, (_, i) => `S${String(i + 1).padStart(3, '0')}`);
  return {
    inventoryHash: 'inv',
    catalogueHash: 'cat',
    title: 'Navigation rollout',
    summary: [],
    steps: ids.map((id, i) =>
      step(id, {
        product: i < 6 ? 'cucm' : 'cube',
        title: i === 7 ? 'Trust the enterprise CA on the router' : `Title of ${id}`,
        actions: [{ target: i < 6 ? 'us-cm-pub' : 'us-cube1', commands: [], exchanges: [], pasteFiles: [] }],
      }),
    ),
  };
}

async function app(plan = longPlan()) {
  const { session } = await tempSession(plan);
  open.push(session);
  const c = new WizardController(session);
  const r = render(<WizardApp controller={c} modeLabel="rehearsal" />);
  const frame = (): string => plain(r.lastFrame());
  return { c, session, frame, stdin: r.stdin };
}

describe('moving through the plan', () => {
  it('after a step concludes, the cursor goes to the next open step below it, not back to the first', async () => {
    const { c, frame, stdin } = await app();
    c.select('S004');
    await until(() => frame().includes('› [ ] S004'), 'the cursor on S004');
    await type(stdin, 'd');
    await until(() => frame().includes('y passed'), 'the checkpoint');
    await type(stdin, 'y');
    await until(() => frame().includes('S004 verified.'), 'verified');
    expect(c.getView().cursor).toBe('S005');
    expect(frame()).toContain('› [ ] S005');
    // A skip goes on the same way; the end of the list wraps round to the first open step.
    c.select('S010');
    await type(stdin, 's');
    await until(() => frame().includes('Why skip S010?'), 'the reason');
    await type(stdin, 'not used here', keys.enter);
    await until(() => frame().includes('S010 skipped.'), 'skipped');
    expect(c.getView().cursor).toBe('S001');
  });
});

describe('Home and End', () => {
  it('Home goes to the first step, End to the last, from anywhere in the list', async () => {
    const { c, frame, stdin } = await app();
    c.select('S005');
    await until(() => frame().includes('› [ ] S005'), 'the cursor on S005');
    await type(stdin, '\u001B[F');
    await until(() => c.getView().cursor === 'S010', 'End: the last step');
    expect(frame()).toContain('› [ ] S010');
    await type(stdin, '\u001B[H');
    await until(() => c.getView().cursor === 'S001', 'Home: the first step');
    expect(frame()).toContain('› [ ] S001');
  });
});

describe('key help', () => {
  it('? opens a help of the keys live on this screen only, and closes with ? or Esc', async () => {
    const { c, frame, stdin } = await app();
    await type(stdin, 'd');
    await until(() => frame().includes('y passed'), 'the checkpoint');
    await type(stdin, 'y');
    await until(() => frame().includes('S001 verified.'), 'verified');
    c.select('S001');
    await until(() => frame().includes('› [x] S001'), 'the cursor on S001');
    // A verified step: nothing to begin, do, check or skip; it may be reopened.
    expect(frame()).not.toContain('d I have done this myself');
    expect(frame()).not.toContain('Enter begin');
    expect(frame()).not.toContain('s skip');
    expect(frame()).toContain('r reopen');
    await type(stdin, '?');
    await until(() => frame().includes('Keys on this screen'), 'the help');
    const help = frame();
    expect(help).toMatch(/:\s+go to a step \(:S045\)/);
    expect(help).toMatch(/\/\s+search: id, title, node/);
    expect(help).toMatch(/r\s+reopen/);
    expect(help).not.toMatch(/d\s+I have done/);
    expect(help).not.toMatch(/s\s+skip/);
    // The help is over the list: keys other than ?/Esc do nothing while it is open.
    await type(stdin, 'j');
    expect(c.getView().cursor).toBe('S001');
    await type(stdin, keys.escape);
    await until(() => !frame().includes('Keys on this screen'), 'the help closed');
    c.select('S002');
    await until(() => frame().includes('› [ ] S002'), 'the cursor on S002');
    expect(frame()).toContain('d I have done this myself');
    expect(frame()).not.toContain('r reopen');
  });

  it('no automatic-check key where the step has none; no step keys while an override reason is typed', async () => {
    const { session } = await tempSession(longPlan());
    open.push(session);
    // The port exists (as with --live) but this step has no automatic check.
    const c = new WizardController(session, { verifyStep: () => Promise.resolve({ method: 'automatic' as const, outcome: 'passed' as const }) });
    const r = render(<WizardApp controller={c} modeLabel="LIVE" />);
    const frame = (): string => plain(r.lastFrame());
    await type(r.stdin, 'd');
    await until(() => frame().includes('y passed'), 'the checkpoint');
    expect(frame()).not.toContain('v automatic check');
    await type(r.stdin, 'n');
    await until(() => frame().includes('Checkpoint failed · S001'), 'the failed checkpoint');
    expect(frame()).toContain('r retry');
    await type(r.stdin, 'o');
    await until(() => frame().includes('Reason for the override'), 'the reason');
    expect(frame()).toContain('Enter record the override');
    expect(frame()).not.toContain('r retry');
    expect(frame()).not.toContain('s/Esc stop');
  });
});

describe('go to, search, collapse', () => {
  it(': goes to a step by id (any case, the number alone); an unknown id says so', async () => {
    const { c, frame, stdin } = await app();
    await type(stdin, ':');
    await until(() => frame().includes('Go to step:'), 'the go-to field');
    expect(frame()).toContain('Enter go');
    await type(stdin, 's008', keys.enter);
    await until(() => c.getView().cursor === 'S008', 'the cursor on S008');
    expect(frame()).toContain('› [ ] S008');
    expect(frame()).not.toContain('Go to step:');
    await type(stdin, ':', '3', keys.enter);
    await until(() => c.getView().cursor === 'S003', 'the cursor on S003');
    await type(stdin, ':', 'S999', keys.enter);
    await until(() => frame().includes('There is no step S999 in this plan.'), 'the refusal');
    expect(c.getView().cursor).toBe('S003');
    // Typed letters went to the field, not to the step keys (s would have asked for a skip reason).
    expect(frame()).not.toContain('Why skip');
  });

  it('/ finds a step by title or node, and / Enter walks to the next match', async () => {
    const { c, frame, stdin } = await app();
    await type(stdin, '/');
    await until(() => frame().includes('Search (id, title, node'), 'the search field');
    await type(stdin, 'enterprise ca', keys.enter);
    await until(() => c.getView().cursor === 'S008', 'the title match');
    expect(frame()).toContain('match 1 of 1 (S008)');
    await type(stdin, '/', 'us-cube1', keys.enter);
    await until(() => c.getView().cursor === 'S009', 'the next node match after S008');
    expect(frame()).toContain('match 3 of 4 (S009)');
    await type(stdin, '/', keys.enter);
    await until(() => c.getView().cursor === 'S010', 'the next match');
    await type(stdin, '/', keys.enter);
    await until(() => c.getView().cursor === 'S007', 'wrapped round to the first match');
    await type(stdin, '/', 'no such thing', keys.enter);
    await until(() => frame().includes('No step matches "no such thing".'), 'no match');
  });

  it('z collapses the product under the cursor to one line, the cursor steps over it, z expands it', async () => {
    const { c, frame, stdin } = await app();
    c.select('S003');
    await until(() => frame().includes('› [ ] S003'), 'the cursor on S003');
    await type(stdin, 'z');
    await until(() => frame().includes('6 steps hidden'), 'the collapsed product');
    expect(frame()).not.toContain('S002 Title of S002');
    expect(frame()).toContain('› cucm 0/6');
    // No step key acts on a heading: Enter does not start a hidden step.
    expect(frame()).not.toContain('Enter begin');
    await type(stdin, keys.enter);
    await until(() => frame().includes('cucm is collapsed: press z'), 'the refusal');
    await type(stdin, 'j');
    await until(() => c.getView().cursor === 'S007', 'the step after the collapsed product');
    await type(stdin, 'k');
    await until(() => frame().includes('› cucm 0/6'), 'back on the heading');
    await type(stdin, 'z');
    await until(() => frame().includes('S002 Title of S002'), 'expanded');
    // Going to a hidden step expands its product.
    await type(stdin, 'z', ':', 'S004', keys.enter);
    await until(() => frame().includes('› [ ] S004'), 'S004 shown');
  });
});

describe('raw commands', () => {
  it('x shows the exact lines with the IOS wrapper, unboxed and unwrapped, for a clean copy', async () => {
    const long = `crypto pki trustpoint ${'ENTERPRISE-ROOT-'.repeat(8)}END`;
    const plan = longPlan();
    plan.steps[6] = step('S007', {
      product: 'cube',
      title: 'Trustpoint on the router',
      actions: [
        {
          target: 'us-cube1',
          host: '192.0.2.30',
          platform: 'ios',
          configMode: true,
          saveConfig: true,
          commands: [long, ' enrollment terminal'],
          exchanges: [
            { line: long, dialogue: [], timeoutMs: 1000 },
            { line: ' enrollment terminal', dialogue: [], timeoutMs: 1000 },
          ],
          pasteFiles: [],
        },
      ],
    });
    const { c, frame, stdin } = await app(plan);
    c.select('S007');
    await until(() => frame().includes('› [ ] S007'), 'the cursor on S007');
    // The boxed step view wraps the long line.
    expect(frame().split('\n').some((l) => l === long)).toBe(false);
    await type(stdin, 'x');
    await until(() => frame().includes('Raw commands of S007'), 'the raw view');
    const lines = frame().split('\n');
    const at = lines.indexOf('configure terminal');
    expect(at).toBeGreaterThan(0);
    expect(lines.slice(at, at + 5)).toEqual(['configure terminal', long, ' enrollment terminal', 'end', 'write memory']);
    expect(frame()).not.toMatch(/[│┌└╭╰]/);
    await type(stdin, keys.escape);
    await until(() => frame().includes('› [ ] S007'), 'back to the list');
  });
});
