/**
 * The update manifest: the console update's second signature. The central
 * server publishes, for each version and update channel, the files
 * electron-builder produced (name, size, SHA-512) and signs the manifest
 * with the central log's Ed25519 key in the same scheme as its tree heads:
 * the signature covers the RFC 8785 (JCS) bytes of the manifest. The console
 * checks it with the log key it already trusts (src/main/updates/manifest.ts).
 *
 * SHA-512 is base64, as electron-builder writes it into `latest.yml`, so the
 * manifest can be compared with the feed's own entry as is.
 */
import canonicalize from 'canonicalize';
import { valid } from 'semver';
import { z } from 'zod';
import { UPDATE_CHANNELS } from './policy.ts';

const base64 = z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64');
const semverText = z
  .string()
  .max(64)
  .refine((v) => valid(v) !== null, 'a version is semver, e.g. 2.4.1');

/** A file name as electron-builder writes it: no folders, nothing a path could climb with. */
const updateFileName = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[^/\\\0]+$/, 'a file name, without folders')
  .refine((n) => n !== '.' && n !== '..', 'a file name');

const updateFile = z
  .object({
    name: updateFileName,
    size: z.number().int().positive(),
    sha512: base64.length(88),
  })
  .strict();
export type UpdateFile = z.infer<typeof updateFile>;

const updateManifest = z
  .object({
    kind: z.literal('update-manifest'),
    v: z.literal(1),
    logId: z.string().min(1).max(128),
    version: semverText,
    channel: z.enum(UPDATE_CHANNELS),
    files: z.array(updateFile).min(1).max(20),
    publishedAt: z.iso.datetime(),
  })
  .strict();
export type UpdateManifest = z.infer<typeof updateManifest>;

export const signedUpdateManifest = z
  .object({
    manifest: updateManifest,
    signature: base64.length(88),
    /**
     * Where the central log holds this manifest (its `console.update.published`
     * server entry): an auditor asks /v1/log/proof for it. Null for a manifest
     * published before manifests were logged; absent from older servers.
     */
    logIndex: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).nullable().optional(),
  })
  .strict();
export type SignedUpdateManifest = z.infer<typeof signedUpdateManifest>;

/** What an administrator publishes: the server adds kind, v, logId and publishedAt, and signs. */
export const publishUpdateInput = z
  .object({
    version: semverText,
    channel: z.enum(UPDATE_CHANNELS),
    files: z.array(updateFile).min(1).max(20),
  })
  .strict();

/** The text the log key signs: JCS of the manifest. */
export function manifestSigningText(manifest: UpdateManifest): string {
  return canonicalize(manifest) as string;
}
