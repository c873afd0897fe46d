import type { CachedRecord } from '@/lib/cache/schema';
import type { CallLogTarget, CallRecord } from '@/lib/calls/call-record';

/** A call as the call store holds it: an answered outgoing call of usr-1, unless told otherwise. */
export function callRecord(fields: Pick<CallRecord, 'alloId' | 'counterpart' | 'date'> & Partial<CallRecord>): CallRecord {
  return {
    direction: 'OUTBOUND',
    alloNumber: '+33159000000',
    durationS: 125,
    result: 'ANSWERED',
    summary: 'Devis signé.',
    recordingUrl: null,
    userId: 'usr-1',
    state: 'synced',
    attempts: 1,
    nextAttemptAt: 0,
    firstSeenAt: 0,
    targets: [],
    ...fields,
  };
}

/** Where a call is logged: on `record`, done unless told otherwise. */
export function logTarget(record: CachedRecord, extra: Partial<CallLogTarget> = {}): CallLogTarget {
  return {
    key: record.key,
    kind: record.kind,
    sellsyId: record.sellsyId,
    name: record.name,
    related: [{ type: record.kind, id: record.sellsyId }],
    state: 'done',
    ...extra,
  };
}
