// The text plan view never passes a control sequence through (issue 19): every value — here a
// certificate subject, a GUI value and a command read from a hostile plan — is stripped before
// the view's own colours are applied, with colour on and off.
import { describe, expect, it } from 'vitest';
import { formatText } from '../../src/plan/format/text.js';
import type { Plan } from '../../src/plan/types.js';

const evil = 'A\u001b[2J\u001b]0;pwned\u0007B\u009b31mC\u202eD\u200bE\ue001F';

function hostilePlan(): Plan {
  return {
    inventoryHash: 'x',
    catalogueHash: 'y',
    title: `Title ${evil}`,
    summary: [],
    steps: [
      {
        id: 'S001',
        slug: 'one',
        title: `Step ${evil}`,
        product: 'cucm',
        phase: 'A',
        kind: 'cli',
        summary: evil,
        disruptive: false,
        restarts: [],
        warnings: [evil],
        requires: [],
        actions: [
          {
            target: 'pub',
            host: '192.0.2.1',
            platform: 'vos',
            commands: [`show ${evil}`],
            exchanges: [{ line: `show ${evil}`, timeoutMs: 1000, dialogue: [{ expect: 'Paste', paste: 'ca.pem', terminator: '' }] }],
            pasteFiles: [{ path: 'ca.pem', subject: `CN=${evil}` }],
          },
        ],
        gui: { path: [evil], fields: [{ field: 'F', value: evil }], notes: [] },
        instructions: [],
        checkpoint: { question: evil, origin: 'suggested' },
      },
    ],
  };
}

describe('text plan view with hostile values', () => {
  it.each([true, false])('colour %s: no control, bidi or zero-width character survives; only the view\'s own SGR codes', (color) => {
    const text = formatText(hostilePlan(), { color, productNames: {} });
    const escapes = [...text.matchAll(/\u001b\[([0-9;]*)m/g)].map((m) => m[1]);
    const withoutSgr = text.replace(/\u001b\[[0-9;]*m/g, '');
    expect(withoutSgr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/);
    // The view's colours are the only escapes, and only when colour is on; nothing else, no screen clear.
    if (color) expect(new Set(escapes)).toEqual(new Set(['0', '1', '2', '33', '36']));
    else expect(escapes).toEqual([]);
    expect(text).not.toContain('2J');
    // The readable characters stay, in order (a forged colour marker is at most a colour toggle).
    expect(withoutSgr).toContain('show ABCDEF');
    expect(text).not.toContain('pwned\u0007');
  });
});

describe('a step with many targets, one of them hostile', () => {
  // The text of a step is made in parts of 25 targets (src/plan/format/text.ts, stepParts): the
  // part holding the hostile value is made again line by line, the others are kept as they are.
  // Every line must still come out once, in order, and the hostile one stripped.
  const targets = Array.from({ length: 60 }, (_, i) => `n${i}`);
  const plan = (): Plan => {
    const p = hostilePlan();
    const s = p.steps[0]!;
    p.title = 'Title';
    Object.assign(s, { title: 'Step', summary: 'summary', warnings: [], gui: undefined });
    s.actions = targets.map((target, i) => ({
      target,
      commands: [],
      exchanges: [],
      pasteFiles: [],
      checkpoint: { question: i === 30 ? `Is ${evil} fine?` : `Is ${target} fine?`, origin: 'suggested' as const },
    }));
    return p;
  };

  it('keeps every target and checkpoint line in order and strips only the hostile one', () => {
    const lines = formatText(plan(), { color: false, productNames: {} }).split('\n');
    expect(lines.filter((l) => l.startsWith('    On '))).toEqual(targets.map((t) => `    On ${t}`));
    const checkpoints = lines.filter((l) => l.startsWith('    ✓ Checkpoint'));
    expect(checkpoints).toEqual(targets.map((t, i) => `    ✓ Checkpoint on ${t} (suggested): Is ${i === 30 ? 'ABCDEF' : t} fine?`));
    expect(lines.join('\n')).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ue000-\ue004]/);
  });
});
