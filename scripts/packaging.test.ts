import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Configuration } from 'app-builder-lib';
import { validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BUILD_DIR, ICNS_TYPES, ICO_SIZES, pngSize } from './icons.ts';

const root = join(import.meta.dirname, '..');
const text = readFileSync(join(root, 'electron-builder.yml'), 'utf8');
type Config = Record<string, unknown> & {
  directories: { buildResources: string };
  files: string[];
  extraResources: Array<{ from: string }>;
  asarUnpack: string[];
  publish: { provider: string; url: string; channel: string };
  mac: { icon: string; target: Array<{ target: string }> };
  win: { icon: string; target: Array<{ target: string }> };
  linux: { icon: string; target: string[] };
};
const config = parse(text) as Config;

/** The folder a glob starts from: `node_modules/better-sqlite3/**` → `node_modules/better-sqlite3`. */
function globBase(pattern: string): string {
  return pattern
    .split('/')
    .filter(
      (part, i, parts) =>
        !/[*?{}[\]]/.test(part) && parts.slice(0, i).every((p) => !/[*?{}[\]]/.test(p)),
    )
    .join('/');
}

describe('packaging (electron-builder.yml)', () => {
  it('is accepted by electron-builder’s own schema', async () => {
    await expect(
      validateConfiguration(parse(text) as Configuration, new DebugLogger(false)),
    ).resolves.toBeUndefined();
  });

  it('names only paths that exist in the repository (the build output out/ apart)', () => {
    const named = [
      config.directories.buildResources,
      config.mac.icon,
      config.win.icon,
      config.linux.icon,
      ...config.extraResources.map((r) => r.from),
      ...config.asarUnpack.map(globBase),
      ...config.files.filter((f) => !f.startsWith('!') && !f.startsWith('out/')).map(globBase),
    ];
    expect(named.length).toBeGreaterThan(6);
    expect(named.filter((p) => !existsSync(join(root, p)))).toEqual([]);
  });

  it('builds mac dmg and zip (the updater installs from the zip), Windows NSIS, Linux AppImage and deb', () => {
    expect(config.mac.target.map((t) => t.target)).toEqual(['dmg', 'zip']);
    expect(config.win.target.map((t) => t.target)).toEqual(['nsis']);
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
  });

  it('takes the update feed and channel from the environment, and no signing secret from the file', () => {
    expect(config.publish).toEqual({
      provider: 'generic',
      url: '${env.DEARPOS_UPDATE_BASE_URL}/${os}/${arch}',
      channel: '${env.DEARPOS_UPDATE_CHANNEL}',
    });
    expect(text).not.toMatch(
      /^\s*(cscLink|cscKeyPassword|certificateFile|certificatePassword|appleId)\s*:/m,
    );
  });

  it('has the icons generated from icon.svg: PNG 512, ICO 16–256, ICNS 16–1024', () => {
    expect(existsSync(join(BUILD_DIR, 'icon.svg'))).toBe(true);
    expect(pngSize(readFileSync(join(BUILD_DIR, 'icon.png')))).toEqual({ width: 512, height: 512 });

    const ico = readFileSync(join(BUILD_DIR, 'icon.ico'));
    expect(ico.readUInt16LE(2)).toBe(1);
    const icoSizes = Array.from({ length: ico.readUInt16LE(4) }, (_, i) => {
      const entry = 6 + 16 * i;
      const png = ico.subarray(
        ico.readUInt32LE(entry + 12),
        ico.readUInt32LE(entry + 12) + ico.readUInt32LE(entry + 8),
      );
      return pngSize(png).width;
    });
    expect(icoSizes).toEqual([...ICO_SIZES]);

    const icns = readFileSync(join(BUILD_DIR, 'icon.icns'));
    expect(icns.subarray(0, 4).toString('latin1')).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const entries: Array<[string, number]> = [];
    for (let at = 8; at < icns.length; at += icns.readUInt32BE(at + 4)) {
      const png = icns.subarray(at + 8, at + icns.readUInt32BE(at + 4));
      entries.push([icns.subarray(at, at + 4).toString('latin1'), pngSize(png).width]);
    }
    expect(entries).toEqual(ICNS_TYPES.map(([type, size]) => [type, size]));
  });
});
