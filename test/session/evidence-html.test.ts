// The HTML evidence pack prints on paper for the change board (issue 25, from issue 12 "Steps say
// what to do"): a GUI step's path and field values are a table (menu path, field → value rows) as
// the plan's MOP shows them, not comment lines in a code block; long lines wrap (pre-wrap, wrapping
// anywhere as a last resort) and a print stylesheet sets A4. On the example's own steps.
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPlan } from '../../src/plan/load-plan.js';
import { renderEvidence } from '../../src/session/evidence.js';
import { openSession } from '../../src/session/journal.js';
import { removeTempDirs, tempDir } from './temp-dirs.js';

afterAll(removeTempDirs);

/** The example's plan with S002 (GUI path and CLI form) and S010 (GUI only) verified. */
async function examplePack(): Promise<string> {
  const dir = await tempDir();
  const { plan } = loadPlan(path.join(import.meta.dirname, '../../examples/ent-pa.yaml'));
  const s = await openSession({ plan, inventoryPath: path.join(dir, 'ent-pa.yaml'), mode: 'rehearsal' });
  for (const id of ['S002', 'S010']) await s.recordResult(id, { outcome: 'passed', checkpoint: { method: 'operator', outcome: 'passed' } });
  await s.close();
  return renderEvidence(plan, s.state, 'html', '2026-12-13T00:00:00Z');
}

const section = (html: string, id: string): string => html.slice(html.indexOf(`<section id="${id}"`), html.indexOf('</section>', html.indexOf(`<section id="${id}"`)));

describe('the HTML evidence pack on paper', () => {
  it('prints a GUI path as a table of menu path and field → value rows; the CLI form as its lines', async () => {
    const html = await examplePack();
    const s002 = section(html, 'S002');
    expect(s002).toContain('<tr><th scope="row">Menu path</th><td colspan="2">Cisco Unified OS Administration &gt; Security &gt; Certificate Management &gt; Upload Certificate/Certificate chain</td></tr>');
    expect(s002).toContain('<tr><td></td><td>Certificate Purpose</td><td>tomcat-trust</td></tr>');
    expect(s002).not.toContain('# GUI:');
    expect(s002).toContain('<p>On us-cm-pub (192.0.2.10):</p>');
    expect(s002).toContain('<pre>set cert import trust tomcat\nset cert import trust CallManager</pre>');
    const s010 = section(html, 'S010');
    expect(s010).toContain('<table class="gui">');
    expect(s010).not.toMatch(/<pre>[^<]*GUI/);
  });

  it('wraps long lines and has a print stylesheet for A4', async () => {
    const html = await examplePack();
    const style = html.slice(html.indexOf('<style>'), html.indexOf('</style>'));
    expect(style).toMatch(/pre\{[^}]*white-space:pre-wrap/);
    expect(style).toMatch(/pre\{[^}]*overflow-wrap:anywhere/);
    expect(style).not.toMatch(/overflow-x:auto/);
    expect(style).toContain('@page{size:A4');
    expect(style).toContain('@media print{');
  });
});
