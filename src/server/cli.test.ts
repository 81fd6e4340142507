/**
 * `npm run server -- --demo` as a person and a log collector see it: the
 * real CLI in a child process, on a temp data folder and a free port.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { chooseLogFormat } from './log.ts';

const CLI = resolve(import.meta.dirname, 'cli.ts');
const LAST_LINE = 'Stop the server with Ctrl+C.';

type Run = { stdout: string; stderr: string; code: number | null };

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Starts the demo server, waits for its summary, stops it with SIGTERM and returns what it printed. */
function runDemoServer(env: Record<string, string>): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'server-cli-'));
  dirs.push(dir);
  const childEnv: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'info', ...env };
  // The test runner's own marker would silence the logger.
  delete childEnv.VITEST;
  if (!('LOG_FORMAT' in env)) delete childEnv.LOG_FORMAT;
  const child = spawn(
    process.execPath,
    [
      '--experimental-strip-types',
      '--no-warnings',
      CLI,
      '--demo',
      '--port',
      '0',
      '--data',
      join(dir, 'server'),
    ],
    { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  return new Promise((resolvePromise, reject) => {
    const onData = (): void => {
      if ((stdout + stderr).includes(LAST_LINE)) child.kill('SIGTERM');
    };
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      onData();
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      onData();
    });
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ stdout, stderr, code }));
  });
}

function lines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '');
}

describe('npm run server -- --demo', () => {
  it('keeps stdout pure JSON log lines when it is not a terminal, and prints the summary on stderr', async () => {
    const run = await runDemoServer({});
    const out = lines(run.stdout);
    const records = out.map((line) => JSON.parse(line) as { msg?: string; req?: { url: string } });
    // The demo's 8 pushes and enrollments are logged (16 lines), then nothing human.
    expect(records.filter((r) => r.msg === 'incoming request').length).toBeGreaterThanOrEqual(8);
    expect(run.stdout).not.toContain('Enrollment code');
    const err = lines(run.stderr);
    expect(err.at(-1)?.trim()).toBe(LAST_LINE);
    expect(run.stderr).toMatch(/Enrollment code {2}[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/);
    expect(run.stderr).toMatch(/Admin token {6}dpa_/);
    expect(run.stderr).toMatch(/Auditor token {4}dpu_/);
    expect(run.stderr).toContain('Demo fleet loaded: 300 audit events pushed from 2 demo devices.');
    expect(run.stderr).toContain('st-par-01 (Paris Rivoli)');
    // Tokens and codes never reach a log line.
    const code = /Enrollment code {2}(\S+)/.exec(run.stderr)![1]!;
    expect(run.stdout).not.toContain(code);
  });

  it('prints human-readable log lines and the summary last when the logs are for a person', async () => {
    const run = await runDemoServer({ LOG_FORMAT: 'pretty' });
    const out = lines(run.stdout);
    expect(out.some((line) => line.trimStart().startsWith('{'))).toBe(false);
    expect(out.filter((line) => line.includes('request completed')).length).toBeGreaterThanOrEqual(
      8,
    );
    const summaryStart = out.findIndex((line) => line.includes('DearPOS central audit log ──'));
    expect(summaryStart).toBeGreaterThan(0);
    // After the summary: only its own lines, then the 'stopping' line SIGTERM caused.
    const afterSummary = out.slice(summaryStart);
    const stopLine = afterSummary.findIndex((line) => line.includes('stopping'));
    const summary = stopLine === -1 ? afterSummary : afterSummary.slice(0, stopLine);
    expect(summary.some((line) => line.includes('request'))).toBe(false);
    expect(summary.at(-1)?.trim()).toBe(LAST_LINE);
    expect(summary.join('\n')).toMatch(/Enrollment code {2}[0-9A-Z-]{14}/);
  });
});

describe('chooseLogFormat', () => {
  it('picks human-readable logs on a terminal and JSON lines everywhere else', () => {
    expect(chooseLogFormat({}, true)).toBe('pretty');
    expect(chooseLogFormat({}, false)).toBe('json');
  });

  it('lets LOG_FORMAT decide, and refuses a format it does not know', () => {
    expect(chooseLogFormat({ LOG_FORMAT: 'json' }, true)).toBe('json');
    expect(chooseLogFormat({ LOG_FORMAT: 'Pretty' }, false)).toBe('pretty');
    expect(() => chooseLogFormat({ LOG_FORMAT: 'xml' }, false)).toThrow(
      'LOG_FORMAT must be json or pretty, not "xml".',
    );
  });
});
