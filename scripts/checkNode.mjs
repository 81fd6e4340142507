// Fails fast, with a message a person can act on, when a command runs on a
// Node older than the project's Node 24 (better-sqlite3 crashes on Node 20,
// and Node 20 cannot run the TypeScript entry points). Plain ES2015-level
// JavaScript with no imports, so it runs on any Node. Use it either as
// `node scripts/checkNode.mjs && …` in an npm script or by importing
// `requireNode24` from an entry point.
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
  process.stderr.write(
    `DearPOS (${command}) needs Node ${MINIMUM_NODE_MAJOR} or newer; this is Node ${version}.\n` +
      'Run it through npm (npm start, npm run web, npm test, …): npm puts the project’s own Node 24\n' +
      '(the "node" devDependency) first on the PATH. If that fails too, run `npm install` first.\n',
  );
  process.exit(1);
}

// Run directly: check and exit 0 so `&&` continues.
if ((process.argv[1] || '').endsWith('checkNode.mjs')) {
  requireNode24();
}
