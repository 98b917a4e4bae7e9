// Temp folders for the session tests, removed after each test file. Kept apart from ./helpers.ts
// (which spawns child processes) so that a unit test can use them without importing a spawner.
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';

const created: string[] = [];

/** Removes every directory tempDir (and helpers.ts's bundleChild) made in this test file (call from afterAll). */
export async function removeTempDirs(): Promise<void> {
  for (const d of created.splice(0)) await fs.rm(d, { recursive: true, force: true });
}

export async function tempDir(prefix = 'collabsec-session-'): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  created.push(dir);
  return dir;
}
