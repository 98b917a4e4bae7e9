// The wizard as `npm start` and the `collabsec` command run it: the esbuild bundle that
// `npm run build` writes (dist/bin/cli.js, scripts/bundle.ts; rebuilt by test/global-setup.ts),
// with ink, react and their chalk inside it. The other e2e files run a launcher bundled with every
// package left in node_modules, so only this file sees ink's bundled chalk obey NO_COLOR.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repo, Tmux, workspace } from './helpers.js';

const cli = path.join(repo, 'dist', 'bin', 'cli.js');
const terms: Tmux[] = [];
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(terms.map((t) => t.kill()));
  await Promise.all(dirs.map((d) => fs.rm(d, { recursive: true, force: true })));
});

// Any style in tmux's capture (bold, dim, inverse, a colour): an SGR sequence with a parameter
// other than a reset (0) or the default colours (39, 49), which tmux writes on any screen.
const styled = (screen: string): boolean => [...screen.matchAll(/\u001b\[([0-9;]*)m/g)].some((m) => m[1]!.split(';').some((p) => !['', '0', '39', '49'].includes(p)));

describe('the bundled collabsec run', () => {
  it.each([
    ['NO_COLOR=1', '1', false],
    ['NO_COLOR unset', '', true],
  ])('draws its first frame, styled as NO_COLOR says (%s), and quits with 0', { timeout: 120_000 }, async (_name, noColor, coloured) => {
    const { dir, inventory } = await workspace();
    dirs.push(dir);
    const t = new Tmux(dir);
    terms.push(t);
    t.start(cli, ['run', '--inventory', inventory], { NO_COLOR: noColor });
    const screen = await t.waitFor('? help', 60_000);
    expect(screen).toMatch(/› \[ \] P001 /);
    expect(styled(t.styledScreen()), t.styledScreen()).toBe(coloured);
    t.send('q');
    await t.waitFor('[exit 0]', 30_000);
  });
});
