/**
 * The audit bundle's format: its constants and the shape of each line kind
 * (the list and their order are described in ../bundle.ts and
 * docs/protocol.md), the verdict, and the options and crypto a verification
 * takes.
 */
import type { AuditEventBody } from '../event.ts';
import type { Sha256 } from '../merkle.ts';
import type { ActorUserVersion, QuarantineReason } from '../actorRule.ts';

export const BUNDLE_FORMAT = 'dearpos-audit-bundle';

export type BundleCrypto = {
  sha256: Sha256;
  /** Ed25519 verification over raw bytes: 32-byte public key, 64-byte signature. */
  ed25519Verify: (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => boolean;
  /** Optional fast path: lowercase hex SHA-256 of a string's UTF-8 bytes (else sha256 + encode + hex). */
  sha256Hex?: (utf8: string) => string;
  /**
   * Optional fast paths for RFC 9162 hashing on hex (else hex decode, sha256,
   * hex encode): the leaf hash of an event hash, and the node hash of two
   * children. Inputs are always 64 lowercase hex digits, checked beforehand.
   */
  leafHashHex?: (entryHex: string) => string;
  nodeHashHex?: (leftHex: string, rightHex: string) => string;
};

export type BundleHeader = {
  kind: 'header';
  v: 1;
  format: typeof BUNDLE_FORMAT;
  logId: string;
  logPublicKey: string;
  /** null: the complete log (every store), verified by recomputing the root. */
  storeId: string | null;
  from: string | null;
  to: string | null;
  createdAt: string;
};
export type BundleDevice = { kind: 'device'; deviceId: string; storeId: string; publicKey: string };
export type BundleEvent = {
  kind: 'event';
  index: number;
  event: AuditEventBody & { hash: string };
};
export type BundleCheckpoint = {
  kind: 'checkpoint';
  deviceId: string;
  seq: number;
  head: string;
  signature: string;
};
export type BundleTreeHead = {
  kind: 'tree-head';
  treeHead: { kind: 'tree-head'; v: 1; logId: string; size: number; root: string; at: string };
  signature: string;
};
export type BundleInclusion = {
  kind: 'inclusion';
  index: number;
  size: number;
  leafHash: string;
  path: string[];
};
export type BundleActorRule = { kind: 'actor-rule'; v: 1; fromIndex: number };
export type BundleUser = {
  kind: 'user';
  userId: string;
  fromIndex: number;
  role: ActorUserVersion['role'];
  storeIds: string[];
  isRevoked: boolean;
};
export type BundleTerminal = {
  kind: 'terminal';
  terminalId: string;
  fromIndex: number;
  storeId: string;
};
export type BundleQuarantine = { kind: 'quarantine'; index: number; reason: QuarantineReason };
export type BundleLine =
  | BundleHeader
  | BundleDevice
  | BundleEvent
  | BundleCheckpoint
  | BundleTreeHead
  | BundleInclusion
  | BundleActorRule
  | BundleUser
  | BundleTerminal
  | BundleQuarantine;

export type BundleVerification =
  | {
      ok: true;
      events: number;
      devices: number;
      checkpoints: number;
      treeHead: BundleTreeHead['treeHead'];
      /** Sign-offs whose basis was checked against the events they name. */
      signOffs: number;
      /** Events judged by the actor rule (null: the bundle carries no actor-rule line). */
      actorChecked: number | null;
      /** Quarantined events, each confirmed to break the actor rule. */
      quarantined: number;
    }
  | { ok: false; line: number; reason: string };

export type VerifyBundleOptions = {
  /** Pin the log's key (base64 raw 32 bytes), e.g. the one the console enrolled with; otherwise the header's key is used. */
  trustedLogPublicKey?: string;
  /**
   * The last tree head the auditor (or console) verified earlier. The bundle's
   * tree head must not be older; a complete bundle must also reproduce its root
   * at its size, so a rewritten or truncated history is detected.
   */
  knownTreeHead?: { size: number; root: string };
};
