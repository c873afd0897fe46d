/**
 * Hostile review of the side panel's search box (components/NameSearch.tsx). A salesperson types
 * a name and presses Enter at once: the call must go to the name typed, never to the first record
 * of an answer to what was typed before.
 */
import { h, render } from 'preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { NameSearch } from '@/components/NameSearch';
import { onMessage } from '@/lib/messaging';
import type { FoundRecord } from '@/lib/search/search-records';

const DUPONT: FoundRecord = { key: 'contact:1', kind: 'contact', name: 'Marie Dupont', url: 'https://www.sellsy.com/peoples/1', phones: ['+33612345678'] };
const DURAND: FoundRecord = { key: 'contact:2', kind: 'contact', name: 'Paul Durand', url: 'https://www.sellsy.com/peoples/2', phones: ['+33698765432'] };

let stop: () => void;

beforeEach(() => {
  fakeBrowser.reset();
  fakeBrowser.i18n.getMessage = ((key: string, substitutions?: string[]) => [key, ...(substitutions ?? [])].join(' ')) as typeof fakeBrowser.i18n.getMessage;
  // "du" answers Durand and Dupont; "dupont" answers Dupont alone.
  stop = onMessage('searchRecords', ({ data }) => ({ records: data.query === 'dupont' ? [DUPONT] : data.query.startsWith('du') ? [DURAND, DUPONT] : [] }));
});

afterEach(() => {
  stop();
  document.body.replaceChildren();
});

describe('review 1: Enter in the search box', () => {
  it('does not call the first record of the previous query’s answer when Enter follows the typing at once', async () => {
    const called: string[] = [];
    const root = document.createElement('div');
    document.body.append(root);
    render(h(NameSearch, { country: 'FR', call: (e164: string) => called.push(e164), openRecord: () => undefined }), root);
    const box = root.querySelector<HTMLInputElement>('input[type=search]')!;
    const type = (text: string) => {
      box.value = text;
      box.dispatchEvent(new Event('input', { bubbles: true }));
    };
    type('du');
    await expect.poll(() => root.querySelectorAll('button.call-number').length).toBe(2);
    // She finishes typing "dupont" and presses Enter a few milliseconds later, before the pause
    // that asks the background (80 ms) is over.
    type('dupont');
    await new Promise((resolve) => setTimeout(resolve, 10));
    box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    // Paul Durand is called although "dupont" does not even match him.
    expect(called).not.toContain(DURAND.phones[0]);
    // The Enter is kept: once "dupont" is answered, Marie Dupont is called.
    await expect.poll(() => called).toEqual([DUPONT.phones[0]]);
  });
});
