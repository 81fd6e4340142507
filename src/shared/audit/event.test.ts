import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  GENESIS_PREV,
  canonicalBody,
  sealEvent,
  verifyChainTexts,
  type AuditEventBody,
} from './event.ts';

const sha256Hex = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

function chain(n: number) {
  const out: Array<{ seq: number; body: string; hash: string }> = [];
  let prev = GENESIS_PREV;
  for (let seq = 1; seq <= n; seq++) {
    const body: AuditEventBody = {
      v: 1,
      id: `e${seq}`,
      deviceId: 'd1',
      seq,
      at: '2026-11-23T10:00:00.000Z',
      actor: { userId: 'u1', role: 'technician' },
      storeId: 's1',
      type: 'fleet.version.recorded',
      payload: { terminalId: 't1', version: `1.${seq}.0` },
      prev,
    };
    const e = sealEvent(body, sha256Hex);
    out.push({ seq, body: canonicalBody(body), hash: e.hash });
    prev = e.hash;
  }
  return out;
}

describe('audit event format', () => {
  it('hashes the RFC 8785 form: keys sorted, no whitespace, hash field excluded', () => {
    const body = {
      v: 1,
      id: 'x',
      deviceId: 'd',
      seq: 1,
      at: 'a',
      actor: { userId: 'u', role: 'manager' },
      storeId: 's',
      type: 't',
      payload: { b: 2, a: 1 },
      prev: GENESIS_PREV,
    } as AuditEventBody;
    expect(canonicalBody({ ...body, hash: 'ignored' } as AuditEventBody)).toBe(
      `{"actor":{"role":"manager","userId":"u"},"at":"a","deviceId":"d","id":"x","payload":{"a":1,"b":2},"prev":"${GENESIS_PREV}","seq":1,"storeId":"s","type":"t","v":1}`,
    );
  });

  it('refuses non-integer numbers anywhere in an event', () => {
    const body = chain(1)[0]!;
    const parsed = JSON.parse(body.body) as AuditEventBody;
    expect(() => canonicalBody({ ...parsed, payload: { ms: 1.5 } })).toThrow(/safe integers/);
  });

  it('verifies a good chain and names the first event a flipped byte breaks', () => {
    const events = chain(5);
    expect(verifyChainTexts(events, sha256Hex)).toMatchObject({ ok: true, count: 5 });
    const tampered = events.map((e) => ({ ...e }));
    tampered[2]!.body = tampered[2]!.body.replace('1.3.0', '1.3.1');
    expect(verifyChainTexts(tampered, sha256Hex)).toMatchObject({ ok: false, seq: 3, id: 'e3' });
  });

  it('detects a gap in seq', () => {
    const events = chain(4);
    expect(verifyChainTexts([events[0]!, events[2]!], sha256Hex)).toMatchObject({
      ok: false,
      seq: 3,
    });
  });
});
