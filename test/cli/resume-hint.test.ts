// The "Continue with: …" line the wizard prints on quit must work when pasted into a shell.
import { describe, expect, it } from 'vitest';
import { resumeCommand, shellWord } from '../../src/commands/resume-hint.js';

/** A POSIX shell's reading of single-quoted and bare words (all shellWord produces). */
function words(line: string): string[] {
  const out: string[] = [];
  const re = /\s*((?:'[^']*'|\\.|[^\s'\\])+)/gy;
  for (let m; (m = re.exec(line)) !== null; ) out.push(m[1]!.replace(/'([^']*)'|\\(.)/g, (_, q: string | undefined, e: string | undefined) => q ?? e ?? ''));
  return out;
}

describe('the resume hint', () => {
  it('quotes a session file path so spaces, quotes and $ survive the shell', () => {
    for (const file of ['/srv/rollout/.collabsec/ent-pa.json', "/home/o'brien/change window/.collabsec/site.json", '/tmp/$HOME;rm -rf x/.collabsec/a.json']) {
      const line = resumeCommand({ name: 'x', file });
      expect(words(line)).toEqual(['collabsec', 'resume', '--session', file]);
    }
    expect(resumeCommand({ name: 'x', file: '/srv/a.json' })).toBe('collabsec resume --session /srv/a.json');
  });

  it('names the session and its database, not the location a --session cannot take', () => {
    const line = resumeCommand({ name: 'ent-pa', backend: { url: 'postgres://ops@db.example.com/rollouts', fromEnv: false } });
    expect(words(line)).toEqual(['collabsec', 'resume', '--session', 'ent-pa', '--backend', 'postgres://ops@db.example.com/rollouts']);
    expect(line).not.toContain('#');
  });

  it('leaves the backend to COLLABSEC_BACKEND when that is where it came from', () => {
    expect(resumeCommand({ name: 'ent-pa', backend: { url: 'postgres://ops@db/r', fromEnv: true } })).toBe('collabsec resume --session ent-pa');
  });

  it('keeps plainly safe words bare and quotes everything else', () => {
    expect(shellWord('ent-pa_2.json')).toBe('ent-pa_2.json');
    expect(shellWord('a b')).toBe("'a b'");
    expect(shellWord("it's")).toBe("'it'\\''s'");
    expect(shellWord('`x`')).toBe("'`x`'");
  });
});
