import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// Two projects: back end and shared code under Node, React components under jsdom.
export default defineConfig({
  test: {
    // Vitest's default on 2 cores is one worker (cores - 1); most of this suite
    // waits on fsync, child processes, PostgreSQL and loopback HTTP, so files
    // side by side use the machine instead of leaving a core idle. Measured on
    // this 2-core machine, whole suite: 2 workers 271 s, 3 workers 241 s.
    maxWorkers: 3,
    reporters: ['default', './scripts/reporters/vitestDurations.ts'],
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: [
            'src/shared/**/*.test.ts',
            'src/main/**/*.test.ts',
            'src/server/**/*.test.ts',
            'bench/**/*.test.ts',
            'scripts/**/*.test.ts',
          ],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        plugins: [react()],
        test: {
          name: 'jsdom',
          environment: 'jsdom',
          include: ['src/renderer/**/*.test.{ts,tsx}'],
        },
      },
    ],
  },
});
