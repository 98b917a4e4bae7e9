// The journal's contract (contract.ts) on the default backend: session files in a private folder.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { afterAll } from 'vitest';
import { writeFileAtomic } from '../../src/session/atomic-write.js';
import { FileSessionBackend, FileSessionStore } from '../../src/session/file-store.js';
import type { SessionState } from '../../src/session/state.js';
import type { SessionBackend } from '../../src/session/store.js';
import { sessionContract } from './contract.js';
import { removeTempDirs, tempDir } from './temp-dirs.js';

afterAll(removeTempDirs);

const fileOf = (b: SessionBackend, name: string) => (b.store(name) as FileSessionStore).file;

sessionContract('file', {
  backend: async () => new FileSessionBackend(path.join(await tempDir(), '.collabsec')),
  async editEvent(b, name, seq, patch) {
    // An editor keeps the file's layout and mode: only the event changes.
    const file = fileOf(b, name);
    const state = JSON.parse(await fs.readFile(file, 'utf8')) as SessionState;
    const event = Object.values(state.steps).flatMap((r) => r.history).find((e) => e.seq === seq)!;
    Object.assign(event, patch);
    await writeFileAtomic(file, `${JSON.stringify(state, null, 1)}\n`);
  },
  async damage(b, name) {
    await fs.writeFile(fileOf(b, name), '{"version":1,"lineage":"');
  },
});
