/**
 * How a photo is made small enough to cross the transport: the back end's
 * request body limit is 1 MiB and the image travels as base64 (4/3 larger)
 * inside JSON, so the JPEG itself must stay well under 768 KiB. Phone photos
 * are 3–12 MB; a 1600 px long edge at JPEG 0.82 is usually 150–400 KB and
 * still shows a receipt's text or a terminal's error screen clearly.
 */

/** Largest JPEG we send, in bytes (base64 + JSON envelope stay under 1 MiB). */
export const MAX_EVIDENCE_BYTES = 700 * 1024;
/** Files larger than this are refused before decoding (a 24 MP photo is ~12 MB). */
export const MAX_SOURCE_BYTES = 40 * 1024 * 1024;

/** Encoding attempts, best first: long edge in pixels and JPEG quality. */
export const ENCODE_STEPS = [
  { maxEdge: 1600, quality: 0.82 },
  { maxEdge: 1600, quality: 0.68 },
  { maxEdge: 1280, quality: 0.68 },
  { maxEdge: 1024, quality: 0.6 },
  { maxEdge: 800, quality: 0.55 },
] as const;

/** Scales (width, height) so the long edge fits `maxEdge`; never scales up. */
export function fitWithin(
  width: number,
  height: number,
  maxEdge: number,
): { width: number; height: number } {
  if (width <= 0 || height <= 0) throw new Error('An image needs a positive width and height.');
  const scale = Math.min(1, maxEdge / Math.max(width, height));
  return {
    width: Math.max(1, Math.round(width * scale)),
    height: Math.max(1, Math.round(height * scale)),
  };
}

/** Bytes encoded by a base64 string (without a data-URL prefix). */
export function base64ByteLength(base64: string): number {
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  return Math.floor((base64.length * 3) / 4) - padding;
}

export function isImageType(mimeType: string): boolean {
  return /^image\/[a-z0-9.+-]+$/i.test(mimeType);
}

/** "photo.heic" → "photo.jpg": the stored file is the re-encoded JPEG. */
export function jpegFileName(original: string): string {
  const base =
    original
      .replace(/\.[^./\\]*$/, '')
      .replace(/[^\w.-]+/g, '-')
      .slice(0, 80) || 'photo';
  return `${base}.jpg`;
}

/** "412 KB" / "1.4 MB" for the preview caption. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
