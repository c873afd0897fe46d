import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  plugins: [WxtVitest()],
  test: {
    include: ['tests/model/**/*.test.ts'],
    environment: 'node',
    // fake-indexeddb's structuredClone is much of a history's time: plain data is copied faster.
    setupFiles: ['tests/support/plain-clone-setup.ts'],
    // A soak (`npm run test:model -- --runs 10000`) runs for many minutes.
    testTimeout: 4 * 3600_000,
  },
});
