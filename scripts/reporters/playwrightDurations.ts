/** Playwright reporter: the summed duration of each spec file's tests, for the slowest-files list `npm test` prints last. */
import type { Reporter, TestCase, TestResult } from '@playwright/test/reporter';
import { writeDurations } from './durations.ts';

export default class PlaywrightDurations implements Reporter {
  private readonly byFile = new Map<string, number>();
  private readonly counts = { passed: 0, failed: 0, skipped: 0 };

  onTestEnd(test: TestCase, result: TestResult): void {
    if (result.status === 'passed') this.counts.passed += 1;
    else if (result.status === 'skipped') this.counts.skipped += 1;
    else this.counts.failed += 1;
    const file = test.location.file;
    this.byFile.set(file, (this.byFile.get(file) ?? 0) + result.duration);
  }

  onEnd(): void {
    writeDurations('playwright', this.byFile, this.counts);
  }
}
