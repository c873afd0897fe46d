import { afterEach, expect, it } from 'vitest';
import { type ClickToCall, initClickToCall } from '@/lib/dom/init-click-to-call';

let controller: AbortController;
let clickToCall: ClickToCall;

afterEach(() => controller.abort());

it('links nothing in a row the page moved into an editable area between two slices of the walk reading it', async () => {
  document.body.innerHTML = '<div contenteditable="true" id="editor"></div>' + '<div id="row"><span>06 12 34 56 78</span><span>06 98 76 54 32</span></div>';
  controller = new AbortController();
  let moved = false;
  let clock = 0;
  clickToCall = initClickToCall({
    sliceMs: 10,
    now: () => clock,
    signal: controller.signal,
    // Reading the first cell ends the slice; the page's script moves the row before the next.
    defaultCountry: () => {
      clock += 20;
      if (!moved) {
        moved = true;
        queueMicrotask(() => document.getElementById('editor')!.append(document.getElementById('row')!));
      }
      return 'FR';
    },
    title: () => 'Call with Allo',
    onCall: () => {},
  });
  await Promise.resolve();
  await clickToCall.idle();
  await Promise.resolve();
  await clickToCall.idle();
  expect(document.querySelectorAll('#editor [data-allo-number]')).toHaveLength(0);
});

it('links nothing more under an element that became editable between two slices of the walk', async () => {
  document.body.innerHTML = '<div id="wrap"><span>06 11 11 11 11</span><span>06 12 34 56 78</span></div>';
  controller = new AbortController();
  let edited = false;
  let clock = 0;
  clickToCall = initClickToCall({
    sliceMs: 10,
    now: () => clock,
    signal: controller.signal,
    // Reading the first cell ends the slice; the page makes the row editable before the next.
    defaultCountry: () => {
      clock += 20;
      if (!edited) {
        edited = true;
        queueMicrotask(() => document.getElementById('wrap')!.setAttribute('contenteditable', 'true'));
      }
      return 'FR';
    },
    title: () => 'Call with Allo',
    onCall: () => {},
  });
  for (let i = 0; i < 3; i++) {
    await Promise.resolve();
    await clickToCall.idle();
  }
  expect(document.querySelectorAll('#wrap [data-allo-number]')).toHaveLength(0);
});
