// Faults in the session folder (issue 19, from issue 12 "Faults in the session folder"): links,
// folders open to others, a session file that is a link to someone else's state or to any file,
// a lock that is a folder, and disk errors — each refused naming the path (never its content),
// exit 5, nothing left behind.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/errors.js';
import { writeFileAtomic } from '../../src/session/atomic-write.js';
import { SessionFolderError, writeFailure } from '../../src/session/folder.js';
import { openSession, type Session } from '../../src/session/journal.js';
import { loadSession } from '../../src/session/load.js';
import { makePlan } from './fixtures/plan.js';
import { removeTempDirs, tempDir } from './temp-dirs.js';

afterAll(removeTempDirs);
const open: Session[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

async function session(root: string, dir = path.join(root, '.collabsec'), name = 'lab'): Promise<Session> {
  const s = await openSession({ plan: makePlan(), inventoryPath: path.join(root, 'inv.yaml'), dir, name });
  open.push(s);
  return s;
}

async function refusal(p: Promise<unknown>): Promise<SessionFolderError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(SessionFolderError);
  expect((e as SessionFolderError).exitCode).toBe(ExitCode.sessionUnavailable);
  return e as SessionFolderError;
}

describe('links in the session folder are never followed', () => {
  it('a session file that links to another valid session is refused; the other session is untouched', async () => {
    const root = await tempDir();
    const other = await session(root, path.join(root, '.collabsec'), 'other');
    await other.addNote('S001', 'theirs');
    await other.close();
    open.splice(0);
    const before = await fs.readFile(other.file, 'utf8');
    await fs.symlink(other.file, path.join(root, '.collabsec', 'lab.json'));
    const e = await refusal(session(root));
    expect(e.message).toContain('lab.json is a symbolic link');
    expect(await fs.readFile(other.file, 'utf8')).toBe(before);
  });

  it('a link to any file is named, its content never printed', async () => {
    const root = await tempDir();
    await fs.mkdir(path.join(root, '.collabsec'), { mode: 0o700 });
    const secret = path.join(root, 'secret.txt');
    await fs.writeFile(secret, 'TOP-SECRET-CONTENT', { mode: 0o600 });
    await fs.symlink(secret, path.join(root, '.collabsec', 'lab.json'));
    const e = await refusal(loadSession(path.join(root, '.collabsec', 'lab.json')));
    expect(`${e.message} ${e.tryMessage ?? ''}`).not.toContain('TOP-SECRET');
  });

  it('a .collabsec that links to a world-writable folder is refused before anything is written there', async () => {
    const root = await tempDir();
    const shared = await tempDir();
    await fs.chmod(shared, 0o777);
    await fs.symlink(shared, path.join(root, '.collabsec'));
    const e = await refusal(session(root));
    expect(e.message).toContain('.collabsec is a symbolic link');
    expect(await fs.readdir(shared)).toEqual([]);
  });
});

describe('modes looser than 0700 / 0600 are refused with the fix', () => {
  it('an existing 0777 .collabsec', async () => {
    const root = await tempDir();
    await fs.mkdir(path.join(root, '.collabsec'));
    await fs.chmod(path.join(root, '.collabsec'), 0o777);
    const e = await refusal(session(root));
    expect(e.message).toContain('is mode 0777');
    expect(e.tryMessage).toContain('chmod 700');
  });

  it('a 0644 session file', async () => {
    const root = await tempDir();
    const s = await session(root);
    await s.close();
    open.splice(0);
    await fs.chmod(s.file, 0o644);
    const e = await refusal(loadSession(s.file));
    expect(e.message).toContain('is mode 0644');
    expect(e.tryMessage).toContain(`chmod 600 '${s.file}'`);
  });
});

describe('damaged state and locks', () => {
  it('half-written JSON is named with a byte position, never quoted', async () => {
    const root = await tempDir();
    await fs.mkdir(path.join(root, '.collabsec'), { mode: 0o700 });
    const file = path.join(root, '.collabsec', 'lab.json');
    await fs.writeFile(file, 'PASSWORD=hunter2 {', { mode: 0o600 });
    const e = (await loadSession(file).catch((x: unknown) => x)) as Error & { tryMessage?: string };
    expect(e.message).toMatch(/not complete JSON/);
    expect(`${e.message} ${e.tryMessage ?? ''}`).not.toContain('hunter2');
  });

  it('a stale lock that is a folder: refused naming it, nothing left behind', async () => {
    const root = await tempDir();
    await fs.mkdir(path.join(root, '.collabsec'), { mode: 0o700 });
    await fs.mkdir(path.join(root, '.collabsec', 'lab.json.lock'));
    const e = await refusal(session(root));
    expect(e.message).toContain('lab.json.lock is a folder, not a lock file');
    expect((await fs.readdir(path.join(root, '.collabsec'))).sort()).toEqual(['lab.json.lock']);
  });
});

describe('disk errors while writing', () => {
  it('ENOSPC, EROFS, EDQUOT, EACCES become one line with exit 5; other errors stay bugs', () => {
    for (const code of ['ENOSPC', 'EROFS', 'EDQUOT', 'EACCES']) {
      const e = writeFailure('/s/lab.json', Object.assign(new Error('x'), { code }));
      expect(e?.exitCode).toBe(ExitCode.sessionUnavailable);
      expect(e?.message).toMatch(new RegExp(`Cannot write /s/lab.json: .* \\(${code}\\)\\. The session state before this change is intact`));
    }
    expect(writeFailure('/s/lab.json', Object.assign(new Error('x'), { code: 'EBADF' }))).toBeUndefined();
  });

  // root writes through folder modes, so this case runs only as another user.
  it.skipIf(process.getuid?.() === 0)('a write into a read-only folder: exit 5, the previous state kept, no temp file left', async () => {
    const root = await tempDir();
    const dir = path.join(root, '.collabsec');
    const file = path.join(dir, 'lab.json');
    await writeFileAtomic(file, '{"old":1}');
    await fs.chmod(dir, 0o500);
    try {
      const e = (await writeFileAtomic(file, '{"new":1}').catch((x: unknown) => x)) as Error & { exitCode?: number };
      expect(e.exitCode).toBe(ExitCode.sessionUnavailable);
    } finally {
      await fs.chmod(dir, 0o700);
    }
    expect(await fs.readFile(file, 'utf8')).toBe('{"old":1}');
    expect((await fs.readdir(dir)).filter((n) => n.startsWith('.lab.json.'))).toEqual([]);
  });
});
