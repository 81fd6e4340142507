/**
 * A release candidate's automated test results, imported as JUnit XML. No
 * XML parser is a declared dependency of the project, and JUnit reports use
 * a small subset of XML, so this reads exactly that subset strictly:
 * elements, attributes, text, CDATA, comments, processing instructions and
 * the predefined and numeric character references. A DOCTYPE is refused
 * (no entity expansion, no external references), as is anything malformed,
 * with the line and column, so an import either stores the whole report or
 * nothing.
 */
import { z } from 'zod';

// Not imported from the sync protocol, which imports this module for the catalog pull.
const idText = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'must be an identifier');

/** One suite's counts; `failed` counts failures and errors alike. */
export const testSuiteSummary = z
  .object({
    name: z.string().max(500),
    total: z.number().int().min(0),
    failed: z.number().int().min(0),
    skipped: z.number().int().min(0),
  })
  .strict();
export type TestSuiteSummary = z.infer<typeof testSuiteSummary>;

/** The most failed cases a summary names; the counts still cover all of them. */
const MAX_FAILED_CASES = 50;

/**
 * What a release's test results say, as the catalog pull carries it and as a
 * go / no-go decision binds it: the totals, each suite, the first failed
 * cases, and the SHA-256 of the XML imported (so the report can be traced).
 */
export const testResultsSummary = z
  .object({
    releaseId: idText,
    total: z.number().int().min(0),
    failed: z.number().int().min(0),
    skipped: z.number().int().min(0),
    suites: z.array(testSuiteSummary).max(10_000),
    failedCases: z
      .array(
        z
          .object({
            suite: z.string().max(500),
            name: z.string().max(500),
            message: z.string().max(1000),
          })
          .strict(),
      )
      .max(MAX_FAILED_CASES),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    importedAt: z.string(),
  })
  .strict();
export type TestResultsSummary = z.infer<typeof testResultsSummary>;

/** 8 MiB of XML: a few tens of thousands of test cases with their failure output. */
const MAX_JUNIT_BYTES = 8 * 1024 * 1024;

export const TEST_RESULT_ROUTES = {
  importTestResults: {
    method: 'POST',
    url: '/v1/admin/releases/:releaseId/test-results',
    auth: 'admin',
    bodyLimit: MAX_JUNIT_BYTES + 64 * 1024,
  },
  deskTestResults: {
    method: 'GET',
    url: '/v1/desk/releases/:releaseId/test-results',
    auth: 'desk',
  },
} as const;

export const testResultsParams = z.object({ releaseId: idText }).strict();
export const importTestResultsRequest = z
  .object({ xml: z.string().min(1).max(MAX_JUNIT_BYTES) })
  .strict();

/** The desk's read: null while nothing was imported for the release. */
export const deskTestResults = z
  .object({ releaseId: z.string(), summary: testResultsSummary.nullable(), asOf: z.string() })
  .strict();
export type DeskTestResults = z.infer<typeof deskTestResults>;

// ---------------------------------------------------------------------------
// The XML subset

export type XmlElement = {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
};

export type JUnitParseOutcome =
  | { ok: true; summary: Omit<TestResultsSummary, 'releaseId' | 'sha256' | 'importedAt'> }
  | { ok: false; message: string };

class XmlError extends Error {}

const NAME = /[A-Za-z_:][A-Za-z0-9_:.-]*/y;
const PREDEFINED: Record<string, string> = {
  lt: '<',
  gt: '>',
  amp: '&',
  quot: '"',
  apos: "'",
};

