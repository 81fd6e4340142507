/** Vitest reporter: each test file's duration, for the slowest-files list `npm test` prints last. */
import type { Reporter, TestModule } from 'vitest/node';
import { writeDurations } from './durations.ts';

export default class VitestDurations implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const byFile = new Map<string, number>();
    const counts = { passed: 0, failed: 0, skipped: 0 };
    for (const m of testModules) {
      byFile.set(m.moduleId, m.diagnostic().duration);
      for (const test of m.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') counts.passed += 1;
        else if (state === 'failed') counts.failed += 1;
        else counts.skipped += 1;
      }
    }
    writeDurations('vitest', byFile, counts);
  }
}
