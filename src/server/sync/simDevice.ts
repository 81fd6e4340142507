/**
 * A simulated console for the demo (`npm run server -- --demo`), tests and
 * benchmarks: a real Ed25519 key, a real hash chain, real signed checkpoints —
 * pushed through the real HTTP API.
 */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import {
  GENESIS_PREV,
  checkpointText,
  sealEvent,
  type AuditActor,
  type AuditEvent,
} from '../../shared/audit/event.ts';
import type { PushRequest } from '../../shared/sync/protocol.ts';
import { rawPublicKey, sha256Hex } from '../log/keys.ts';

export type SimDevice = {
  deviceId: string;
  storeId: string;
  publicKey: string;
  privateKey: KeyObject;
  events: AuditEvent[];
  /** Records one more event on the device's chain. */
  record(
    type: string,
    payload: Record<string, unknown>,
    options?: { actor?: AuditActor; at?: Date },
  ): AuditEvent;
  /** A push body for events[fromSeq-1 .. toSeq-1] with a checkpoint over the last one. */
  pushBody(fromSeq: number, toSeq: number): PushRequest;
};

export function createSimDevice(
  storeId: string,
  options: { deviceId?: string; actor?: AuditActor } = {},
): SimDevice {
  const { privateKey } = generateKeyPairSync('ed25519');
  const deviceId = options.deviceId ?? uuidv7();
  const actor = options.actor ?? { userId: 'tech-1', role: 'technician' };
  const events: AuditEvent[] = [];
  return {
    deviceId,
    storeId,
    publicKey: rawPublicKey(privateKey).toString('base64'),
    privateKey,
    events,
    record(type, payload, o = {}) {
      const last = events[events.length - 1];
      const event = sealEvent(
        {
          v: 1,
          id: uuidv7(),
          deviceId,
          seq: events.length + 1,
          at: (o.at ?? new Date()).toISOString(),
          actor: o.actor ?? actor,
          storeId,
          type,
          payload: payload as AuditEvent['payload'],
          prev: last?.hash ?? GENESIS_PREV,
        },
        sha256Hex,
      );
      events.push(event);
      return event;
    },
    pushBody(fromSeq, toSeq) {
      const batch = events.slice(fromSeq - 1, toSeq);
      const last = batch[batch.length - 1]!;
      return {
        deviceId,
        events: batch,
        checkpoint: {
          seq: last.seq,
          head: last.hash,
          signature: sign(
            null,
            Buffer.from(checkpointText(deviceId, last.seq, last.hash)),
            privateKey,
          ).toString('base64'),
        },
      };
    },
  };
}
