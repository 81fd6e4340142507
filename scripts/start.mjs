// `npm start`: builds the three Electron bundles and launches the desktop
// console. Plain Node ESM with no dependencies, so it also runs (and explains
// itself) on an older system Node: Electron brings its own Node, so unlike
// the other entry points this one does not insist on Node 24. Where the
// Electron binary was never downloaded (offline machines, CI), it says so and
// points to browser mode instead of trying to download it.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const require = createRequire(join(root, 'package.json'));

/**
 * The electron package's index.js downloads the binary when it is missing,
 * so it is never required here. Its own rule: `path.txt` names the executable
 * inside `dist/` (or inside ELECTRON_OVERRIDE_DIST_PATH).
 */
export function findElectronBinary() {
  let packageDir;
  try {
    packageDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return null;
  }
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const executable = readFileSync(pathFile, 'utf8').trim();
  const distDir = process.env.ELECTRON_OVERRIDE_DIST_PATH || join(packageDir, 'dist');
  const binary = join(distDir, executable);
  return existsSync(binary) ? binary : null;
}

const electron = findElectronBinary();
if (!electron) {
  process.stderr.write(
    'The desktop shell cannot be launched on this machine: the Electron binary is not installed\n' +
      '(it is downloaded by `npm install` only where there is internet access).\n' +
      'Run `npm run web` for the same console in your browser.\n',
  );
  process.exit(1);
}

const build = spawnSync(
  process.execPath,
  [require.resolve('electron-vite/bin/electron-vite.js'), 'build'],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
if (build.status !== 0) {
  process.stderr.write('Building the console failed (see above); nothing was launched.\n');
  process.exit(build.status ?? 1);
}

const child = spawn(electron, ['.', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => child.kill(signal));
}
child.on('close', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
