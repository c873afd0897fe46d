// Bundled (not minified) into the benchmark page: the content script's own scan and link, run
// on the same list under the sampling profiler, so the bench can say where the time goes.
import { initClickToCall } from '../../lib/dom/init-click-to-call';

declare global {
  interface Window {
    scanProfile: { run(): Promise<{ ms: number; linked: number }> };
  }
}

window.scanProfile = {
  async run() {
    const controller = new AbortController();
    const start = performance.now();
    const clickToCall = initClickToCall({
      signal: controller.signal,
      defaultCountry: () => 'FR',
      title: () => 'Call with Allo',
      onCall: () => undefined,
    });
    await clickToCall.idle();
    const ms = performance.now() - start;
    return { ms, linked: document.querySelectorAll('[data-allo-number]').length };
  },
};
