/**
 * Builds every packaged icon from the one source, resources/build/icon.svg:
 * icon.png (512 × 512: Linux, and macOS/Windows fallback), icon.ico (16–256,
 * PNG-compressed entries: Windows, NSIS) and icon.icns (16–1024: macOS).
 *
 *   node --experimental-strip-types --no-warnings scripts/icons.ts
 *
 * The SVG is rasterised by Debian's Chromium through playwright-core (already
 * used by the tests; ImageMagick here has no SVG reader), then the ICO and
 * ICNS containers are written here: both are a small header and a table of
 * PNG images, which avoids a native image dependency. The generated files are
 * committed, so packaging needs neither Chromium nor this script.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from '../bench/chromium.ts';

export const BUILD_DIR = join(import.meta.dirname, '..', 'resources', 'build');
export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256] as const;
/** ICNS PNG entry types by edge length (Apple's icns format). */
export const ICNS_TYPES = [
  ['icp4', 16],
  ['icp5', 32],
  ['icp6', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic09', 512],
  ['ic10', 1024],
] as const;

/** ICO with PNG entries (readable by Windows Vista and later, and by NSIS). */
export function buildIco(images: ReadonlyArray<{ size: number; png: Buffer }>): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // 1 = icon
  header.writeUInt16LE(images.length, 4);
  const entries: Buffer[] = [];
  let offset = 6 + 16 * images.length;
  for (const { size, png } of images) {
    const entry = Buffer.alloc(16);
    entry.writeUInt8(size >= 256 ? 0 : size, 0); // 0 means 256
    entry.writeUInt8(size >= 256 ? 0 : size, 1);
    entry.writeUInt8(0, 2);
    entry.writeUInt8(0, 3);
    entry.writeUInt16LE(1, 4); // colour planes
    entry.writeUInt16LE(32, 6); // bits per pixel
    entry.writeUInt32LE(png.length, 8);
    entry.writeUInt32LE(offset, 12);
    entries.push(entry);
    offset += png.length;
  }
  return Buffer.concat([header, ...entries, ...images.map((i) => i.png)]);
}

export function buildIcns(images: ReadonlyArray<{ type: string; png: Buffer }>): Buffer {
  const chunks = images.map(({ type, png }) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'latin1');
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'latin1');
  head.writeUInt32BE(8 + chunks.reduce((n, c) => n + c.length, 0), 4);
  return Buffer.concat([head, ...chunks]);
}

/** Width and height from a PNG's IHDR chunk. */
export function pngSize(png: Buffer): { width: number; height: number } {
  if (png.subarray(1, 4).toString('latin1') !== 'PNG') throw new Error('not a PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

async function main(): Promise<void> {
  const svg = readFileSync(join(BUILD_DIR, 'icon.svg'));
  const src = `data:image/svg+xml;base64,${svg.toString('base64')}`;
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  const pngs = new Map<number, Buffer>();
  try {
    const page = await browser.newPage({ deviceScaleFactor: 1 });
    const sizes = new Set<number>([...ICO_SIZES, ...ICNS_TYPES.map(([, s]) => s), 512]);
    for (const size of [...sizes].sort((a, b) => a - b)) {
      await page.setViewportSize({ width: size, height: size });
      // setContent waits for the load event, which waits for the image.
      await page.setContent(
        `<html><body style="margin:0;background:transparent"><img src="${src}" width="${size}" height="${size}" style="display:block"></body></html>`,
      );
      pngs.set(
        size,
        await page.screenshot({
          omitBackground: true,
          clip: { x: 0, y: 0, width: size, height: size },
        }),
      );
    }
  } finally {
    await browser.close();
  }
  const at = (size: number): Buffer => {
    const png = pngs.get(size);
    if (!png) throw new Error(`no ${size} px image`);
    return png;
  };
  writeFileSync(join(BUILD_DIR, 'icon.png'), at(512));
  writeFileSync(
    join(BUILD_DIR, 'icon.ico'),
    buildIco(ICO_SIZES.map((size) => ({ size, png: at(size) }))),
  );
  writeFileSync(
    join(BUILD_DIR, 'icon.icns'),
    buildIcns(ICNS_TYPES.map(([type, size]) => ({ type, png: at(size) }))),
  );
  process.stdout.write(`icons written to ${BUILD_DIR}\n`);
}

if (import.meta.filename === process.argv[1]) await main();
