/**
 * A local stand-in for Allo's embedded dialer (`https://web.withallo.com?variant=dialer`), for
 * the sandbox and the end-to-end tests. It speaks the documented protocol
 * (docs/sellsy-and-allo.md): it posts `{ source: "allo-dialer", type, payload }` to its parent
 * (`ready`, `login` after a fake sign-in, `outgoing_call`, `incoming_call` on demand, and
 * `missed_call` when an incoming call rings out unanswered) and
 * takes `{ source: "allo-host", type: "dial", payload }`, showing the number. The payload
 * fields are the ones the extension assumes; Allo has not published them.
 *
 * Like Allo, it asks for the microphone when Call is pressed (`getUserMedia({audio: true})`), and
 * says whether it got a live track (`microphone`). Its sign-in is a cookie of its own site, set
 * on its own page in a normal tab or in the frame alike, so a test can see one sign-in serve both.
 *
 * Modes: `normal`; `not-activated` (Allo's "dialer not activated" screen, never `ready`);
 * `slow` (`ready` only after `slowMs`). A hang-up, or an incoming call left unanswered, reports
 * the call to `onCallEnded`, so the sandbox can add it to the local Allo API as Allo's servers
 * would. `missed_call` is the extension's assumption too: Allo has not published that event.
 */
import { createServer } from 'node:http';
import { listen, type RunningServer } from './pages-server';

export type DialerMode = 'normal' | 'not-activated' | 'slow';

export interface EndedCall {
  direction: 'INBOUND' | 'OUTBOUND';
  number: string;
  durationS: number;
  /** Rang out with nobody answering (Allo lists it with no result). */
  missed?: boolean;
}

export interface DialerServer extends RunningServer {
  mode: DialerMode;
  slowMs: number;
  /** Calls hung up in the dialer, oldest first. */
  readonly ended: EndedCall[];
  /** Numbers received with `dial`, oldest first: what the tests check the dialer was handed. */
  readonly dialed: string[];
  /** What each press on Call got from `getUserMedia`: `live`, or the error's name. */
  readonly microphone: string[];
}

