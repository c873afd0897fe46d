/**
 * Review of the side panel's note box (issue 20, item 3): the panel left open on a number that is
 * called again later (a redial after the window of one call) gets a note of its own for the new
 * call, and the first call's note stays as typed; a second event of the same call (dial, then the
 * dialer's call event) keeps the note and what was being typed.
 */
import { h, render } from 'preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { CallNoteBox, SAVE_DEBOUNCE_MS } from '@/components/CallNoteBox';
import { onMessage } from '@/lib/messaging';
import { SAME_CALL_MS, storedNotes } from '@/lib/notes/note-store';
import { panelNoteActions } from '@/lib/notes/panel-notes';

const MARIE = '+33123456789';
let stops: Array<() => void> = [];
let saves: ReturnType<typeof panelNoteActions>['save'];
/** The background fails this many saves from now on (a worker stopped, storage refusing). */
let failSaves = 0;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.UTC(2026, 11, 7, 9, 0));
  fakeBrowser.reset();
  fakeBrowser.i18n.getMessage = ((key: string) => key) as typeof fakeBrowser.i18n.getMessage;
  const actions = panelNoteActions(storedNotes());
  saves = actions.save;
  failSaves = 0;
  stops = [
    onMessage('callNote', ({ data }) => actions.open(data)),
    onMessage('saveCallNote', ({ data }) => {
      if (failSaves > 0) {
        failSaves--;
        throw new Error('The background did not save');
      }
      return saves(data.id, data.text, data.outcome);
    }),
  ];
});

afterEach(() => {
  for (const stop of stops) stop();
  document.body.replaceChildren();
  vi.useRealTimers();
});

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const stored = async () => (await storedNotes().all()).filter((note) => note.text || note.outcome);

/** The panel with its note box, shown each event the dialer or a click raises (a new object each). */
async function panel() {
  const root = document.createElement('div');
  document.body.append(root);
  const box = () => root.querySelector<HTMLTextAreaElement>('#call-note-text');
  const show = async (e164: string) => {
    render(h(CallNoteBox, { e164, event: { e164, why: 'dial' } }), root);
    await wait(50);
  };
  return {
    box,
    show,
    type: (text: string) => {
      box()!.value = text;
      box()!.dispatchEvent(new Event('input', { bubbles: true }));
    },
  };
}

describe('the note box on a number called again', () => {
  it('gives a redial after the window its own note, and leaves the first call’s note as typed', async () => {
    const side = await panel();
    await side.show(MARIE);
    side.type('Premier appel : messagerie');
    await wait(SAVE_DEBOUNCE_MS + 100);
    // Twenty minutes later, the panel still open on Marie, she is called again.
    vi.setSystemTime(Date.now() + 20 * 60_000);
    await side.show(MARIE);
    expect(side.box()!.value).toBe('');
    side.type('Second appel : devis accepté');
    await wait(SAVE_DEBOUNCE_MS + 100);
    const texts = (await stored()).map((note) => note.text).sort();
    expect(texts).toEqual(['Premier appel : messagerie', 'Second appel : devis accepté']);
  });

  it('keeps the note, and the keys being typed, through a second event of the same call', async () => {
    const side = await panel();
    await side.show(MARIE);
    side.type('Tapé pendant la sonnerie');
    vi.setSystemTime(Date.now() + SAME_CALL_MS / 2);
    // The dialer says the call started, before the debounce saved the keys.
    await side.show(MARIE);
    expect(side.box()!.value).toBe('Tapé pendant la sonnerie');
    await wait(SAVE_DEBOUNCE_MS + 100);
    expect(await stored()).toMatchObject([{ text: 'Tapé pendant la sonnerie' }]);
  });
});

describe('the note box when a save fails', () => {
  it('saves the text again, without another key, before the panel closes', async () => {
    const side = await panel();
    await side.show(MARIE);
    failSaves = 1;
    side.type('Tapé pendant que le service était arrêté');
    await wait(SAVE_DEBOUNCE_MS + 100);
    expect(await stored()).toEqual([]);
    // No other key: the panel is closed.
    window.dispatchEvent(new Event('pagehide'));
    await wait(100);
    expect(await stored()).toMatchObject([{ text: 'Tapé pendant que le service était arrêté' }]);
  });
});

describe('the note box on a note the background let go', () => {
  it('keeps what is typed into a note left empty long enough to be pruned while the panel stayed open', async () => {
    const side = await panel();
    await side.show(MARIE);
    // Three hours on, the box still open and empty: another write prunes the empty note.
    vi.setSystemTime(Date.now() + 3 * 60 * 60_000);
    const other = await storedNotes().forCall({ e164: '+33611223344', startedAt: Date.now() }, Date.now());
    expect((await storedNotes().all()).map((note) => note.id)).toEqual([other.id]);
    side.type('Rappel : envoyer le devis');
    await wait(SAVE_DEBOUNCE_MS + 200);
    expect(await stored()).toMatchObject([{ e164: MARIE, text: 'Rappel : envoyer le devis' }]);
  });
});

describe('the note box when Sellsy refuses the note after it was saved', () => {
  it('says so while it stays open, not only once reopened', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
    const side = await panel();
    await side.show(MARIE);
    side.type('Note refusée par Sellsy');
    await wait(SAVE_DEBOUNCE_MS + 100);
    const status = () => document.querySelector('.note-status')!.textContent;
    expect(status()).toBe('noteSaved');
    // The call log's pass: Sellsy answers 403 (the API access lacks comments.write).
    const [note] = await storedNotes().all();
    await storedNotes().update(note!.id, (latest) => ({ ...latest, problem: 'forbidden' }));
    vi.advanceTimersByTime(10_000);
    await wait(50);
    expect(status()).toBe('noteRefused');
  });
});
