import { callsAccount } from '../calls/calls-account';
import { toCallView } from '../calls/call-view';
import type { CallStore } from '../calls/call-store';
import { NOT_FOUND_AFTER_MS } from '../calls/pipeline';
import { summarizeSkippedCalls } from '../calls/skipped-calls';
import { alloUserChoice } from '../calls/whose-calls';
import type { ProtocolMap } from '../messaging';
import type { RecordLinks } from '../sellsy/record-url';

export type CallList = ReturnType<ProtocolMap['listCalls']>;

/** What the popup's call list shows; reading it changes nothing. */
export async function readCallList(calls: CallStore, links: RecordLinks, limit: number): Promise<CallList> {
  const account = await callsAccount.getValue();
  return {
    calls: (await calls.recent(Math.min(limit, 100))).map((call) => toCallView(call, links, NOT_FOUND_AFTER_MS, account)),
    alloUser: await alloUserChoice.getValue(),
    skipped: await summarizeSkippedCalls(),
  };
}
