import type { RecordKind } from '../cache/schema';
import type { CallRecord } from './call-record';
import { type RecordLinks, sellsyRecordUrl } from '../sellsy/record-url';
import { markdownToText } from './markdown-text';

/** A call as the popup lists it. Types and a pure mapping only: the popup bundles this file. */
export interface CallView {
  alloId: string;
  direction: CallRecord['direction'];
  counterpart: string;
  name?: string;
  date: string;
  result: CallRecord['result'];
  state: CallRecord['state'];
  waitingFor?: CallRecord['waitingFor'];
  error?: CallRecord['error'];
  /** For a call waiting for its contact: when it gives up ("Contact not found"). */
  givesUpAt?: number;
  /** `adopted`: Allo's own Sellsy integration had logged it there ("Already in Sellsy"). */
  records: Array<{ kind: RecordKind; sellsyId: number; name: string; url: string; adopted?: true }>;
  /** Allo's summary as text (it is Markdown), when Allo has one. */
  summary?: string;
  /** Allo has a recording: the popup offers "Listen" (a fresh link, fetched on click). */
  hasRecording?: true;
  /** Found while another Sellsy user was connected: it stays with that account. */
  otherAccount?: true;
}

export function toCallView(call: CallRecord, links: RecordLinks, notFoundAfterMs: number, account?: string | null): CallView {
  const records = call.targets
    .filter((target) => target.state === 'posted' || target.state === 'done' || target.state === 'adopted')
    .map(({ kind, sellsyId, name, state }) => ({
      kind,
      sellsyId,
      name,
      url: sellsyRecordUrl(links, { kind, sellsyId }),
      ...(state === 'adopted' ? { adopted: true as const } : {}),
    }));
  const name = call.targets[0]?.name ?? call.counterpartName;
  const summary = call.summary ? markdownToText(call.summary) : '';
  return {
    alloId: call.alloId,
    direction: call.direction,
    counterpart: call.counterpart,
    ...(name ? { name } : {}),
    date: call.date,
    result: call.result,
    state: call.state,
    ...(call.waitingFor ? { waitingFor: call.waitingFor } : {}),
    ...(call.error ? { error: call.error } : {}),
    ...(call.waitingFor === 'contact' ? { givesUpAt: call.firstSeenAt + notFoundAfterMs } : {}),
    records,
    ...(summary ? { summary } : {}),
    ...(call.recordingUrl ? { hasRecording: true as const } : {}),
    ...(call.account && account && call.account !== account ? { otherAccount: true as const } : {}),
  };
}
