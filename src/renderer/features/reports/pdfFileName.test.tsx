import { describe, expect, it } from 'vitest';
import { pdfFileName } from './ReportParts.tsx';

describe('pdfFileName', () => {
  it('joins the parts into a name the save dialog and reports:savePdf accept', () => {
    expect(pdfFileName('decision', '4.0.1', 'Auckland Queen Street')).toBe(
      'decision-4.0.1-Auckland-Queen-Street.pdf',
    );
  });

  it('drops path separators and characters a file system refuses', () => {
    const name = pdfFileName('decision', '../../etc', 'a/b\\c:*?"<>|');
    expect(name).toMatch(/^[A-Za-z0-9._-]+\.pdf$/);
    expect(name).not.toContain('/');
  });

  it('never gives an empty or overlong name', () => {
    expect(pdfFileName('///')).toBe('report.pdf');
    expect(pdfFileName('x'.repeat(500)).length).toBeLessThanOrEqual(104);
  });
});
