/**
 * From the second hostile review of issue 23: while the microphone was still to be asked, the
 * side panel showed Allo's dialer with a live Call. Chrome cannot prompt in a side panel: that
 * Call is refused silently and turns the permission to blocked. Until the step above it is done,
 * the dialer cannot be used there; in a window of its own, where Chrome can ask, it can.
 */
import { h, render } from 'preact';
import { beforeEach, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { DialerFrame } from '@/components/DialerFrame';
import { MicrophoneStep } from '@/components/MicrophoneStep';
import type { MicrophoneState } from '@/lib/microphone/microphone-state';

beforeEach(() => {
  fakeBrowser.reset();
  fakeBrowser.i18n.getMessage = ((key: string) => key) as typeof fakeBrowser.i18n.getMessage;
});

function frame(microphone: MicrophoneState | undefined, inWindow: boolean): HTMLIFrameElement {
  const root = document.createElement('div');
  render(h(DialerFrame, { src: 'https://dialer.test/', microphone, inWindow }), root);
  const iframe = root.querySelector('iframe');
  if (!iframe) throw new Error('no frame');
  return iframe;
}

it.each<[MicrophoneState | undefined, boolean, boolean]>([
  ['prompt', false, true],
  ['granted', false, false],
  ['denied', false, false],
  ['unknown', false, false],
  [undefined, false, false],
  ['prompt', true, false],
])('microphone %s, in a window %s: the dialer cannot be used: %s', (microphone, inWindow, blocked) => {
  const iframe = frame(microphone, inWindow);
  expect(iframe.hasAttribute('inert')).toBe(blocked);
  expect(iframe.classList.contains('waiting')).toBe(blocked);
  // Always loaded: the dialer's `ready` and its sign-in are not lost while it waits.
  expect(iframe.getAttribute('src')).toBe('https://dialer.test/');
  expect(iframe.getAttribute('allow')).toContain('microphone');
});

it('the side panel’s microphone step says the dialer waits; the guide’s does not (it has no dialer)', () => {
  const step = (windowed: boolean) => {
    const root = document.createElement('div');
    render(h(MicrophoneStep, { state: 'prompt', windowed }), root);
    return root.textContent ?? '';
  };
  expect(step(true)).toContain('micStepDialerWaits');
  expect(step(false)).not.toContain('micStepDialerWaits');
});
