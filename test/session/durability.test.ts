// Reliability case 1 (and 10 for the files the children create): a writer is SIGKILLed at random
// moments, 200 times. Every time, the session file parses and is either the last state the child
// acknowledged (byte for byte) or exactly one operation further. Leftover temp files are never
// read and are cleaned by the next opener.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTempFor } from '../../src/session/atomic-write.js';
import { canonicalJson } from '../../src/session/hash.js';
import { loadSession } from '../../src/session/load.js';
import type { SessionState } from '../../src/session/state.js';
import { bundleChild, killHard, removeTempDirs, spawnChild, tempDir } from './helpers.js';

afterAll(removeTempDirs);

let script = '';
beforeAll(async () => {
  script = await bundleChild();
});

const KILLS = Number(process.env.COLLABSEC_KILLS ?? 200);
// Two independent sessions are killed in parallel (one per core); kills are counted over both.
const LANES = 2;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function entries(s: SessionState): number {
  return Object.values(s.steps).reduce((n, r) => n + r.history.length + r.notes.length, 0);
}

function isOneStepFurther(prev: SessionState, next: SessionState): boolean {
  if (next.lineage !== prev.lineage || next.serial !== prev.serial + 1) return false;
  for (const [id, rec] of Object.entries(prev.steps)) {
    const n = next.steps[id];
    if (!n) return false;
    if (canonicalJson(n.history.slice(0, rec.history.length)) !== canonicalJson(rec.history)) return false;
    if (canonicalJson(n.notes.slice(0, rec.notes.length)) !== canonicalJson(rec.notes)) return false;
  }
  // Key order may differ (a reloaded state comes out of zod in schema order), hence canonicalJson.
  // One operation = one event or note, except opening, which may mark several steps interrupted.
  const added = entries(next) - entries(prev);
  return added >= 1;
}

describe('SIGKILL at random moments', () => {
  it(`keeps the session file whole across ${KILLS} kills`, async () => {
    const lanes = await Promise.all(Array.from({ length: LANES }, () => killLoop(KILLS / LANES)));
    const total = lanes.reduce((t, s) => ({ prev: t.prev + s.prev, next: t.next + s.next, leftovers: t.leftovers + s.leftovers, cleaned: t.cleaned + s.cleaned, killedBeforeReady: t.killedBeforeReady + s.killedBeforeReady }));
    console.log(`kills=${KILLS}`, total);
    // Most kills must have found a previous state to compare with (the rest are first opens).
    expect(total.prev + total.next).toBeGreaterThan(KILLS / 2);
  }, 300_000); // ~20 s on an idle 2-core machine; generous because CI boxes are shared
});

async function killLoop(KILLS: number) {
  {
    let dir = await tempDir();
    let acked: { serial: number; sha: string; text: string } | undefined;
    const stats = { prev: 0, next: 0, leftovers: 0, cleaned: 0, killedBeforeReady: 0 };
    for (let k = 0; k < KILLS; k++) {
      if (k % 25 === 0) {
        // A fresh session now and then keeps the history (and each write) small.
        dir = await tempDir();
        acked = undefined;
      }
      const file = path.join(dir, 'sessions', 'lab.json');
      const before = (await fs.readdir(path.dirname(file)).catch(() => [])).filter((n) => isTempFor(file, n));
      const child = spawnChild(script, ['loop', path.join(dir, 'sessions'), 'lab']);
      const early = k % 10 === 0; // some kills land while the session is being opened
      if (early) {
        await sleep(20 + Math.random() * 60);
      } else {
        await child.waitFor('ready');
        // Temp files of the previous (killed) writer are gone once the next one has opened.
        const now = await fs.readdir(path.dirname(file));
        for (const t of before) expect(now).not.toContain(t);
        stats.cleaned += before.length;
        await sleep(Math.random() * 25);
      }
      await killHard(child);
      if (early && !child.lines.some((l) => l.startsWith('ready'))) stats.killedBeforeReady++;

      // The last state the child saw land on disk.
      for (const line of child.lines) {
        const [tag, serial, sha] = line.split(' ');
        if (tag === 'ok' || tag === 'ready') acked = { serial: Number(serial), sha: sha!, text: '' };
      }
      let text: string;
      try {
        text = await fs.readFile(file, 'utf8');
      } catch {
        expect(acked, `kill ${k}: file missing after an acknowledged write`).toBeUndefined();
        continue;
      }
      const state = await loadSession(file); // throws on empty, partial, NUL or schema failure
      if (acked) {
        if (state.serial === acked.serial) {
          expect(createHash('sha256').update(text).digest('hex'), `kill ${k}: same serial, different bytes`).toBe(acked.sha);
          stats.prev++;
        } else {
          expect(state.serial, `kill ${k}: serial jumped`).toBe(acked.serial + 1);
          const prevState = JSON.parse(acked.text || (await fs.readFile(`${file}.backup`, 'utf8'))) as SessionState;
          expect(isOneStepFurther(prevState, state), `kill ${k}: not one operation further`).toBe(true);
          stats.next++;
        }
      }
      acked = { serial: state.serial, sha: createHash('sha256').update(text).digest('hex'), text };
      stats.leftovers += (await fs.readdir(path.dirname(file))).filter((n) => isTempFor(file, n)).length;
      // Children run under umask 000: the modes come from the code, not the umask.
      expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
      expect((await fs.stat(path.dirname(file))).mode & 0o777).toBe(0o700);
      const backup = await fs.stat(`${file}.backup`).catch(() => undefined);
      if (backup) expect(backup.mode & 0o777).toBe(0o600);
    }
    return stats;
  }
}
