import type { PhoneCall } from '../sellsy/phone-calls';
import type { CallRecord } from './call-record';
import { hasIntactOwnBlock, hasOwnBlock } from './description-block';
import { sellsySource } from './phone-call-mapping';

/**
 * Allo's own server-side Sellsy integration also writes a Phone Call for each call, with no
 * marker of ours (docs/sellsy-and-allo.md). A Phone Call on the record is taken for that log of
 * the call when it started within a minute of the call, has its direction, lasted within 2 s of
 * it, and carries no block of ours: then the call is "already in Sellsy" and nothing is posted.
 */
export const INTEGRATION_START_TOLERANCE_MS = 60_000;
export const INTEGRATION_DURATION_TOLERANCE_S = 2;

type CallFacts = Pick<CallRecord, 'alloId' | 'date' | 'direction' | 'durationS'>;

export function isIntegrationCopy(phoneCall: PhoneCall, call: CallFacts): boolean {
  if (phoneCall.date === undefined || phoneCall.source === undefined || phoneCall.duration === undefined) return false;
  // Ours: this call's block (even edited by a person), or any block of ours as written.
  if (hasOwnBlock(phoneCall.description, call.alloId) || hasIntactOwnBlock(phoneCall.description)) return false;
  const start = Date.parse(phoneCall.date);
  if (Number.isNaN(start) || Math.abs(start - Date.parse(call.date)) > INTEGRATION_START_TOLERANCE_MS) return false;
  if (phoneCall.source !== sellsySource(call.direction)) return false;
  return Math.abs(phoneCall.duration - Math.round(call.durationS ?? 0)) <= INTEGRATION_DURATION_TOLERANCE_S;
}

/** The one every browser adopts when several match: the closest in start, then the oldest. */
export function integrationCopyOf(phoneCalls: PhoneCall[], call: CallFacts): PhoneCall | undefined {
  const start = Date.parse(call.date);
  return phoneCalls
    .filter((p) => isIntegrationCopy(p, call))
    .sort((a, b) => Math.abs(Date.parse(a.date!) - start) - Math.abs(Date.parse(b.date!) - start) || a.id - b.id)[0];
}
