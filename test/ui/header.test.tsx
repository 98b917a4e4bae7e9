// The header row, always one row: a live run is marked first, in its own style; a rehearsal is
// named before the title, which is cut on a narrow terminal.
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { Header } from '../../src/ui/Header.js';
import { plain } from './helpers.js';

const title = 'ENT-PA security rollout with a title long enough to fill an eighty-column terminal row';

describe('the wizard header', () => {
  it('LIVE comes first and stays on the row, whatever the title', () => {
    const r = render(<Header title={title} session="ent-pa" modeLabel="LIVE (SSH)" live />);
    const rows = plain(r.lastFrame()).split('\n');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(/^\[ LIVE \(SSH\) \] collabsec · session ent-pa · ENT-PA/);
    r.unmount();
  });
  it('a rehearsal is named before the title, and a long title is cut, never wrapped', () => {
    const r = render(<Header title={title} session="ent-pa" modeLabel="rehearsal (nothing is sent)" />);
    const rows = plain(r.lastFrame()).split('\n');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(/^collabsec · rehearsal \(nothing is sent\) · session ent-pa · ENT-PA security rollout/);
    r.unmount();
  });
});
