import type { RecordKind } from '../cache/schema';
import { SELLSY_KINDS } from './kinds';

/** A record's page in Sellsy's web app: the one place such links are built. */
export function sellsyRecordUrl(sellsyAppUrl: string, record: { kind: RecordKind; sellsyId: number }): string {
  return `${sellsyAppUrl}/${SELLSY_KINDS[record.kind].appPath}/${record.sellsyId}`;
}
