/**
 * From the second hostile review of issue 23: a line starting with ``` lost its words ("```js foo",
 * a closing fence followed by text). Whatever Allo's summary holds, no word of it may vanish on its
 * way to Sellsy's description or the popup.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { markdownToText } from '@/lib/calls/markdown-text';

/** Every run of letters and digits in the text: what a reader would call its words. */
function words(text: string): string[] {
  return text.match(/[\p{L}\p{N}]+/gu) ?? [];
}

function expectEveryWordKept(input: string): void {
  const output = markdownToText(input);
  for (const word of words(input)) expect(output, JSON.stringify(input)).toContain(word);
}

describe('Markdown fences keep the words on their lines', () => {
  it('an opening fence keeps the words after it', () => {
    expect(markdownToText('```js foo\nconst a = 1;\n```')).toBe('js foo\nconst a = 1;');
    expect(markdownToText('~~~ Rappeler lundi\nx\n~~~')).toBe('Rappeler lundi\nx');
  });

  it('a fence-looking line with text after it does not close the block: it is code, kept as it is', () => {
    expect(markdownToText('```\ncode\n``` suite du texte\nencore\n```\nFin.')).toBe('code\n``` suite du texte\nencore\nFin.');
  });

  it('only the same mark, at least as long, closes a block', () => {
    expect(markdownToText('````\n```\n~~~\n````\nFin.')).toBe('```\n~~~\nFin.');
  });

  it('a line of backticks holding a backtick is no fence but inline code', () => {
    expect(markdownToText('```devis``` envoyé\nFin.')).toBe('devis envoyé\nFin.');
  });

  it('a link’s title is kept', () => {
    expect(markdownToText('[Devis](https://acme.example/d "Version finale")')).toBe('Devis (https://acme.example/d, Version finale)');
  });
});

describe('no word of the input is ever lost', () => {
  const word = fc.stringMatching(/^[A-Za-zÀ-ÿ0-9]{1,8}$/);
  const mark = fc.constantFrom(
    '',
    ' ',
    '  ',
    '    ',
    '\n',
    '\n\n',
    '\t',
    '**',
    '*',
    '_',
    '__',
    '`',
    '``',
    '```',
    '````',
    '~~',
    '~~~',
    '# ',
    '## ',
    '#',
    '- ',
    '* ',
    '+ ',
    '1. ',
    '2) ',
    '> ',
    '>',
    '[',
    ']',
    '](',
    '(',
    ')',
    '](x)',
    ' "',
    '"',
    '![',
    '<',
    '>',
    '<https:',
    '\\',
    '\\*',
    '---',
    '===',
    '|',
    '&amp;',
    '\r\n',
  );
  const markdownish = fc.array(fc.oneof(word, mark, mark), { maxLength: 60 }).map((parts) => parts.join(''));

  it('for arbitrary Markdown-ish text, every alphanumeric word of the input is in the output', () => {
    fc.assert(fc.property(markdownish, expectEveryWordKept), { numRuns: 2_000 });
  });

  it('for arbitrary Markdown-ish lines, fences included', () => {
    const line = fc.tuple(fc.constantFrom('', '```', '~~~', '````', '   ```', '    ```'), markdownish).map(([a, b]) => a + b);
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), (lines) => expectEveryWordKept(lines.join('\n'))),
      { numRuns: 1_000 },
    );
  });

  it('for any string at all', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), expectEveryWordKept), { numRuns: 1_000 });
  });

  it('in bounded time on long hostile fences and links', () => {
    const started = performance.now();
    markdownToText(`${'```x\n'.repeat(20_000)}${'[a](b "'.repeat(20_000)}${'`'.repeat(50_000)}`);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
