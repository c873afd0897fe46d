import type { CountryCode } from 'libphonenumber-js/min';
import { useEffect, useRef, useState } from 'preact/hooks';
import { CallNoteBox } from '@/components/CallNoteBox';
import { firstNoteLine } from '@/lib/notes/call-note';
import type { CallNoteView } from '@/lib/notes/panel-notes';
import { DialerFrame } from '@/components/DialerFrame';
import { DialerNotice, dialerFellBack } from '@/components/DialerNotice';
import { t } from '@/components/i18n';
import { MicrophoneStep } from '@/components/MicrophoneStep';
import { NameSearch } from '@/components/NameSearch';
import { NumberContext } from '@/components/NumberContext';
import { useMicrophoneState } from '@/components/use-microphone';
import { config } from '@/lib/config';
import type { CallTarget } from '@/lib/allo/call-link';
import { callBackItem, callFromPanel, SEARCH_FOCUS_FRESH_MS, searchFocusItem, takeCallBack } from '@/lib/dialer/call-from-panel';
import { dialRequestItem } from '@/lib/dialer/dial-request-item';
import { recordMessageShape } from '@/lib/dialer/message-shapes';
import { PanelSession, type PanelView } from '@/lib/dialer/panel-session';
import { chromeRecordTabs, openRecord } from '@/lib/dialer/record-tab';
import { dialerOrigin, parseDialerMessage } from '@/lib/dialer/protocol';
import { sendMessage } from '@/lib/messaging';
import { readClickToCallSettings } from '@/lib/settings';

const ORIGIN = dialerOrigin(config.alloDialerUrl);
/** The same page opened as a window (`openDialerWindow`): it does not offer a window again. */
const IN_WINDOW = new URLSearchParams(location.search).has('window');

/** A number chosen in the panel goes where a click in Sellsy would (the dialer beside it, or tel:…). */
function callWith(e164: string, callTarget: CallTarget, session: PanelSession | undefined): void {
  callFromPanel(e164, callTarget, {
    doc: document,
    openWebApp: () => sendMessage('openAlloWebApp'),
    dialHere: (number, fallBack) => (session ? session.dialHere(number, fallBack) : fallBack()),
  });
}

/**
 * The side panel: who the number belongs to in Sellsy, above Allo's own dialer. The dialer's
 * frame gets numbers and nothing else; names come from the background, never a key or token.
 */
export function App() {
  const frame = useRef<HTMLIFrameElement>(null);
  const [view, setView] = useState<PanelView>({ status: 'loading', signedIn: false });
  const [country, setCountry] = useState<CountryCode>('FR');
  const [callTarget, setCallTarget] = useState<CallTarget>('allo-dialer');
  const session = useRef<PanelSession>();
  // The keyboard shortcut asked for the search box (now, or just before this panel opened).
  const [searchFocus, setSearchFocus] = useState<number>();
  // Every window has its own panel: this one takes only the clicks made in its window (a dialer
  // window, the clicks of windows whose panel was not open).
  const [windowId, setWindowId] = useState<number>();
  // The number last handed to the dialer: Allo only prefills it, the user still presses Call.
  const [dialed, setDialed] = useState<string>();
  // The note box's note, as saved: "Call back" titles its task with the note's first line.
  const [note, setNote] = useState<CallNoteView>();
  // The dialer's frame is rendered only once the session listens: an effect runs after paint,
  // and a frame rendered beside it could post `ready` (and more) before anyone listened.
  const [listening, setListening] = useState(false);
  const microphone = useMicrophoneState();

  useEffect(() => {
    void readClickToCallSettings().then((settings) => {
      setCountry(settings.defaultCountry);
      setCallTarget(settings.callTarget);
    });
    void browser.windows.getCurrent().then((current) => setWindowId(current.id));
    void searchFocusItem.getValue().then((at) => Date.now() - at < SEARCH_FOCUS_FRESH_MS && setSearchFocus(at));
    return searchFocusItem.watch((at) => setSearchFocus(at));
  }, []);

  useEffect(() => {
    if (windowId === undefined) return;
    // In a window of its own, the dialer takes clicks from the other windows (see PanelSession).
    const by = IN_WINDOW ? { windowId, dialerWindow: true } : { windowId };
    const panel = new PanelSession({
      dialerOrigin: ORIGIN,
      windowId,
      anyWindow: IN_WINDOW,
      post: (command) => {
        frame.current?.contentWindow?.postMessage(command, ORIGIN);
        setDialed(command.payload.phoneNumber);
      },
      claim: async (id) => (await sendMessage('claimDial', { id, ...by })) ?? undefined,
      giveUp: (id, reason) => sendMessage('giveUpDial', { id, reason, ...by }),
      report: (event) => void sendMessage('dialerEvent', { event }).catch(() => undefined),
      online: () => navigator.onLine,
      onChange: setView,
    });
    const onMessage = (event: MessageEvent) => {
      // Only the dialer's frame speaks for the dialer: not another frame, not another origin.
      if (event.source !== frame.current?.contentWindow) return;
      // Every message of the dialer's origin is kept as a shape, acted on or not (diagnostics).
      if (event.origin === ORIGIN) void recordMessageShape(event.data, parseDialerMessage(event, ORIGIN) !== undefined).catch(() => undefined);
      panel.receive(event);
    };
    window.addEventListener('message', onMessage);
    panel.start();
    session.current = panel;
    setListening(true);
    void dialRequestItem.getValue().then((request) => panel.request(request));
    const unwatch = dialRequestItem.watch((request) => panel.request(request));
    // A missed call's "Call back" (a notification): the number goes where one chosen here goes,
    // with the call target as stored now.
    const callBack = () =>
      void takeCallBack({ windowId, inWindow: IN_WINDOW }).then(async (e164) => {
        if (e164) callWith(e164, (await readClickToCallSettings()).callTarget, panel);
      });
    callBack();
    const unwatchCallBack = callBackItem.watch(callBack);
    return () => {
      unwatchCallBack();
      unwatch();
      window.removeEventListener('message', onMessage);
      panel.stop();
      session.current = undefined;
      setListening(false);
    };
  }, [windowId]);

  const showRecord = (url: string) => {
    if (windowId !== undefined) void openRecord(url, windowId, chromeRecordTabs(browser));
  };
  const call = (e164: string) => callWith(e164, callTarget, session.current);

  return (
    <main class="panel">
      <div class="top">
        <h1>{t('panelTitle')}</h1>
        <NameSearch country={country} call={call} openRecord={showRecord} focusSignal={searchFocus} />
        <MicrophoneStep state={microphone} windowed={!IN_WINDOW} />
        <DialerNotice view={view} extensionId={browser.runtime.id} />
        {view.current ? (
          <NumberContext
            current={view.current}
            country={country}
            openRecord={showRecord}
            dialed={view.current.e164 !== undefined && view.current.e164 === dialed}
            {...(note && note.e164 === view.current.e164 ? { noteFirstLine: firstNoteLine(note) } : {})}
          />
        ) : dialerFellBack(view) ? null : (
          // Never "click a number" under a notice that says the dialer cannot take one.
          <p class="hint">{t('panelIdle')}</p>
        )}
        <CallNoteBox e164={view.current?.e164} event={view.current} onNote={setNote} />
      </div>
      {/* Loaded once the panel's session listens, so the dialer's `ready` finds it. */}
      {!listening ? null : <DialerFrame frameRef={frame} src={config.alloDialerUrl} microphone={microphone} inWindow={IN_WINDOW} />}
    </main>
  );
}
