import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  plugins: [WxtVitest()],
  test: {
    include: ['tests/faults/**/*.test.ts'],
    environment: 'node',
    // fake-indexeddb's structuredClone is most of a run's time: plain data is copied faster.
    setupFiles: ['tests/support/plain-clone-setup.ts'],
    // One file per run (one browser, two browsers, adversarial): all three at once, on every core.
    maxWorkers: 3,
    // Each target now searches its record once before posting (Allo's own Sellsy integration may
    // have logged the call): a thousand more requests through the same 429s and slow answers. A
    // run that overruns must fail on its own, not leave its passes running into the next test.
    testTimeout: 1_200_000,
  },
});
