// Cost of one durable session write (fsync'ed temp file, backup link, rename, directory fsync)
// with a 1,000-step history, measured through the public journal API.
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Plan, PlannedStep } from '../src/plan/types.js';
import { appendEvent } from '../src/session/chain.js';
import { openSession } from '../src/session/journal.js';
import type { SessionState } from '../src/session/state.js';

function plan(steps: number): Plan {
  const mk = (i: number): PlannedStep => {
    const id = `S${String(i + 1).padStart(4, '0')}`;
    const line = `utils ctl set-cluster mixed-mode ${id}`;
    return {
      id, slug: `s-${i}`, title: `Step ${i}`, product: ['cucm', 'imp', 'cuc'][i % 3]!, phase: 'p', kind: 'cli', summary: 's', disruptive: false,
      restarts: [], warnings: [], requires: [], instructions: [], checkpoint: { question: 'ok?', origin: 'source' },
      actions: [{ target: 'cucm-pub', host: 'cucm-pub.example.com', platform: 'vos', commands: [line], exchanges: [{ line, dialogue: [], timeoutMs: 1000 }], pasteFiles: [] }],
    };
  };
  return { inventoryHash: 'i', catalogueHash: 'c', title: 'bench', summary: [], steps: Array.from({ length: steps }, (_, i) => mk(i)) };
}

export async function benchSession(): Promise<{ name: string; value: number; unit: string; note?: string }[]> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'collabsec-bench-'));
  try {
    const p = plan(1000);
    // Create the session, then give every step a realistic history directly in the file (2,000
    // journaled writes would only measure the filling), and reopen it through the loader.
    const first = await openSession({ plan: p, inventoryPath: path.join(dir, 'inv.yaml'), dir });
    const file = first.file;
    await first.close();
    let state = JSON.parse(await fs.readFile(file, 'utf8')) as SessionState;
    // Appended through the hash chain as collabsec appends them: a file edited without it is
    // (rightly) refused as tampered on open.
    for (const [id, rec] of Object.entries(state.steps)) {
      const at = new Date().toISOString();
      state = appendEvent(state, id, { status: 'started', at, user: 'ops', host: 'jump1', target: 'cucm-pub', commandsHash: rec.commandsHash });
      state = appendEvent(state, id, { status: 'verified', at, user: 'ops', host: 'jump1', outcome: 'passed', commandsHash: rec.commandsHash, checkpoint: { method: 'automatic', outcome: 'passed', summary: '3 of 3 nodes report the new certificate' } });
    }
    await fs.writeFile(file, JSON.stringify(state, null, 1));
    const s = await openSession({ plan: p, inventoryPath: path.join(dir, 'inv.yaml'), dir });
    const size = (await fs.stat(s.file)).size;
    const times: number[] = [];
    for (let i = 0; i < 30; i++) {
      const t0 = process.hrtime.bigint();
      await s.addNote('S0001', `bench note ${i}`);
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    await s.close();
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)]!;
    const p90 = times[Math.floor(times.length * 0.9)]!;
    return [
      { name: 'session write, 1,000-step history (median)', value: Math.round(median * 100) / 100, unit: 'ms', note: `file ${Math.round(size / 1024)} KiB, 2,000 events; fsync file + dir, backup link` },
      { name: 'session write, 1,000-step history (p90)', value: Math.round(p90 * 100) / 100, unit: 'ms' },
    ];
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
