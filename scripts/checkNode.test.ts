import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeAdvice, pinnedNodeState } from './checkNode.mjs';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function project(binBytes: number | null): URL {
  const dir = mkdtempSync(join(tmpdir(), 'dearpos-checknode-'));
  dirs.push(dir);
  if (binBytes !== null) {
    mkdirSync(join(dir, 'node_modules/node/bin'), { recursive: true });
    writeFileSync(join(dir, 'node_modules/node/package.json'), '{"name":"node"}');
    writeFileSync(join(dir, 'node_modules/node/bin/node'), Buffer.alloc(binBytes));
  }
  return pathToFileURL(`${dir}/`);
}

describe('checkNode says exactly what to do when the pinned Node is missing', () => {
  it('no node package: run npm install', () => {
    const state = pinnedNodeState(project(null));
    expect(state).toBe('missing');
    expect(nodeAdvice('npm test', '20.19.0', state)).toMatch(/run `npm install`/);
  });

  it('the package without its binary (install script skipped): check allowScripts, then npm rebuild node', () => {
    const state = pinnedNodeState(project(300));
    expect(state).toBe('not-installed');
    const advice = nodeAdvice('npm test', '20.19.0', state);
    expect(advice).toMatch(/"node": true under "allowScripts"/);
    expect(advice).toMatch(/npm rebuild node/);
  });

  it('the binary in place: run through npm', () => {
    const state = pinnedNodeState(project(2 * 1024 * 1024));
    expect(state).toBe('ok');
    expect(nodeAdvice('npm test', '20.19.0', state)).toMatch(/Run it through npm/);
  });

  it('this checkout has its Node 24 binary and declares its install script', () => {
    expect(pinnedNodeState()).toBe('ok');
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '../package.json'), 'utf8')) as {
      allowScripts?: Record<string, boolean>;
    };
    expect(pkg.allowScripts?.node).toBe(true);
  });
});
