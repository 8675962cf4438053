import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // infra/ holds the cdktf app (infra fragment); its tests synthesize the stack without AWS.
    include: ['test/**/*.test.ts', 'infra/**/*.test.ts'],
    globals: true,
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
