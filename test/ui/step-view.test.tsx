import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { StepView } from '../../src/ui/StepView.js';
import { step, wizardPlan } from '../wizard/fixtures.js';
import { plain } from './helpers.js';

const plan = wizardPlan();
const [gui, mixed] = plan.steps;

describe('StepView', () => {
  it('shows what and why, warnings, exact commands per node with dialogues, pasted file fingerprints and the checkpoint', () => {
    const frame = plain(render(<StepView step={mixed!} status="pending" missing={['S001']} />).lastFrame());
    expect(frame).toContain('S002 Enable mixed mode [ ] pending');
    expect(frame).toContain('Summary of S002.');
    expect(frame).toContain('Cannot start yet: first verify S001.');
    expect(frame).toContain('! Disruptive:');
    expect(frame).toContain('! Restarts: Cisco CallManager');
    expect(frame).toContain('! Ordering: only after S001 is verified');
    expect(frame).toContain('! Run on the publisher only.');
    expect(frame).toContain('On us-cm-pub (192.0.2.10, vos):');
    expect(frame).toContain('    utils ctl set-cluster mixed-mode');
    expect(frame).toContain('? Do you want to continue (y/n)?  → y');
    // The fingerprint line is longer than the 100-column test terminal: compare it unwrapped.
    expect(frame.replace(/\s*\n\s*/g, ' ')).toContain(`? Paste the Certificate  → paste certs/root.pem (root CA) sha256 ${'ab'.repeat(32)}, then an empty line`);
    expect(frame).toContain('? Password:  → (secret, asked at run time)');
    expect(frame).not.toContain('hunter2');
    expect(frame).toContain('Checkpoint: Is S002 done?');
  });

  it('shows a GUI path with a field → value table, reasons and notes', () => {
    const record = {
      id: 'S001',
      title: 't',
      product: 'cucm',
      commandsHash: 'h',
      history: [{ status: 'skipped' as const, at: '2026-01-01T10:00:00Z', user: 'op', reason: 'done by the PKI team' }],
      notes: [{ at: '2026-01-02T09:30:00Z', user: 'alice', text: 'CHG-42 approved' }],
    };
    const frame = plain(render(<StepView step={gui!} status="skipped" record={record} flagged />).lastFrame());
    expect(frame).toContain('[-] skipped');
    expect(frame).toContain('GUI: OS Admin > Security > Upload');
    expect(frame).toContain('Certificate Purpose │ tomcat-trust');
    expect(frame).toContain('Reason recorded: done by the PKI team');
    expect(frame).toContain('2026-01-02 09:30 alice: CHG-42 approved');
    expect(frame).toContain('Its commands changed after it was skipped');
  });

  it('names the certificate check of a checkpoint that has one', () => {
    const s = step('S090', { checkpoint: { question: 'Is the tomcat certificate right?', origin: 'source', certificate: 'tomcat' } });
    const frame = plain(render(<StepView step={s} status="pending" />).lastFrame());
    expect(frame).toContain('certificate check: collabsec cert check --for tomcat --inventory <inventory> CERT');
  });
});
