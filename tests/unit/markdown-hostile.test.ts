/**
 * From the hostile review of issue 23: a heading followed by a long run of spaces must not take
 * quadratic time (the popup and the background convert every summary).
 */
import { describe, expect, it } from 'vitest';
import { markdownToText } from '@/lib/calls/markdown-text';

describe('Markdown headings, hostile', () => {
  it('a heading followed by a long run of spaces converts in linear time', () => {
    const hostile = `# x${' '.repeat(64_000)}y`;
    const started = performance.now();
    expect(markdownToText(hostile)).toContain('y');
    expect(performance.now() - started).toBeLessThan(250);
  });

  it('closing #s go, a word ending in # keeps it', () => {
    expect(markdownToText('## Appel ##')).toBe('Appel');
    expect(markdownToText('# Offre C#')).toBe('Offre C#');
    expect(markdownToText('#')).toBe('');
  });
});
