// The header row: a live run is marked first, in its own style, where a long title cannot push it
// out of an 80-column row; a rehearsal says so at the end.
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { Header } from '../../src/ui/Header.js';
import { plain } from './helpers.js';

const title = 'ENT-PA security rollout with a title long enough to fill an eighty-column terminal row';

describe('the wizard header', () => {
  it('LIVE comes first and stays on the row, whatever the title', () => {
    const r = render(<Header title={title} session="ent-pa" modeLabel="LIVE (SSH)" live />);
    const rows = plain(r.lastFrame()).split('\n');
    expect(rows[0]).toMatch(/^\[ LIVE \(SSH\) \] collabsec · ENT-PA/);
    r.unmount();
  });
  it('a rehearsal is named at the end', () => {
    const r = render(<Header title="ENT-PA" session="ent-pa" modeLabel="rehearsal (nothing is sent)" />);
    expect(plain(r.lastFrame())).toBe('collabsec · ENT-PA · session ent-pa · rehearsal (nothing is sent)');
    r.unmount();
  });
});
