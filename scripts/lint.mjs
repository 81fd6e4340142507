// `npm run lint`'s TypeScript part, in one process: the type check `npm run typecheck`
// (`tsc -b`) does, then ESLint on the very same TypeScript programs.
//
// Why one process: ESLint's typed rules (no-floating-promises, no-misused-promises, the
// no-unsafe-* rules...) ask the type checker about nearly every expression, so on its own ESLint
// builds the three projects' programs again and the checker works most of the types out again.
// Given programs that have just been checked, they read what the check worked out. Measured on a
// fresh clone (no caches), CPU-seconds: `tsc -b` 54 + `eslint .` 129 apart, 118 here.
//
// The check is tsc's: every diagnostic `tsc -b` reports (configuration, options, syntax, global,
// semantic, declaration) for every file of tsconfig.node.json, tsconfig.web.json and
// tsconfig.tools.json, with the same compiler options. Only nothing is written: the tools project
// reads the node and web projects' sources (as the editor and ESLint's project service do)
// instead of the declarations `tsc -b` writes to .tsc/, and those sources' errors are reported by
// their own project, once. `npm run typecheck` stays `tsc -b` (incremental, for the editor loop).
import ts from 'typescript';
import { ESLint } from 'eslint';
import { join } from 'node:path';
import { requireNode24 } from './checkNode.mjs';

requireNode24('npm run lint');

const root = join(import.meta.dirname, '..');
// In tsconfig.json's order: a file of several projects (src/shared) is linted in the first.
const PROJECTS = ['tsconfig.node.json', 'tsconfig.web.json', 'tsconfig.tools.json'];

function createProjectProgram(configName) {
  const parsed = ts.getParsedCommandLineOfConfigFile(join(root, configName), undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    },
  });
  const host = ts.createCompilerHost(parsed.options);
  // A referenced project's files are read from source, not from the declarations tsc -b writes.
  host.useSourceOfProjectReferenceRedirect = () => true;
  return ts.createProgram({
    rootNames: parsed.fileNames,
    options: parsed.options,
    projectReferences: parsed.projectReferences,
    host,
    configFileParsingDiagnostics: ts.getConfigFileParsingDiagnostics(parsed),
  });
}

const programs = PROJECTS.map(createProjectProgram);

// The same list tsc prints; a referenced project's sources are skipped by TypeScript itself here.
const diagnostics = programs.flatMap((program) => ts.getPreEmitDiagnostics(program));
if (diagnostics.length > 0) {
  process.stdout.write(
    ts.formatDiagnosticsWithColorAndContext(diagnostics, {
      getCanonicalFileName: (fileName) => fileName,
      getCurrentDirectory: () => root,
      getNewLine: () => '\n',
    }),
  );
  process.stdout.write(`\nFound ${diagnostics.length} TypeScript error(s).\n`);
}

// `eslint .` with eslint.config.mjs; only the programs are handed over instead of the project service.
const eslint = new ESLint({
  cwd: root,
  overrideConfig: { languageOptions: { parserOptions: { projectService: false, programs } } },
});
const results = await eslint.lintFiles(['.']);
const report = await (await eslint.loadFormatter('stylish')).format(results);
if (report) process.stdout.write(report);

const lintErrors = results.reduce((sum, result) => sum + result.errorCount, 0);
process.exitCode = diagnostics.length > 0 || lintErrors > 0 ? 1 : 0;