/** Parses the XML subset into its root element; throws XmlError with line and column. */
function parseXml(text: string): XmlElement {
  let i = 0;
  const fail = (message: string, at = i): never => {
    const before = text.slice(0, at);
    const line = before.split('\n').length;
    const column = at - before.lastIndexOf('\n');
    throw new XmlError(`line ${line}, column ${column}: ${message}`);
  };
  const startsWith = (s: string) => text.startsWith(s, i);
  const skipSpace = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++;
  };
  const readName = (): string => {
    NAME.lastIndex = i;
    const m = NAME.exec(text);
    if (!m) return fail('a name was expected');
    i += m[0].length;
    return m[0];
  };
  const decode = (raw: string, at: number): string =>
    raw.replace(/&([^;&<]*);?/g, (whole, ref: string, offset: number) => {
      if (!whole.endsWith(';'))
        return fail('"&" starts a reference that is not closed by ";"', at + offset);
      if (ref.startsWith('#x') && /^#x[0-9A-Fa-f]{1,6}$/.test(ref))
        return codePoint(Number.parseInt(ref.slice(2), 16), at + offset);
      if (ref.startsWith('#') && /^#[0-9]{1,7}$/.test(ref))
        return codePoint(Number.parseInt(ref.slice(1), 10), at + offset);
      const value = PREDEFINED[ref];
      if (value === undefined) return fail(`unknown entity "&${ref};"`, at + offset);
      return value;
    });
  const codePoint = (n: number, at: number): string => {
    if (n === 0 || n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff))
      return fail(`character reference ${n} is not a valid character`, at);
    return String.fromCodePoint(n);
  };
  /** Comments, processing instructions and whitespace between elements. */
  const skipMisc = () => {
    for (;;) {
      skipSpace();
      if (startsWith('<!--')) {
        const end = text.indexOf('-->', i + 4);
        if (end < 0) fail('a comment is not closed');
        i = end + 3;
      } else if (startsWith('<?')) {
        const end = text.indexOf('?>', i + 2);
        if (end < 0) fail('a processing instruction is not closed');
        i = end + 2;
      } else if (startsWith('<!DOCTYPE') || startsWith('<!doctype')) {
        fail('a DOCTYPE is not accepted in a JUnit report');
      } else return;
    }
  };
  const readElement = (depth: number): XmlElement => {
    if (depth > 64) fail('elements are nested more than 64 deep');
    if (text[i] !== '<') fail('"<" was expected');
    i++;
    const name = readName();
    const attributes: Record<string, string> = {};
    for (;;) {
      const hadSpace = i < text.length && ' \t\r\n'.includes(text[i]!);
      skipSpace();
      if (startsWith('/>')) {
        i += 2;
        return { name, attributes, children: [], text: '' };
      }
      if (text[i] === '>') {
        i++;
        break;
      }
      if (i >= text.length) fail(`the tag <${name}> is not closed`);
      if (!hadSpace) fail(`a space was expected before an attribute of <${name}>`);
      const attr = readName();
      skipSpace();
      if (text[i] !== '=') fail(`"=" was expected after the attribute ${attr}`);
      i++;
      skipSpace();
      const quote = text[i];
      if (quote !== '"' && quote !== "'") fail(`the value of ${attr} must be in quotes`);
      const end = text.indexOf(quote!, i + 1);
      if (end < 0) fail(`the value of ${attr} is not closed`);
      const raw = text.slice(i + 1, end);
      if (raw.includes('<'))
        fail(`"<" is not allowed in the value of ${attr}`, i + 1 + raw.indexOf('<'));
      if (Object.hasOwn(attributes, attr)) fail(`the attribute ${attr} appears twice on <${name}>`);
      attributes[attr] = decode(raw, i + 1);
      i = end + 1;
    }
    const children: XmlElement[] = [];
    let content = '';
    for (;;) {
      if (i >= text.length) fail(`<${name}> is not closed`);
      if (startsWith('</')) {
        const at = i;
        i += 2;
        const closing = readName();
        skipSpace();
        if (text[i] !== '>') fail(`">" was expected to close </${closing}>`);
        i++;
        if (closing !== name) fail(`</${closing}> closes <${name}>`, at);
        return { name, attributes, children, text: content };
      }
      if (startsWith('<![CDATA[')) {
        const end = text.indexOf(']]>', i + 9);
        if (end < 0) fail('a CDATA section is not closed');
        content += text.slice(i + 9, end);
        i = end + 3;
      } else if (startsWith('<!--')) {
        const end = text.indexOf('-->', i + 4);
        if (end < 0) fail('a comment is not closed');
        i = end + 3;
      } else if (startsWith('<?')) {
        const end = text.indexOf('?>', i + 2);
        if (end < 0) fail('a processing instruction is not closed');
        i = end + 2;
      } else if (startsWith('<!')) {
        fail('a declaration is not accepted inside an element');
      } else if (text[i] === '<') {
        children.push(readElement(depth + 1));
      } else {
        const next = text.indexOf('<', i);
        const end = next < 0 ? text.length : next;
        content += decode(text.slice(i, end), i);
        i = end;
      }
    }
  };

  if (text.charCodeAt(0) === 0xfeff) i = 1;
  skipMisc();
  if (i >= text.length) fail('the document is empty');
  const root = readElement(0);
  skipMisc();
  if (i < text.length) fail('only one root element is allowed; text or elements follow it');
  return root;
}

