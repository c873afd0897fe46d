import { useEffect, useState } from 'preact/hooks';
import type { ListenResult } from '@/lib/allo/recording-link';
import type { CallView } from '@/lib/calls/call-view';
import type { SkippedCallsSummary } from '@/lib/calls/skipped-calls';
import type { AlloUserChoice } from '@/lib/calls/whose-calls';
import { sendMessage } from '@/lib/messaging';
import { formatNumber } from '@/lib/phone/format-number';
import { callsUpdatedAt } from '@/lib/calls/calls-updated';
import { messagesLocale, plural, t, type MessageKey } from './i18n';
import { formatWhen } from './when';
import { WhoseCallsChoice } from './WhoseCallsChoice';

const RESULT_KEYS: Record<string, MessageKey> = {
  ANSWERED: 'resultAnswered',
  VOICEMAIL: 'resultVoicemail',
  TRANSFERRED: 'resultTransferred',
  missed: 'resultMissed',
};

const ERROR_KEYS: Record<string, MessageKey> = {
  contact_not_found: 'callContactNotFound',
  contact_deleted: 'callContactDeleted',
  integration_disconnected: 'callDisconnected',
  failed: 'callFailed',
};

// Why Sellsy refused a call (state `failed`), by the code the pipeline recorded.
const FAILURE_KEYS: Record<string, MessageKey> = {
  forbidden: 'callFailedForbidden',
  'invalid-response': 'callFailedUnreadable',
};

const LISTEN_ERRORS = {
  'no-recording': 'listenNoRecording',
  forbidden: 'listenForbidden',
  unavailable: 'listenUnavailable',
} as const satisfies Record<Exclude<ListenResult, { ok: true }>['reason'], MessageKey>;

const resultText = (result: CallView['result']) => {
  const key = RESULT_KEYS[result ?? 'missed'];
  return key ? ` · ${t(key)}` : '';
};

/** A date as the popup shows it, said relative to now in the messages' language. */
const callTime = (date: string | number) => formatWhen(date, Date.now(), messagesLocale());

