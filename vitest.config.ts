import { defineConfig } from 'vitest/config';

// Two projects: "unit" (everything else, including the timing-sensitive transport tests) and
// "walk" (the whole-plan walk against the lab, issue 18), so the long walk never runs beside
// tests that assert timings. `vitest run --project unit` answers without the walk.
export default defineConfig({
  test: {
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts', 'test/**/*.test.tsx'], exclude: ['test/walk/**'] } },
      // The walks run one file at a time: each drives the whole lab and must not share 2 cores.
      { extends: true, test: { name: 'walk', include: ['test/walk/**/*.test.ts'], fileParallelism: false } },
    ],
  },
});
