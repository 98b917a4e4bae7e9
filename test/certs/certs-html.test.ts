// `collabsec certs --format html` of the lab estate, opened in headless Chromium during the test
// run: the page is screenshotted (a real PNG of the window's size, much larger than a blank page's)
// and the DOM Chromium parsed holds a row per port and a timeline lane per certificate read.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { captureIo } from '../cert/io.js';
import { startEstate, type Estate } from './lab.js';

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const p = join(dir, name);
    if (dir !== '' && existsSync(p)) return p;
  }
  return undefined;
}

const chromium = onPath('chromium') ?? onPath('chromium-browser');
if (chromium === undefined) {
  // .ci/run installs it; a developer machine without it skips only this file, loudly.
  console.warn('certs-html.test.ts: SKIPPED — no `chromium` on PATH (apt-get install -y chromium)');
}
const W = 1400;
const H = 1800;

async function browser(args: string[], dir: string) {
  return execa(chromium!, ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--hide-scrollbars', `--user-data-dir=${join(dir, 'profile')}`, ...args], {
    timeout: 180_000,
    reject: false,
    stdin: 'ignore',
  });
}

async function screenshot(html: string, png: string, dir: string): Promise<void> {
  const r = await browser([`--screenshot=${png}`, `--window-size=${W},${H}`, pathToFileURL(html).href], dir);
  if (!existsSync(png)) throw new Error(`chromium wrote no screenshot (exit ${r.exitCode}): ${String(r.stderr).slice(-2000)}`);
}

function pngSize(file: string): { width: number; height: number } {
  const b = readFileSync(file);
  expect(b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
  expect(b.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

describe.skipIf(chromium === undefined)('the HTML page in headless Chromium', () => {
  let estate: Estate;
  let dir: string;
  let html: string;
  beforeAll(async () => {
    estate = await startEstate();
    dir = await mkdtemp(join(tmpdir(), 'collabsec-certs-html-'));
    const io = captureIo();
    const code = await main(['certs', '--inventory', estate.inventory, '--timeout', '4', '--format', 'html', '--warn-days', '30'], io);
    expect(code).toBe(6);
    html = join(dir, 'certificates.html');
    await writeFile(html, io.out());
  }, 180_000);
  afterAll(async () => {
    await estate?.close();
  });

  it('screenshots the page: a PNG of the window, far from blank', async () => {
    const png = join(dir, 'certificates.png');
    await screenshot(html, png, dir);
    expect(pngSize(png)).toEqual({ width: W, height: H });
    // The same window of an empty page: the survey's table and timeline must add a lot to it.
    const blank = join(dir, 'blank.html');
    await writeFile(blank, '<!doctype html><html><body></body></html>');
    await screenshot(blank, join(dir, 'blank.png'), dir);
    expect(statSync(png).size).toBeGreaterThan(3 * statSync(join(dir, 'blank.png')).size);
    expect(statSync(png).size).toBeGreaterThan(20_000);
  }, 240_000);

  it('the DOM Chromium parsed: a row per port with its verdict, a timeline lane per certificate read', async () => {
    const r = await browser(['--dump-dom', pathToFileURL(html).href], dir);
    const dom = String(r.stdout);
    const rows = [...dom.matchAll(/<tr class="row" data-node="([^"]+)" data-port="(\d+)" data-verdict="([^"]+)">/g)].map((m) => [m[1], m[3]]);
    expect(Object.fromEntries(rows)).toEqual(estate.expected);
    expect(rows).toHaveLength(Object.keys(estate.expected).length);
    // Ports that presented a certificate: every verdict but the four probe failures.
    const lanes = [...dom.matchAll(/<g class="lane" data-verdict="([^"]+)">/g)].map((m) => m[1]);
    expect(lanes.sort()).toEqual(Object.values(estate.expected).filter((v) => !['refused', 'timeout', 'plain-text', 'closed'].includes(v)).sort());
    expect(dom).toContain('<svg');
    expect(dom).toContain('Stranger Root CA (lab)');
  }, 240_000);
});
