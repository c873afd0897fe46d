import type { RecordCache } from './records';

export interface NumberOwner {
  name: string;
  companyName?: string;
}

export interface NumberDescription {
  owners: NumberOwner[];
  /** Owners beyond the ones listed. */
  more: number;
  /** False until a first sync has finished: "not in Sellsy" cannot be said before. */
  complete: boolean;
}

const MAX_OWNERS = 3;

/** Who has this number in Sellsy: names only, the one thing the content script may learn. */
export async function describeNumber(cache: RecordCache, e164: string): Promise<NumberDescription> {
  const [records, complete] = await Promise.all([cache.findByNumber(e164), cache.isComplete()]);
  const owners = records.slice(0, MAX_OWNERS).map(({ name, companyName }) => (companyName && companyName !== name ? { name, companyName } : { name }));
  return { owners, more: Math.max(0, records.length - MAX_OWNERS), complete };
}
