import { ALLO_WEB_APP, writeBlock } from './description-block';
import { markdownToText } from './markdown-text';
import type { CachedRecord, ContactCompany, RecordKind } from '../cache/schema';
import type { CallLogTarget, CallRecord } from './call-record';

/** The one place that knows how an Allo call becomes a Sellsy Phone Call (docs/architecture.md). */

export type SellsyResult = 'connected' | 'msgvocal' | 'transfer' | 'noanswer';

export function sellsyResult(result: CallRecord['result']): SellsyResult {
  switch (result) {
    case 'ANSWERED':
      return 'connected';
    case 'VOICEMAIL':
      return 'msgvocal';
    case 'TRANSFERRED':
      return 'transfer';
    default:
      // Allo has no "missed" value: a call without a result was not answered.
      return 'noanswer';
  }
}

export function sellsySource(direction: CallRecord['direction']): 'incoming' | 'outcoming' {
  return direction === 'INBOUND' ? 'incoming' : 'outcoming';
}

export interface DescriptionLabels {
  summary: string;
  noSummary: string;
  recording: string;
  recordingInAllo: string;
  openInAllo: string;
}

export const ENGLISH_LABELS: DescriptionLabels = {
  summary: 'Summary:',
  noSummary: 'The Allo summary is not available yet.',
  recording: 'Recording:',
  recordingInAllo: 'in Allo, with the call (a link to the file expires after 60 minutes)',
  openInAllo: 'In Allo:',
};

/**
 * The block of ours in the Phone Call's description (description-block.ts). Allo's summary is
 * Markdown and Sellsy shows text: the block holds the text, and its checksum covers that text.
 */
export function describeCall(call: CallRecord, labels: DescriptionLabels = ENGLISH_LABELS): string {
  const summary = call.summary ? markdownToText(call.summary) : '';
  const lines = [summary ? `${labels.summary} ${summary}` : labels.noSummary];
  // Allo's `recording_url` is a signed link that dies within the hour (a fresh one is only had
  // from the API): a Phone Call says where the recording lasts instead (docs/sellsy-and-allo.md).
  if (call.recordingUrl) lines.push(`${labels.recording} ${labels.recordingInAllo}`);
  // Allo documents no link to one call; its web app lists the conversation with this number.
  lines.push(`${labels.openInAllo} ${ALLO_WEB_APP}`);
  return writeBlock(call.alloId, lines);
}

export interface PhoneCallBody {
  owner_id: number;
  date: string;
  result: SellsyResult;
  source: 'incoming' | 'outcoming';
  duration: number;
  description: string;
  related: Array<{ type: RecordKind; id: number }>;
}

export function phoneCallBody(call: CallRecord, target: CallLogTarget, ownerId: number, labels?: DescriptionLabels): PhoneCallBody {
  return {
    owner_id: ownerId,
    date: call.date,
    result: sellsyResult(call.result),
    source: sellsySource(call.direction),
    duration: Math.max(0, Math.round(call.durationS ?? 0)),
    description: describeCall(call, labels),
    related: target.related,
  };
}

/**
 * One Phone Call per matched record. A matched company is related to one matched contact of its
 * own (the lowest id, so browsers whose caches differ only by newer records plan alike) instead of
 * getting a call of its own: each (call, record) pair is related by exactly one Phone Call.
 */
export function planTargets(matches: CachedRecord[], companyOf: (contactId: number) => ContactCompany | undefined): CallLogTarget[] {
  const companies = new Map(matches.filter((r) => r.kind === 'company').map((r) => [r.sellsyId, r]));
  const folded = new Set<number>();
  const targets: CallLogTarget[] = [];
  const people = matches.filter((r) => r.kind !== 'company').sort((a, b) => a.sellsyId - b.sellsyId);
  for (const record of people) {
    const related: CallLogTarget['related'] = [{ type: record.kind, id: record.sellsyId }];
    const company = record.kind === 'contact' ? companyOf(record.sellsyId) : undefined;
    if (company && companies.has(company.companyId) && !folded.has(company.companyId)) {
      related.push({ type: 'company', id: company.companyId });
      folded.add(company.companyId);
    }
    targets.push(target(record, related));
  }
  for (const company of companies.values()) {
    if (!folded.has(company.sellsyId)) targets.push(target(company, [{ type: 'company', id: company.sellsyId }]));
  }
  return targets;
}

function target(record: CachedRecord, related: CallLogTarget['related']): CallLogTarget {
  return { key: record.key, kind: record.kind, sellsyId: record.sellsyId, name: record.name, related, state: 'todo' };
}
