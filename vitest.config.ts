import {defineConfig} from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/harness/offline-guard.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two files at a time even on 2 cores (vitest would run one): most files wait on the emulators,
    // the simulator or timers, and each pays about a second of module loading. The Node 20 suite
    // ran in 6.4 min instead of about 10.
    maxWorkers: 2,
  },
});
