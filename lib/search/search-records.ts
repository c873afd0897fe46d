import type { RecordCache } from '../cache/records';
import type { PanelRecord } from '../dialer/number-records';
import { type RecordLinks, sellsyRecordUrl } from '../sellsy/record-url';

/** One record the side panel's name search found, with every number it can be called on. */
export interface FoundRecord extends PanelRecord {
  /** E.164, as the cache holds them. */
  phones: string[];
}

/** A screenful: a person narrows the query rather than scroll through hundreds. */
export const SEARCH_LIMIT = 20;
const MAX_PHONES = 6;

/** Records whose name (or company) words start with the query's words, for the side panel. */
export async function searchRecords(cache: RecordCache, links: RecordLinks, query: string): Promise<{ records: FoundRecord[] }> {
  const found = await cache.searchByName(query, SEARCH_LIMIT);
  return {
    records: found.map(({ key, kind, sellsyId, name, companyName, companyType, phones }) => ({
      key,
      kind,
      name,
      ...(companyName && companyName !== name ? { companyName } : {}),
      url: sellsyRecordUrl(links, { kind, sellsyId, companyType }),
      phones: phones.slice(0, MAX_PHONES),
    })),
  };
}
