import type { RecordKind } from '../cache/schema';
import { SELLSY_KINDS } from './kinds';

/** A company's type in the API v2 (`type` of a company); only prospects have their own path. */
export type CompanyType = 'prospect' | 'client' | 'supplier';

/**
 * A record's page in Sellsy's web app: the one place such links are built. A company whose type is
 * unknown (records cached before the type was kept) links as a client, the app's usual path.
 */
export function sellsyRecordUrl(sellsyAppUrl: string, record: { kind: RecordKind; sellsyId: number; companyType?: CompanyType | undefined }): string {
  const path = record.kind === 'company' && record.companyType === 'prospect' ? 'thirds/prospect' : SELLSY_KINDS[record.kind].appPath;
  return `${sellsyAppUrl}/${path}/${record.sellsyId}`;
}
