// Fails fast, with a message a person can act on, when a command runs on a
// Node older than the project's Node 24 (better-sqlite3 crashes on Node 20,
// and Node 20 cannot run the TypeScript entry points). Plain ES2015-level
// JavaScript importing only node:fs, so it runs on any Node. Use it either as
// `node scripts/checkNode.mjs && …` in an npm script or by importing
// `requireNode24` from an entry point.
import { existsSync, statSync } from 'node:fs';

export const MINIMUM_NODE_MAJOR = 24;

export function isSupportedNode(version) {
  const major = Number(String(version).split('.')[0]);
  return Number.isInteger(major) && major >= MINIMUM_NODE_MAJOR;
}

export function requireNode24(what) {
  const command =
    what ||
    (process.env.npm_lifecycle_event ? `npm run ${process.env.npm_lifecycle_event}` : 'console');
  const version = process.versions.node;
  if (isSupportedNode(version)) return;
  process.stderr.write(nodeAdvice(command, version, pinnedNodeState()));
  process.exit(1);
}

/**
 * Where the project's own Node stands: 'missing' (npm install never ran or
 * the node package is gone), 'not-installed' (the package is there but its
 * preinstall, which fetches the platform's binary, did not run — an npm that
 * skips install scripts not listed in package.json's allowScripts), or 'ok'.
 */
export function pinnedNodeState(root = new URL('..', import.meta.url)) {
  const pkg = new URL('node_modules/node/package.json', root);
  if (!existsSync(pkg)) return 'missing';
  // The preinstall swaps bin/node's small launcher for the ~100 MB binary of this platform.
  const bin = new URL('node_modules/node/bin/node', root);
  return existsSync(bin) && statSync(bin).size > 1024 * 1024 ? 'ok' : 'not-installed';
}

export function nodeAdvice(command, version, state) {
  const head = `DearPOS (${command}) needs Node ${MINIMUM_NODE_MAJOR} or newer; this is Node ${version}.\n`;
  if (state === 'missing')
    return (
      head +
      'The project’s own Node 24 (the "node" devDependency) is not installed: run `npm install`\n' +
      'in the project folder, then run the command again through npm (npm start, npm run web, npm test).\n'
    );
  if (state === 'not-installed')
    return (
      head +
      'node_modules/node is there but its install script did not run, so Node 24 was never fetched.\n' +
      'Check that package.json lists "node": true under "allowScripts" (npm install-scripts ls),\n' +
      'then run `npm rebuild node` (or delete node_modules and run `npm install`).\n'
    );
  return (
    head +
    'Run it through npm (npm start, npm run web, npm test, …): npm puts the project’s own Node 24\n' +
    '(the "node" devDependency) first on the PATH.\n'
  );
}

// Run directly: check and exit 0 so `&&` continues.
if ((process.argv[1] || '').endsWith('checkNode.mjs')) {
  requireNode24();
}
