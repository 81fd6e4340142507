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

/**
 * The summary block: from its first line to "Stop the server…", which must
 * be the last line printed but for the one SIGTERM causes ('stopping').
 */
function summaryText(fromSummary: string[]): string {
  const end = fromSummary.findIndex((line) => line.trim() === LAST_LINE);
  expect(end).toBeGreaterThan(0);
  const after = fromSummary.slice(end + 1);
  expect(after.every((line) => line.includes('stopping'))).toBe(true);
  return fromSummary.slice(0, end + 1).join('\n');
}

function lines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '');
}

describe('npm run server -- --demo', () => {
  it('prints JSON log lines when stdout is not a terminal, and the summary after the last of them', async () => {
    const run = await runDemoServer({});
    const out = lines(run.stdout);
    const summaryStart = out.findIndex((line) => line.startsWith('DearPOS central audit log on '));
    expect(summaryStart).toBeGreaterThan(0);
    const records = out.slice(0, summaryStart).map((line) => JSON.parse(line) as { msg?: string });
    // The demo's enrollments and pushes are logged: 8 requests, 16 lines.
    expect(records.filter((r) => r.msg === 'incoming request').length).toBeGreaterThanOrEqual(8);
    const summary = summaryText(out.slice(summaryStart));
    expect(summary).toMatch(/Enrollment code: {2}[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/);
    expect(summary).toMatch(/Admin token: {6}dp\w*_\S+/);
    expect(summary).toMatch(/Auditor token: {4}dp\w*_\S+/);
    expect(summary).toContain('Demo fleet loaded: 300 audit events pushed from 2 demo devices.');
    expect(summary).toContain('st-par-01 (Paris Rivoli)');
    // Tokens and codes never reach a log line.
    const code = /Enrollment code: {2}(\S+)/.exec(summary)![1]!;
    expect(out.slice(0, summaryStart).join('\n')).not.toContain(code);
  });

  it('prints human-readable log lines and the summary last when the logs are for a person', async () => {
    const run = await runDemoServer({ LOG_FORMAT: 'pretty' });
    const out = lines(run.stdout);
    expect(out.some((line) => line.trimStart().startsWith('{'))).toBe(false);
    expect(out.filter((line) => line.includes('request completed')).length).toBeGreaterThanOrEqual(
      8,
    );
    const summaryStart = out.findIndex((line) => line.startsWith('DearPOS central audit log on '));
    expect(summaryStart).toBeGreaterThan(0);
    expect(out.slice(0, summaryStart).some((line) => line.includes('request completed'))).toBe(
      true,
    );
    expect(summaryText(out.slice(summaryStart))).toMatch(/Enrollment code: {2}[0-9A-Z-]{14}/);
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
