// The wizard in an 80×24 terminal (issue 25): the step view and the `?` help fit the frame, the
// header stays on the first row and the key bar on screen (ink reprints from the top when a frame
// is taller than the terminal, which scrolls the header away). Screens are captured by tmux.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlan } from '../../src/plan/load-plan.js';
import { bundleLauncher, repo, runPlain, Tmux, workspace } from './helpers.js';

let launcher: string;
const terms: Tmux[] = [];
beforeAll(async () => {
  launcher = await bundleLauncher();
});
afterAll(async () => {
  await Promise.all(terms.map((t) => t.kill()));
  await fs.rm(launcher, { force: true });
});

/** The frame fits: at most `rows` rows of at most `cols` columns, the header first. */
function fits(screen: string, size = { cols: 80, rows: 24 }): void {
  const rows = screen.replace(/\n+$/, '').split('\n');
  expect(rows.length).toBeLessThanOrEqual(size.rows);
  for (const r of rows) expect([...r].length).toBeLessThanOrEqual(size.cols);
  expect(rows[0]).toMatch(/^collabsec · /);
}

describe('collabsec run at 80×24', () => {
  it('the step view and the ? help fit the frame with the header and the key bar', { timeout: 120_000 }, async () => {
    const { dir, inventory } = await workspace();
    const t = new Tmux(dir);
    terms.push(t);
    t.start(launcher, ['run', '--inventory', inventory], {}, { cols: 80, rows: 24 });
    let screen = await t.waitFor('? help', 60_000);
    fits(screen);
    expect(screen).toMatch(/› \[ \] P001 /);
    expect(screen).toContain('q quit');

    t.send('?');
    screen = await t.waitFor('Keys on this screen', 30_000);
    fits(screen);
    expect(screen).toMatch(/:\s+go to a step/);
    expect(screen).toContain('? or Esc closes this help.');

    t.send('Escape');
    await t.waitFor(/› \[ \] P001 /, 30_000);
    await t.goTo('S022');
    screen = await t.waitFor('S022 Enable mixed mode', 30_000);
    fits(screen);
    expect(screen).toContain('Cannot start yet');
    t.send('q');
    await t.waitFor('[exit 0]', 30_000);
  });

  // Any style in tmux's capture (bold, dim, inverse, a colour): an SGR sequence with a parameter
  // other than a reset (0) or the default colours (39, 49), which tmux writes on any screen.
  const styled = (screen: string): boolean => [...screen.matchAll(/\u001b\[([0-9;]*)m/g)].some((m) => m[1]!.split(';').some((p) => !['', '0', '39', '49'].includes(p)));
  it.each([
    ['NO_COLOR=1', '1', false],
    ['NO_COLOR unset', '', true],
  ])('styles in the TUI follow NO_COLOR (%s)', { timeout: 120_000 }, async (_name, noColor, coloured) => {
    const { dir, inventory } = await workspace();
    const t = new Tmux(dir);
    terms.push(t);
    t.start(launcher, ['run', '--inventory', inventory], { NO_COLOR: noColor }, { cols: 80, rows: 24 });
    await t.waitFor('? help', 60_000);
    // ink's colour library would style the frame whatever NO_COLOR says (run.ts sets FORCE_COLOR=0).
    expect(styled(t.styledScreen()), t.styledScreen()).toBe(coloured);
    t.send('q');
    await t.waitFor('[exit 0]', 30_000);
  });

  it('the disruptive confirmation fits with what it confirms; a resize redraws the frame at once', { timeout: 180_000 }, async () => {
    // S009's prerequisites done first (plain mode, by the operator's word), so S009 can start.
    const { plan } = loadPlan(path.join(repo, 'examples', 'ent-pa.yaml'));
    const byId = new Map(plan.steps.map((s) => [s.id, s]));
    const need = new Set<string>();
    const visit = (id: string): void => byId.get(id)!.requires.forEach((r) => (need.has(r) ? undefined : (need.add(r), visit(r))));
    visit('S009');
    const { dir, inventory } = await workspace();
    const prereq = plan.steps.filter((s) => need.has(s.id)).map((s) => s.id);
    const done = await runPlain(launcher, ['run', '--inventory', inventory, '--steps', prereq.join(','), '--checkpoint-passed', '--yes'], dir);
    expect(done.code, done.stderr).toBe(0);

    const t = new Tmux(dir);
    terms.push(t);
    t.start(launcher, ['run', '--inventory', inventory], {}, { cols: 80, rows: 24 });
    await t.waitFor('? help', 60_000);
    await t.inputReady();
    await t.goTo('S009');
    await t.waitFor(/S009 Restart the services/, 30_000);
    t.send('Enter');
    let screen = await t.waitFor('To go on, type', 30_000);
    fits(screen);
    // What is confirmed is on screen: the step, the nodes it is sent to, its first lines, the word.
    expect(screen).toContain('Disruptive step: S009');
    expect(screen).toMatch(/Sends to us-cm-pub, us-cm-sub1, /);
    expect(screen).toContain('  utils service restart Cisco Tftp');
    expect(screen).toMatch(/To go on, type S009 and press Enter/);
    expect(screen).toContain('Confirm:');

    // A bigger terminal: the frame is drawn again for it (header on the first row, nothing beyond it).
    t.resize(100, 30);
    screen = await t.waitFor((sc) => sc.includes('To go on, type') && sc.split('\n')[0]!.startsWith('collabsec · '), 30_000);
    fits(screen, { cols: 100, rows: 30 });
    // And back to 80×24: still whole.
    t.resize(80, 24);
    screen = await t.waitFor((sc) => sc.includes('To go on, type') && sc.split('\n')[0]!.startsWith('collabsec · ') && sc.replace(/\n+$/, '').split('\n').length <= 24, 30_000);
    fits(screen);
    t.send('Escape');
    await t.waitFor((sc) => !sc.includes('To go on, type'), 30_000);
    t.send('q');
    await t.waitFor('[exit 0]', 30_000);
  });
});
