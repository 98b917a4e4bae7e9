// Tab completion of a file path typed in the wizard (issue 25, certificate checkpoints), as a shell
// does it: the part after the last "/" is completed from the entries of the folder before it, a
// folder gets a trailing "/", several matches complete to their longest common prefix and are
// listed. Relative paths are read from the folder the screen names; "~/" is the home folder.
// The folder is read with a bound: a huge folder (or a slow mount) cannot stall the screen.
import { opendirSync, statSync, type Dirent } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

/** At most this many entries of one folder are read per Tab. */
export const COMPLETE_MAX_ENTRIES = 2000;

export interface Completion {
  /** The typed text, completed as far as it is unambiguous (unchanged when nothing matches). */
  value: string;
  /** The matching names (folders with a trailing "/"), sorted; empty when none. */
  matches: string[];
  /** The folder held more entries than were read: the matches may be incomplete. */
  truncated: boolean;
}

/** `~/x` → the home folder's x; else as typed. */
export function expandHome(p: string): string {
  return p === '~' ? homedir() : p.startsWith('~/') ? join(homedir(), p.slice(2)) : p;
}

/** Where a typed path points: absolute, `~/…`, or relative to `folder`. */
export function resolveTyped(typed: string, folder: string): string {
  const p = expandHome(typed);
  return isAbsolute(p) ? p : resolve(folder, p);
}

function isFolder(dir: string, e: Dirent): boolean {
  if (e.isDirectory()) return true;
  if (!e.isSymbolicLink()) return false;
  try {
    return statSync(join(dir, e.name)).isDirectory();
  } catch {
    return false;
  }
}

function commonPrefix(names: readonly string[]): string {
  let p = names[0] ?? '';
  for (const n of names) while (!n.startsWith(p)) p = p.slice(0, -1);
  return p;
}

/** Completes `typed` (one path) against the entries of its folder, read from `folder` when relative. */
export function completePath(typed: string, folder: string, maxEntries = COMPLETE_MAX_ENTRIES): Completion {
  const cut = typed.lastIndexOf('/') + 1;
  const head = typed.slice(0, cut);
  const base = typed.slice(cut);
  const dir = resolveTyped(head === '' ? '.' : head, folder);
  const found: string[] = [];
  let truncated = false;
  try {
    const d = opendirSync(dir);
    try {
      for (let n = 0; ; n++) {
        if (n >= maxEntries) {
          truncated = d.readSync() !== null;
          break;
        }
        const e = d.readSync();
        if (e === null) break;
        // Hidden entries only when asked for, as a shell does.
        if (!e.name.startsWith(base) || (e.name.startsWith('.') && !base.startsWith('.'))) continue;
        found.push(isFolder(dir, e) ? `${e.name}/` : e.name);
      }
    } finally {
      d.closeSync();
    }
  } catch {
    // No such folder, or not readable: nothing to complete.
    return { value: typed, matches: [], truncated: false };
  }
  found.sort();
  if (found.length === 0) return { value: typed, matches: [], truncated };
  return { value: head + (found.length === 1 ? found[0]! : commonPrefix(found)), matches: found, truncated };
}
