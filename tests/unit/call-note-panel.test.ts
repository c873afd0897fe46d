/**
 * The side panel's note box (components/CallNoteBox.tsx) with the background's real note store
 * behind the typed protocol: what is typed is saved within the debounce, at once on leaving the
 * box or closing the panel, and shown again when the panel opens after the call.
 */
import { h, render } from 'preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { CallNoteBox, SAVE_DEBOUNCE_MS } from '@/components/CallNoteBox';
import { onMessage } from '@/lib/messaging';
import { firstNoteLine } from '@/lib/notes/call-note';
import { storedNotes } from '@/lib/notes/note-store';
import { panelNoteActions, type CallNoteView } from '@/lib/notes/panel-notes';

const MARIE = '+33123456789';
let stops: Array<() => void> = [];

beforeEach(() => {
  fakeBrowser.reset();
  fakeBrowser.i18n.getMessage = ((key: string) => key) as typeof fakeBrowser.i18n.getMessage;
  const actions = panelNoteActions(storedNotes());
  stops = [onMessage('callNote', ({ data }) => actions.open(data)), onMessage('saveCallNote', ({ data }) => actions.save(data.id, data.text, data.outcome))];
});

afterEach(() => {
  for (const stop of stops) stop();
  document.body.replaceChildren();
});

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function open(e164?: string) {
  const root = document.createElement('div');
  document.body.append(root);
  let latest: CallNoteView | undefined;
  render(h(CallNoteBox, { e164, onNote: (note) => (latest = note) }), root);
  const box = () => root.querySelector<HTMLTextAreaElement>('#call-note-text');
  for (let i = 0; i < 50 && !box(); i++) await wait(10);
  return {
    root,
    box,
    outcome: () => root.querySelector<HTMLSelectElement>('#call-note-outcome')!,
    type: (text: string) => {
      box()!.value = text;
      box()!.dispatchEvent(new Event('input', { bubbles: true }));
    },
    latest: () => latest,
    close: () => render(null, root),
  };
}

const stored = async () => (await storedNotes().all()).filter((note) => note.text || note.outcome);

describe('the note box', () => {
  it('saves what is typed within the debounce, with the outcome, and gives its first line', async () => {
    const panel = await open(MARIE);
    panel.type('Devis pour 12 postes\nRappeler lundi');
    expect(await stored()).toEqual([]);
    await wait(SAVE_DEBOUNCE_MS + 100);
    expect(await stored()).toMatchObject([{ e164: MARIE, text: 'Devis pour 12 postes\nRappeler lundi', revision: 1 }]);
    panel.outcome().value = 'voicemail';
    panel.outcome().dispatchEvent(new Event('change', { bubbles: true }));
    await wait(100);
    expect(await stored()).toMatchObject([{ outcome: 'voicemail', revision: 2 }]);
    expect(firstNoteLine(panel.latest())).toBe('Devis pour 12 postes');
    expect(panel.root.querySelector('.note-status')!.textContent).toBe('noteSaved');
  });

  it('saves the last keys at once when the panel closes, and shows them when it opens again with no call', async () => {
    const panel = await open(MARIE);
    panel.type('Tapé juste avant de fermer');
    window.dispatchEvent(new Event('pagehide'));
    panel.close();
    await wait(50);
    expect(await stored()).toMatchObject([{ text: 'Tapé juste avant de fermer' }]);
    const again = await open(undefined);
    expect(again.box()!.value).toBe('Tapé juste avant de fermer');
  });

  it('takes the same note when the same call is shown again, a new one for another number', async () => {
    const first = await open(MARIE);
    first.type('Note de Marie');
    first.box()!.dispatchEvent(new Event('blur'));
    await wait(50);
    first.close();
    expect((await open(MARIE)).box()!.value).toBe('Note de Marie');
    expect((await open('+33611223344')).box()!.value).toBe('');
  });
});
