import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints one plain closing line ("Tests: 120 passed, 0 failed, 0 skipped") that CI systems and
 * people can read without knowing vitest's own summary format.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>) {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    for (const module of testModules) {
      let failedTests = 0;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') counts.passed++;
        else if (state === 'failed') failedTests++;
        else counts.skipped++;
      }
      // A file that failed outside its tests (a beforeAll, an import) counts as one failure.
      counts.failed +=
        module.state() === 'failed' ? Math.max(failedTests, 1) : failedTests;
    }
    process.stdout.write(
      `\nTests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`,
    );
  }
}
