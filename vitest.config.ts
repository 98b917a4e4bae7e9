import { defineConfig } from 'vitest/config';

// Three projects, run one after the other by `npm test`:
// - "unit": pure, fast tests (parsing, planning, rendering, the journal on a temp folder, the TUI in
//   ink-testing-library). No child process, no server, no socket: test/support/unit-guard.ts makes
//   spawning or listening throw there, and test/projects.test.ts reads every unit file's imports.
//   It answers in about a minute (`npm run test:unit`), two files at a time: vitest's default for
//   a run is one worker fewer than the cores, which on a 2-core machine ran the files one by one
//   (78 s measured; 53 s with --maxWorkers=2 on the same box, 2026-12-05).
// - "system": the files below, which start real things: sshd, ssh2 Server labs and the lab
//   simulators, postgres clusters, tmux end-to-end runs, openssl, killed child processes, output
//   floods. Many assert time-outs and races, so they run one file at a time and never share the
//   2 cores with another heavy file; they alone need dist/ built (test/global-setup.ts).
// - "walk": the whole-plan walk against the lab (issue 18), one file at a time.
// vitest honours fileParallelism only for a whole run, not per project, so `npm run test:system`
// and `npm run test:walk` pass --no-file-parallelism (one file at a time, each in a fresh fork).
// A file is in "system" only because it is listed here; everything else under test/ (but walk) is
// "unit". Put a new file here when it starts any of those things (the guard and the check above
// will say so); a pure file that takes more than a few seconds belongs here too.
export const SYSTEM_FILES: string[] = [
  // merged with the Control Center, certs and team-session work (servers, chromium, postgres, child processes)
  'test/transport/controlcenter.test.ts',
  'test/wizard/live-cupi.test.ts',
  'test/certs/certs-command.test.ts',
  'test/certs/certs-html.test.ts',
  'test/e2e/team-pg.test.ts',
  'test/bench/sessions.test.ts',
  'test/session/lock-reclaim.test.ts',
  'test/session/presence.test.ts',
  'test/session/presence-pg.test.ts',
  'test/session/team-turn-pg.test.ts',
  'test/wizard/presence-pg.test.tsx',
  'test/wizard/by-hand-pg.test.ts',
  // openssl and other child processes
  'test/cert/local.test.ts',
  'test/cert/openssl-interop.test.ts',
  'test/cli/conventions.test.ts',
  'test/inventory/bounded-input.test.ts',
  'test/plan/lazy-imports.test.ts',
  'test/scripts/grapheme-fast-path.test.ts',
  'test/scripts/ink-output.test.ts',
  'test/plan/code-cache.test.ts',
  'test/plan/young-generation.test.ts',
  'test/plan/optimising-tier.test.ts',
  'test/e2e/bundle-user-errors.test.ts',
  'test/transport/known-hosts.test.ts',
  'test/ui/app-cert-local.test.tsx',
  'test/wizard/controller-cert-local.test.ts',
  'test/wizard/local-files.test.ts',
  'test/wizard/local-steps.test.ts',
  // tmux end-to-end runs of the built CLI
  'test/e2e/init.test.ts',
  'test/e2e/live.test.ts',
  'test/e2e/plain.test.ts',
  'test/e2e/wizard.test.ts',
  'test/e2e/tui-80x24.test.ts',
  'test/e2e/bundle.test.ts',
  // the lab simulators (ssh2 Server, HTTPS, TLS services)
  'test/lab/axl-existing-objects.test.ts',
  'test/lab/axl-lab.test.ts',
  'test/lab/cms.test.ts',
  'test/lab/expressway.test.ts',
  'test/lab/expressway-server-eku.test.ts',
  'test/lab/faults.test.ts',
  'test/lab/ios.test.ts',
  'test/lab/lab.test.ts',
  'test/lab/lab-sigint.test.ts',
  'test/lab/operator.test.ts',
  'test/lab/step-checks.test.ts',
  'test/lab/tls-lab.test.ts',
  'test/lab/vos.test.ts',
  'test/lab/vos-csr-ou.test.ts',
  'test/lab/vos-trust-by-ca.test.ts',
  'test/lab/vos-preflight.test.ts',
  'test/lab/preflight-dns.test.ts',
  'test/lab/srst-credentials.test.ts',
  'test/live/kill-rolling.test.ts',
  'test/live/reach.test.ts',
  'test/live/resume.test.ts',
  'test/live/rolling.test.ts',
  'test/live/registrations.test.ts',
  'test/live/tui-node-resume.test.ts',
  'test/live/unexpected-question.test.ts',
  'test/transport/axl/client.test.ts',
  'test/transport/axl/schema.test.ts',
  'test/transport/cupi.test.ts',
  'test/wizard/live-axl-params.test.ts',
  'test/wizard/live-axl-phones.test.ts',
  'test/wizard/live-axl-toll-fraud.test.ts',
  'test/wizard/live-axl.test.ts',
  'test/wizard/live-tls.test.ts',
  // ssh2 test servers, the system sshd, TLS servers on 127.0.0.1
  'test/transport/catalogue.test.ts',
  'test/transport/connection.test.ts',
  'test/transport/dialogue.test.ts',
  'test/transport/executor.test.ts',
  'test/transport/faults.test.ts',
  'test/transport/lab-faults.test.ts',
  'test/transport/lab.test.ts',
  'test/transport/output-bounds.test.ts',
  'test/transport/ssh-hygiene-live.test.ts',
  'test/transport/ssh-hygiene.test.ts',
  'test/transport/sshd.test.ts',
  'test/transport/tls-probe.test.ts',
  // child processes killed mid-write, locks between processes, postgres
  'test/session/contract-pg.test.ts',
  'test/session/durability.test.ts',
  'test/session/lock-takeover.test.ts',
  'test/session/processes.test.ts',
  'test/session/team-pg.test.ts',
  // read the build test/global-setup.ts makes (dist/bin/), which only this project has
  'test/scripts/bundle-zod.test.ts',
  'test/scripts/bundle-strict.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
          exclude: ['test/walk/**', ...SYSTEM_FILES],
          setupFiles: ['test/support/unit-guard.ts'],
        },
      },
      { extends: true, test: { name: 'system', include: SYSTEM_FILES, globalSetup: ['test/global-setup.ts'] } },
      { extends: true, test: { name: 'walk', include: ['test/walk/**/*.test.ts'] } },
    ],
  },
});
