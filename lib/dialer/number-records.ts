import type { RecordCache } from '../cache/records';
import type { RecordKind } from '../cache/schema';
import { type RecordLinks, sellsyRecordUrl } from '../sellsy/record-url';

/** One Sellsy record that has the number, as the side panel lists it. */
export interface PanelRecord {
  key: string;
  kind: RecordKind;
  name: string;
  companyName?: string;
  /** Its page in Sellsy's web app, opened in the tab the click came from. */
  url: string;
}

export interface NumberRecords {
  records: PanelRecord[];
  /** False until a first sync has finished: "not in Sellsy" cannot be said before. */
  complete: boolean;
}

// A number shared by more records than this is a switchboard: the panel says how many more.
const MAX_RECORDS = 20;

/** The order the panel lists a number's records in (the history asks Sellsy about the first ones). */
export function inPanelOrder<T extends { name: string; key: string }>(records: readonly T[]): T[] {
  return [...records].sort((a, b) => a.name.localeCompare(b.name) || a.key.localeCompare(b.key));
}

/** Every record with this number, for the panel beside the dialer (names and links only). */
export async function numberRecords(cache: RecordCache, links: RecordLinks, e164: string): Promise<NumberRecords & { more: number }> {
  const [found, complete] = await Promise.all([cache.findByNumber(e164), cache.isComplete()]);
  const sorted = inPanelOrder(found);
  const records = sorted.slice(0, MAX_RECORDS).map(({ key, kind, sellsyId, name, companyName, companyType }) => ({
    key,
    kind,
    name,
    ...(companyName && companyName !== name ? { companyName } : {}),
    url: sellsyRecordUrl(links, { kind, sellsyId, companyType }),
  }));
  return { records, complete, more: Math.max(0, found.length - MAX_RECORDS) };
}
