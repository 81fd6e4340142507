import { describe, expect, it } from 'vitest';
import { parseJUnitXml } from './testResults.ts';

const REPORT = `<?xml version="1.0" encoding="UTF-8"?>
<!-- produced by the CI of 5.0.0-rc.2 -->
<testsuites name="pos">
  <testsuite name="checkout" tests="99">
    <testcase name="pays by card" classname="checkout"/>
    <testcase name="pays &amp; prints" classname="checkout">
      <failure message="expected receipt &lt;A&gt;" type="AssertionError"><![CDATA[stack <here>]]></failure>
    </testcase>
    <testcase name="refund"><skipped/></testcase>
  </testsuite>
  <testsuite name='sync'>
    <testcase name="offline push"><error>timeout &#x41;&#66;</error></testcase>
    <testsuite name="nested"><testcase name="deep"/></testsuite>
  </testsuite>
</testsuites>`;

function message(xml: string): string {
  const out = parseJUnitXml(xml);
  if (out.ok) throw new Error('expected a refusal');
  return out.message;
}

describe('JUnit XML', () => {
  it('counts cases, failures (with errors) and skips per suite, from the cases, not the attributes', () => {
    const out = parseJUnitXml(REPORT);
    expect(out).toEqual({
      ok: true,
      summary: {
        total: 5,
        failed: 2,
        skipped: 1,
        suites: [
          { name: 'checkout', total: 3, failed: 1, skipped: 1 },
          { name: 'sync', total: 1, failed: 1, skipped: 0 },
          { name: 'sync › nested', total: 1, failed: 0, skipped: 0 },
        ],
        failedCases: [
          { suite: 'checkout', name: 'pays & prints', message: 'expected receipt <A>' },
          { suite: 'sync', name: 'offline push', message: 'timeout AB' },
        ],
      },
    });
  });

  it('reads a single <testsuite> root', () => {
    const out = parseJUnitXml('<testsuite name="a"><testcase name="x"/></testsuite>');
    expect(out.ok && out.summary.total).toBe(1);
  });

  it.each([
    ['', 'line 1, column 1: the document is empty'],
    ['<testsuites><testsuite name="a"></testsuites>', '</testsuites> closes <testsuite>'],
    ['<testsuites>', '<testsuites> is not closed'],
    ['<testsuite name="a" name="b"/>', 'the attribute name appears twice'],
    ['<testsuite name=a/>', 'the value of name must be in quotes'],
    ['<testsuite name="a &nbsp; b"/>', 'unknown entity "&nbsp;"'],
    ['<testsuite name="a & b"/>', 'not closed by ";"'],
    ['<testsuite/><testsuite/>', 'only one root element'],
    ['<html><body/></html>', 'the root element is <html>'],
    ['<testsuites></testsuites>', 'the report holds no <testsuite>'],
    [
      '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "b">]>\n<testsuite/>',
      'line 2, column 1: a DOCTYPE is not accepted',
    ],
    ['<testsuite name="a">\n  <testcase name="x"></testcase\n</testsuite>', 'line 3, column 1'],
    ['<testsuite name="a"><testcase name="&#0;"/></testsuite>', 'is not a valid character'],
  ])('refuses malformed XML %j with where and why', (xml, expected) => {
    const text = message(xml);
    expect(text).toMatch(/^The JUnit XML cannot be read: /);
    expect(text).toContain(expected);
  });
});