const PAGE = (mode: DialerMode, slowMs: number) => `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Allo dialer (local double)</title>
<style>
  body { font: 14px system-ui, sans-serif; margin: 12px; color: #111827; }
  .screen[hidden] { display: none; }
  #dialed { font-size: 22px; font-weight: 600; min-height: 1.4em; margin: 8px 0; }
  button { font: inherit; margin: 4px 4px 4px 0; padding: 6px 10px; }
  label { display: block; margin-top: 10px; }
</style></head>
<body>
<p><strong>Allo</strong> <small>(local double, mode: ${mode})</small></p>
<section class="screen" id="not-activated" ${mode === 'not-activated' ? '' : 'hidden'}>
  <h1>Dialer not activated</h1>
  <p>This website is not activated for the embedded dialer. Contact support@withallo.com.</p>
</section>
<section class="screen" id="sign-in" hidden>
  <h1>Sign in to Allo</h1>
  <button id="sign-in-button" type="button">Sign in as Camille Martin</button>
</section>
<section class="screen" id="keypad" hidden>
  <h1>Dialer</h1>
  <div id="dialed" aria-live="polite" data-testid="dialed"></div>
  <button id="call" type="button">Call</button>
  <button id="hang-up" type="button" disabled>Hang up</button>
  <p id="call-state" role="status"></p>
  <label for="incoming-number">Simulate an incoming call from</label>
  <input id="incoming-number" value="+33612345678">
  <button id="incoming" type="button">Incoming call</button>
  <button id="ring-out" type="button" disabled>Let it ring out</button>
</section>
<script>
  const mode = ${JSON.stringify(mode)};
  const parentOrigin = (location.ancestorOrigins && location.ancestorOrigins[0]) || '*';
  const emit = (type, payload) => parent.postMessage({ source: 'allo-dialer', type, payload }, parentOrigin);
  const $ = (id) => document.getElementById(id);
  // A cookie, as a real web app keeps its session: in the side panel's frame it is the same
  // cookie as in a tab only when the extension holds host permission for this site.
  const SESSION = 'allo_double_session=camille';
  let signedIn = document.cookie.split('; ').includes(SESSION);
  let call = null;
  function show() {
    $('sign-in').hidden = signedIn;
    $('keypad').hidden = !signedIn;
  }
  function start() {
    show();
    emit('ready');
    if (signedIn) emit('login', { user: { name: 'Camille Martin' } });
  }
  $('sign-in-button').onclick = () => {
    signedIn = true;
    document.cookie = SESSION + '; path=/; max-age=86400; SameSite=None; Secure';
    show();
    emit('login', { user: { name: 'Camille Martin' } });
  };
  // Allo needs the microphone to place a call: it asks when Call is pressed.
  $('call').onclick = async () => {
    const number = $('dialed').textContent;
    if (!number) return;
    let got;
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      const track = stream.getAudioTracks()[0];
      got = track && track.readyState === 'live' ? 'live' : 'no-track';
      for (const t of stream.getTracks()) t.stop();
    } catch (error) {
      got = (error && error.name) || 'error';
    }
    fetch('/microphone', { method: 'POST', body: got });
    if (got !== 'live') {
      $('call-state').textContent = 'No microphone: ' + got;
      return;
    }
    call = { direction: 'OUTBOUND', number, startedAt: Date.now() };
    $('call-state').textContent = 'Calling ' + number;
    $('hang-up').disabled = false;
    emit('outgoing_call', { phoneNumber: number });
  };
  $('incoming').onclick = () => {
    const number = $('incoming-number').value;
    call = { direction: 'INBOUND', number, startedAt: Date.now() };
    $('call-state').textContent = 'Incoming call from ' + number;
    $('hang-up').disabled = false;
    $('ring-out').disabled = false;
    emit('incoming_call', { phoneNumber: number });
  };
  // Nobody answers: the call ends unanswered, and Allo lists it without a result.
  $('ring-out').onclick = () => {
    if (!call || call.direction !== 'INBOUND') return;
    const ended = { direction: 'INBOUND', number: call.number, durationS: 0, missed: true };
    call = null;
    $('hang-up').disabled = true;
    $('ring-out').disabled = true;
    $('call-state').textContent = 'Missed call';
    emit('missed_call', { phoneNumber: ended.number });
    fetch('/call-ended', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ended) });
  };
  $('hang-up').onclick = () => {
    if (!call) return;
    const ended = { direction: call.direction, number: call.number, durationS: Math.round((Date.now() - call.startedAt) / 1000) };
    call = null;
    $('hang-up').disabled = true;
    $('ring-out').disabled = true;
    $('call-state').textContent = 'Call ended';
    fetch('/call-ended', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ended) });
  };
  window.addEventListener('message', (event) => {
    const data = event.data;
    if (!data || data.source !== 'allo-host' || data.type !== 'dial') return;
    const number = data.payload && data.payload.phoneNumber;
    if (typeof number !== 'string') return;
    $('dialed').textContent = number;
    fetch('/dialed', { method: 'POST', body: number });
  });
  if (mode === 'normal') start();
  else if (mode === 'slow') setTimeout(start, ${slowMs});
</script>
</body>
</html>`;

/** Serves the double on 127.0.0.1 (port 0: any free port). */
export async function startDialerServer({ port = 0, onCallEnded }: { port?: number; onCallEnded?: (call: EndedCall) => void } = {}): Promise<DialerServer> {
  const ended: EndedCall[] = [];
  const dialed: string[] = [];
  const microphone: string[] = [];
  const state = { mode: 'normal' as DialerMode, slowMs: 6_000 };
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method === 'GET' && path === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(PAGE(state.mode, state.slowMs));
      return;
    }
    if (req.method === 'POST' && (path === '/call-ended' || path === '/dialed' || path === '/microphone')) {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        if (path === '/dialed') dialed.push(body);
        else if (path === '/microphone') microphone.push(body);
        else {
          const call = JSON.parse(body) as EndedCall;
          ended.push(call);
          onCallEnded?.(call);
        }
        res.writeHead(204).end();
      });
      return;
    }
    res.writeHead(404).end();
  });
  const running = await listen(server, port);
  // Accessors, not copies: a test switches the mode of the running server.
  return Object.defineProperties(running as DialerServer, {
    ended: { value: ended },
    dialed: { value: dialed },
    microphone: { value: microphone },
    mode: {
      get: () => state.mode,
      set: (value: DialerMode) => {
        state.mode = value;
      },
    },
    slowMs: {
      get: () => state.slowMs,
      set: (value: number) => {
        state.slowMs = value;
      },
    },
  });
}
