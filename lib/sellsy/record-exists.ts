import * as v from 'valibot';
import type { RecordKind } from '../cache/schema';
import type { SellsyClient } from './api-client';
import { SellsyError } from './errors';
import { SELLSY_KINDS } from './kinds';

// Only the id is read: the question is whether the record is there.
const Existing = v.object({ id: v.number() });

/**
 * Which of these records Sellsy no longer has (each answers 404 to a GET). A 404 on a write that
 * relates several records does not say which one is gone; this does. Other errors propagate.
 */
export async function missingRecords(
  client: SellsyClient,
  related: ReadonlyArray<{ type: RecordKind; id: number }>,
): Promise<Array<{ type: RecordKind; id: number }>> {
  const missing: Array<{ type: RecordKind; id: number }> = [];
  for (const record of related) {
    try {
      await client.request('GET', `${SELLSY_KINDS[record.type].apiPath}/${record.id}`, Existing);
    } catch (error) {
      if (error instanceof SellsyError && error.code === 'not-found') missing.push({ type: record.type, id: record.id });
      else throw error;
    }
  }
  return missing;
}
