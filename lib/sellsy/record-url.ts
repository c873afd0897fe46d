import type { CompanyType, RecordKind } from '../cache/schema';
import { SELLSY_KINDS } from './kinds';

/**
 * A record's page in Sellsy's web app: the one place such links are built. Only prospect companies
 * have their own path; a company whose type is unknown (cached before the type was kept, or a
 * call's target) links as a client.
 */
export function sellsyRecordUrl(sellsyAppUrl: string, record: { kind: RecordKind; sellsyId: number; companyType?: CompanyType | undefined }): string {
  const path = record.kind === 'company' && record.companyType === 'prospect' ? 'thirds/prospect' : SELLSY_KINDS[record.kind].appPath;
  return `${sellsyAppUrl}/${path}/${record.sellsyId}`;
}