// ---------------------------------------------------------------------------
// JUnit

function suitesOf(root: XmlElement): XmlElement[] {
  if (root.name === 'testsuite') return [root];
  if (root.name === 'testsuites') return root.children.filter((c) => c.name === 'testsuite');
  throw new XmlError(
    `the root element is <${root.name}>; a JUnit report has <testsuites> or <testsuite>`,
  );
}

/**
 * Reads a JUnit XML report: counts come from the test cases themselves (a
 * suite's `tests=` attribute is not trusted), a case with `<failure>` or
 * `<error>` has failed, one with `<skipped>` was skipped. Suites nested in
 * suites are counted as their own suites.
 */
export function parseJUnitXml(xml: string): JUnitParseOutcome {
  try {
    const root = parseXml(xml);
    const suites: TestSuiteSummary[] = [];
    const failedCases: TestResultsSummary['failedCases'] = [];
    const visit = (suite: XmlElement, prefix: string) => {
      const name = (prefix ? `${prefix} › ` : '') + (suite.attributes['name'] ?? '(unnamed suite)');
      const summary: TestSuiteSummary = {
        name: name.slice(0, 500),
        total: 0,
        failed: 0,
        skipped: 0,
      };
      // The suite before the suites nested in it, as the report lists them.
      suites.push(summary);
      for (const child of suite.children) {
        if (child.name === 'testsuite') {
          visit(child, name);
          continue;
        }
        if (child.name !== 'testcase') continue;
        summary.total++;
        const failure = child.children.find((c) => c.name === 'failure' || c.name === 'error');
        if (failure) {
          summary.failed++;
          if (failedCases.length < MAX_FAILED_CASES)
            failedCases.push({
              suite: summary.name,
              name: (child.attributes['name'] ?? '(unnamed case)').slice(0, 500),
              message: (failure.attributes['message'] ?? failure.text.trim()).slice(0, 1000),
            });
        } else if (child.children.some((c) => c.name === 'skipped')) summary.skipped++;
      }
    };
    const top = suitesOf(root);
    if (top.length === 0) throw new XmlError('the report holds no <testsuite>');
    for (const suite of top) visit(suite, '');
    return {
      ok: true,
      summary: {
        total: suites.reduce((n, s) => n + s.total, 0),
        failed: suites.reduce((n, s) => n + s.failed, 0),
        skipped: suites.reduce((n, s) => n + s.skipped, 0),
        suites,
        failedCases,
      },
    };
  } catch (error) {
    if (error instanceof XmlError)
      return { ok: false, message: `The JUnit XML cannot be read: ${error.message}.` };
    throw error;
  }
}

/** Passed cases: neither failed nor skipped. */
export function passedOf(
  summary: Pick<TestResultsSummary, 'total' | 'failed' | 'skipped'>,
): number {
  return summary.total - summary.failed - summary.skipped;
}
