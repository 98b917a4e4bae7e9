// The wizard in an 80×24 terminal (issue 25): the step view and the `?` help fit the frame, the
// header stays on the first row and the key bar on screen (ink reprints from the top when a frame
// is taller than the terminal, which scrolls the header away). Screens are captured by tmux.
import * as fs from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleLauncher, Tmux, workspace } from './helpers.js';

let launcher: string;
const terms: Tmux[] = [];
beforeAll(async () => {
  launcher = await bundleLauncher();
});
afterAll(async () => {
  await Promise.all(terms.map((t) => t.kill()));
  await fs.rm(launcher, { force: true });
});

/** The frame fits: at most 24 rows of at most 80 columns, the header first. */
function fits(screen: string): void {
  const rows = screen.replace(/\n+$/, '').split('\n');
  expect(rows.length).toBeLessThanOrEqual(24);
  for (const r of rows) expect([...r].length).toBeLessThanOrEqual(80);
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
    t.send(':');
    // Typed once the field is on screen: keys sent before it would reach the step list.
    await t.waitFor('Go to step:', 30_000);
    t.type('S022');
    t.send('Enter');
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
});
