import { DEFAULT_RECORD_PATHS } from '@/lib/sellsy/record-url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CallRecord } from '@/lib/calls/call-record';
import { toCallView } from '@/lib/calls/call-view';
import { hasIntactOwnBlock, isUntouchedBlock } from '@/lib/calls/description-block';
import { markdownToText } from '@/lib/calls/markdown-text';
import { describeCall } from '@/lib/calls/phone-call-mapping';

/** Allo's summaries are Markdown (its API "replaces the markdown content"); Sellsy shows text. */

const SUMMARY = [
  '## Appel avec **Marie Dupont**',
  '',
  '**Objet** : devis *Gamme Pro* et __remise__ _annuelle_, ~~annulé~~.',
  '',
  '### Points clés',
  '- Budget validé',
  '* Livraison en `mars`',
  '  + Site de [Lyon](https://acme.example/lyon)',
  '',
  '1. Envoyer le devis',
  '2) *Rappeler* lundi',
  '',
  'Voir <https://acme.example/devis> et [https://acme.example](https://acme.example).',
  'Logo : ![Acme](https://acme.example/logo.png)',
  'HTML : <b>gras</b> <script>alert(1)</script> &amp; 3 < 4',
  'Échappés : \\*pas en italique\\* et snake_case_name reste tel quel.',
  '',
  '```',
  'const total = a * b * c;',
  '**pas du gras**',
  '```',
  '',
  'Titre souligné',
  '==============',
  '',
  '---',
  '',
  'Fin.',
].join('\n');

const EXPECTED = [
  'Appel avec Marie Dupont',
  '',
  'Objet : devis Gamme Pro et remise annuelle, annulé.',
  '',
  'Points clés',
  '- Budget validé',
  '- Livraison en mars',
  '  - Site de Lyon (https://acme.example/lyon)',
  '',
  '1. Envoyer le devis',
  '2. Rappeler lundi',
  '',
  'Voir https://acme.example/devis et https://acme.example.',
  'Logo : Acme (https://acme.example/logo.png)',
  'HTML : <b>gras</b> <script>alert(1)</script> &amp; 3 < 4',
  'Échappés : *pas en italique* et snake_case_name reste tel quel.',
  '',
  'const total = a * b * c;',
  '**pas du gras**',
  '',
  'Titre souligné',
  '',
  'Fin.',
].join('\n');

describe('markdownToText', () => {
  it('turns a summary with headings, emphasis, links, lists, code and HTML-looking text into clean text', () => {
    expect(markdownToText(SUMMARY)).toBe(EXPECTED);
  });

  it('leaves plain text as it is, and a marker-looking line too (the block quotes it)', () => {
    expect(markdownToText('Résumé tardif cll-1 : devis à envoyer.')).toBe('Résumé tardif cll-1 : devis à envoyer.');
    expect(markdownToText('Cite :\nIn Allo: https://web.withallo.com/\n[Allo call cll-9]')).toBe(
      'Cite :\nIn Allo: https://web.withallo.com/\n[Allo call cll-9]',
    );
  });

  it('never loses a word of what it is given, whatever the input', () => {
    const word = fc.stringMatching(/^[A-Za-zÀ-ÿ0-9]{1,12}$/);
    const markup = fc.constantFrom('', '**', '*', '_', '__', '`', '~~', '# ', '- ', '1. ', '> ', '[', '](x)', '<', '>', '\\', '\n', '\n\n', ' ');
    fc.assert(
      fc.property(fc.array(fc.tuple(markup, word, markup), { maxLength: 40 }), (parts) => {
        const text = markdownToText(parts.map(([a, w, b]) => `${a}${w}${b}`).join(' '));
        for (const [, w] of parts) expect(text).toContain(w);
      }),
    );
  });

  it('stays linear on hostile input', () => {
    const start = performance.now();
    markdownToText(`${'**a'.repeat(20_000)}\n${'[x'.repeat(20_000)}\n${'_'.repeat(50_000)}`);
    expect(performance.now() - start).toBeLessThan(1_000);
  });
});

describe('where a summary is shown', () => {
  const call = {
    alloId: 'cll-7',
    summary: '**Objet** : *rappeler*\n- devis',
    recordingUrl: null,
    targets: [],
    direction: 'OUTBOUND',
    counterpart: '+33123456789',
  } as unknown as CallRecord;

  it('the Phone Call description gets the text, and its block stays ours and untouched', () => {
    const block = describeCall(call);
    expect(block.split('\n').slice(1, 3)).toEqual(['Summary: Objet : rappeler', '- devis']);
    expect(isUntouchedBlock(block, 'cll-7')).toBe(true);
    expect(hasIntactOwnBlock(block)).toBe(true);
  });

  it('the popup’s call view gets the text', () => {
    expect(toCallView(call, { appUrl: 'https://www.sellsy.com', paths: DEFAULT_RECORD_PATHS }, 0).summary).toBe('Objet : rappeler\n- devis');
  });
});