/** The newest calls, each with where its logging stands; refreshed whenever the background logs. */
export function RecentCalls({ alloConnected, sellsyConnected = true }: { alloConnected: boolean; sellsyConnected?: boolean }) {
  const [calls, setCalls] = useState<CallView[]>();
  const [alloUser, setAlloUser] = useState<AlloUserChoice | null>(null);
  const [skipped, setSkipped] = useState<SkippedCallsSummary | null>(null);
  const [retrying, setRetrying] = useState<string>();
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    const load = () =>
      void sendMessage('listCalls', { limit: 20 }).then(
        (reply) => {
          setCalls(reply.calls);
          setAlloUser(reply.alloUser);
          setSkipped(reply.skipped);
          setFailed(false);
        },
        () => setFailed(true),
      );
    load();
    // Once per opening; the list then follows what the background finds.
    void sendMessage('refreshCalls', undefined).catch(() => undefined);
    return callsUpdatedAt.watch(load);
  }, []);

  const [listening, setListening] = useState<string>();
  const [listenError, setListenError] = useState<{ alloId: string; key: MessageKey }>();
  const retry = async (alloId: string) => {
    setRetrying(alloId);
    try {
      await sendMessage('retryCall', { alloId });
    } finally {
      setRetrying(undefined);
    }
  };

  const listen = async (alloId: string) => {
    setListening(alloId);
    setListenError(undefined);
    try {
      const reply = await sendMessage('listenToRecording', { alloId });
      if (!reply.ok) setListenError({ alloId, key: LISTEN_ERRORS[reply.reason] });
    } catch {
      setListenError({ alloId, key: 'listenUnavailable' });
    } finally {
      setListening(undefined);
    }
  };

  return (
    <section class="card recent-calls" aria-labelledby="calls-heading">
      <h2 id="calls-heading">{t('callsHeading')}</h2>
      {/* Revoked or disconnected, nothing reaches Sellsy until it is connected again. */}
      {alloConnected && <p class="hint">{alloUser ? t(sellsyConnected ? 'callsOfUser' : 'callsWaitForSellsy', alloUser.name) : t('callsNoUser')}</p>}
      {/* Nobody may be left silently unlogged: the e-mail looked for, and the name to pick, here. */}
      {alloConnected && calls && !alloUser && <WhoseCallsChoice onSaved={() => void sendMessage('refreshCalls', undefined).catch(() => undefined)} />}
      {failed && <p class="error">{t('callsUnavailable')}</p>}
      {!calls ? (
        !failed && <p role="status">{t('loading')}</p>
      ) : calls.length === 0 ? (
        <p class="hint">{t('callsEmpty')}</p>
      ) : (
        <ul class="calls" aria-live="polite">
          {calls.map((call) => (
            <li key={call.alloId} class={`call ${call.state}`}>
              <div class="call-head">
                <span
                  role="img"
                  aria-label={t(call.direction === 'INBOUND' ? 'directionIn' : 'directionOut')}
                  title={t(call.direction === 'INBOUND' ? 'directionIn' : 'directionOut')}
                >
                  {call.direction === 'INBOUND' ? '↙' : '↗'}
                </span>{' '}
                <strong>{call.name ?? formatNumber(call.counterpart)}</strong>{' '}
                <span class="hint">
                  {callTime(call.date)}
                  {resultText(call.result)}
                </span>
              </div>
              <CallState call={call} />
              {/* Retry and Listen share one row, beside the caller's name (the grid in style.css
                  places them): five calls fit in Chrome's 600 px popup. Read after the state. */}
              {(call.hasRecording || (call.state !== 'synced' && call.state !== 'pending')) && (
                <div class="call-actions">
                  {call.state !== 'synced' && call.state !== 'pending' && (
                    <button type="button" class="small" disabled={retrying === call.alloId} onClick={() => void retry(call.alloId)}>
                      {t('retry')}
                    </button>
                  )}
                  {call.hasRecording && (
                    <button type="button" class="small" disabled={listening === call.alloId} onClick={() => void listen(call.alloId)}>
                      {t('listenRecording')}
                    </button>
                  )}
                </div>
              )}
              {listenError?.alloId === call.alloId && (
                <p class="error" role="alert">
                  {t(listenError.key)}
                </p>
              )}
              {/* One line; it unfolds when pointed at, or when the keyboard is on the row's links or buttons (style.css). */}
              {call.summary && <p class="summary">{call.summary}</p>}
              {call.otherAccount && <p class="hint">{t('callOtherAccount')}</p>}
            </li>
          ))}
        </ul>
      )}
      {skipped && <p class="hint skipped">{plural('callsSkipped', skipped.count, skipped.lastReason)}</p>}
    </section>
  );
}

/** Where the call's logging stands, in a sentence; Retry sits beside it (RecentCalls). */
function CallState({ call }: { call: CallView }) {
  if (call.state === 'synced') {
    return (
      <p class="ok state">
        <span aria-hidden="true">✓ </span>
        {t('callLoggedOn')}{' '}
        {call.records.map((record, i) => (
          <>
            {i > 0 && ', '}
            <a href={record.url} target="_blank" rel="noreferrer">
              {record.name}
            </a>
            {record.adopted && ` (${t('callAlreadyInSellsy')})`}
          </>
        ))}
      </p>
    );
  }
  if (call.state === 'pending') {
    const why =
      call.waitingFor === 'summary'
        ? t('callWaitingSummary')
        : call.waitingFor === 'contact' && call.givesUpAt
          ? t('callWaitingContact', callTime(call.givesUpAt))
          : call.waitingFor === 'retry'
            ? t('callWaitingRetry')
            : t('callPending');
    return (
      <p class="hint state">
        <span class="pending-dot" aria-hidden="true" /> {why}
      </p>
    );
  }
  if (call.state === 'contact_not_found') {
    // The option that logs such calls, one click away (the options page scrolls to it).
    return (
      <p class="error state">
        {t('callContactNotFound')}{' '}
        <a
          href={browser.runtime.getURL('/options.html#create-leads')}
          onClick={(event) => {
            event.preventDefault();
            void browser.tabs.create({ url: browser.runtime.getURL('/options.html#create-leads') });
          }}
        >
          {t('createLeads')}
        </a>
        .
      </p>
    );
  }
  return (
    <p class="error state">
      {t(ERROR_KEYS[call.state] ?? 'callFailed')}
      {call.state === 'failed' && call.error
        ? ` ${FAILURE_KEYS[call.error.code] ? t(FAILURE_KEYS[call.error.code]!) : t('callFailedSaid', call.error.message)}`
        : ''}
    </p>
  );
}
