import fc from 'fast-check';
import type { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, contract, type Channel } from '../../shared/contract/index.ts';
import { ERROR_CODES } from '../../shared/errors.ts';
import { journalCount, startTestApp, stateChecksum, TECH, type TestApp } from './testSupport.ts';

/**
 * Issue 2, acceptance 5: generated bad payloads (wrong types, unknown keys,
 * oversized strings, missing fields, non-objects) across every channel, and
 * unknown channels, through the real dispatcher: 0 crashes, every answer a
 * typed error, 0 writes.
 */
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ signInAs: TECH });
});
afterAll(async () => {
  await app.dispose();
});

/** A valid input per channel, for mutations that keep the rest plausible. */
const VALID: Partial<Record<Channel, Record<string, unknown>>> = {
  'session:signIn': { userId: 'u-tess', pin: '1111' },
  'fleet:matrix': { region: 'Europe', ring: 'pilot', driftOnly: true },
  'fleet:listTerminals': {
    filter: { search: 'Lane' },
    sort: { key: 'store', desc: false },
    offset: 0,
    limit: 50,
  },
  'fleet:getTerminal': { terminalId: 'st-par-01-t1' },
  'fleet:recordVersion': { terminalId: 'st-par-01-t1', version: '4.4.0', source: 'typed' },
  'releases:get': { releaseId: 'rel-4.4.0' },
  'releases:notesBetween': { storeId: 'st-par-01' },
  'sync:connect': { serverUrl: 'http://127.0.0.1:9', enrollmentCode: 'ABCDEF-123' },
};

const junk = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.string({ maxLength: 5 }),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.object({ maxDepth: 2 }),
  fc.constant('x'.repeat(100_000)),
  fc.constant('🙂'.repeat(5_000)),
  fc.constant("'; DROP TABLE journal; --"),
);

type Payload = { channel: string; input: unknown; kind: string };

function setPath(
  value: Record<string, unknown>,
  path: string[],
  replacement: unknown,
): Record<string, unknown> {
  const copy: Record<string, unknown> = structuredClone(value);
  let node: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null) return copy;
    node = next as Record<string, unknown>;
  }
  node[path.at(-1)!] = replacement;
  return copy;
}

function paths(value: Record<string, unknown>, prefix: string[] = []): string[][] {
  return Object.entries(value).flatMap(([k, v]) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? [[...prefix, k], ...paths(v as Record<string, unknown>, [...prefix, k])]
      : [[...prefix, k]],
  );
}

function payloadsFor(channel: Channel): fc.Arbitrary<Payload> {
  const base = VALID[channel] ?? {};
  const fieldPaths = paths(base);
  const options: Array<fc.Arbitrary<Payload>> = [
    junk.map((input) => ({ channel, input, kind: 'non-object or junk' })),
    fc
      .tuple(
        fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !Object.hasOwn(base, k)),
        junk,
      )
      .map(([key, v]) => ({ channel, input: { ...base, [key]: v }, kind: 'unknown key' })),
  ];
  if (fieldPaths.length > 0) {
    options.push(
      fc
        .tuple(fc.constantFrom(...fieldPaths), junk)
        .map(([path, v]) => ({ channel, input: setPath(base, path, v), kind: 'wrong type' })),
      fc
        .tuple(fc.constantFrom(...fieldPaths), fc.integer({ min: 300, max: 200_000 }))
        .map(([path, n]) => ({
          channel,
          input: setPath(base, path, 'a'.repeat(n)),
          kind: 'oversized string',
        })),
      fc.constantFrom(...fieldPaths).map((path) => {
        const copy = structuredClone(base);
        let node: Record<string, unknown> = copy;
        for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
        delete node[path.at(-1)!];
        return { channel, input: copy, kind: 'missing field' };
      }),
    );
  }
  // Only inputs the contract really rejects count as bad (dropping an optional field is still valid).
  return fc
    .oneof(...options)
    .filter((p) => !(contract[channel].input as z.ZodType).safeParse(p.input).success);
}

const unknownChannels: fc.Arbitrary<Payload> = fc
  .oneof(
    fc.string({ maxLength: 40 }),
    fc.constantFrom(
      '__proto__',
      'constructor',
      'toString',
      'fleet:dropAll',
      'FLEET:MATRIX',
      'fleet:matrix ',
      'sync',
    ),
  )
  .filter((c) => !Object.hasOwn(contract, c))
  .chain((channel) => junk.map((input) => ({ channel, input, kind: 'unknown channel' })));

describe('dispatch under bad payloads', () => {
  it('answers over 1,000 bad payloads across every channel with typed errors, no crash and no write', async () => {
    const perChannel = Math.ceil(1000 / CHANNELS.length);
    const payloads: Payload[] = [
      ...CHANNELS.flatMap((c) => fc.sample(payloadsFor(c), { numRuns: perChannel, seed: 42 })),
      ...fc.sample(unknownChannels, { numRuns: 200, seed: 42 }),
    ];
    expect(payloads.length).toBeGreaterThanOrEqual(1000);
    const before = {
      journal: journalCount(app),
      state: stateChecksum(app),
      head: app.journal.head(),
    };
    for (const p of payloads) {
      const result = await app.dispatch(p.channel, p.input);
      expect(result.ok, `${p.channel} ${p.kind}`).toBe(false);
      if (result.ok) continue;
      expect(ERROR_CODES).toContain(result.error.code);
      expect(result.error.code, `${p.channel} ${p.kind}`).not.toBe('internal');
      expect(result.error.code).toBe(
        p.kind === 'unknown channel' ? 'unknown_channel' : 'invalid_input',
      );
      expect(result.error.message.length).toBeLessThan(500);
    }
    expect(journalCount(app)).toBe(before.journal);
    expect(stateChecksum(app)).toBe(before.state);
    expect(app.journal.head()).toEqual(before.head);
    expect(app.services.sessions.current()?.user.id).toBe('u-tess');
  });
});
