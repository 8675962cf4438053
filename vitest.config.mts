import { defineConfig } from 'vitest/config';

// One runner for the whole repository. Suites live beside the code they test; the skeletons under
// templates/ are the generated services' own code and run in those services, not here.
export default defineConfig({
  test: {
    include: [
      'packages/*/src/**/*.test.{ts,tsx}',
      'plugins/*/src/**/*.test.{ts,tsx}',
      'cdktf/src/**/*.test.ts',
      'catalog/**/*.test.ts',
      'bench/**/*.test.ts',
    ],
    exclude: [
      '**/node_modules/**',
      '**/skeleton/**',
      '**/dist/**',
      'bench/.stock/**',
    ],
    globals: true,
    // @backstage/plugin-catalog-react loads material-ui-popup-state, whose ES build imports a
    // directory (`@mui/material/Popover`) that Node refuses outside a bundler; Vite resolves it.
    server: { deps: { inline: ['material-ui-popup-state'] } },
    // 60 s: promtool's `test rules` case takes 12–50 s on a loaded machine. It lives in
    // @paver/slo, whose published tarball (pinned by the golden paths' lockfiles) carries its
    // tests, so the bound is set here rather than in that file.
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // Two cores here: heavy suites (backend boots, generated-service installs, browsers) must not
    // all start at once.
    maxWorkers: 2,
    reporters: ['default', './vitest.summary-reporter.mts'],
    // Temp folders from @paver/test-utils are removed after each file; the run reports leftovers.
    setupFiles: ['./vitest.setup.mts'],
    globalSetup: ['./vitest.globalSetup.mts'],
  },
});
