import type { CompanyType, RecordKind } from '../cache/schema';
import { SELLSY_KINDS } from './kinds';

/** The web app's record pages by kind of record, each a path with `{id}` (a company by its type). */
export interface RecordPaths {
  contact: string;
  client: string;
  prospect: string;
  individual: string;
}

/** Where record links point: the app's address and its record paths. */
export interface RecordLinks {
  appUrl: string;
  paths: RecordPaths;
}

export type RecordPath = keyof RecordPaths;
export const RECORD_PATHS: readonly RecordPath[] = ['contact', 'client', 'prospect', 'individual'];

/** Sellsy's paths as public evidence shows them (docs/sellsy-and-allo.md); a team may change them. */
export const DEFAULT_RECORD_PATHS: Readonly<RecordPaths> = {
  contact: `${SELLSY_KINDS.contact.appPath}/{id}`,
  client: `${SELLSY_KINDS.company.appPath}/{id}`,
  prospect: 'thirds/prospect/{id}',
  individual: `${SELLSY_KINDS.individual.appPath}/{id}`,
};

// Letters, digits and the URL path characters that cannot leave the app's origin: no "..", no
// "//", no scheme, no leading slash (the app URL ends without one); `{id}` exactly once.
const PATH_TEMPLATE = /^(?!.*\/\/)(?!.*(?:^|\/)\.\.?(?:\/|$))[A-Za-z0-9._~\-/]*\{id\}[A-Za-z0-9._~\-/]*(?:\?[A-Za-z0-9._~\-=&{}]*)?$/;

/** Whether a record path template typed by a person or set by policy can be used. */
export function isRecordPath(template: string): boolean {
  return template.length <= 200 && !template.startsWith('/') && PATH_TEMPLATE.test(template) && template.split('{id}').length === 2;
}

/**
 * A record's page in Sellsy's web app: the one place such links are built. Only prospect companies
 * have their own path; a company whose type is unknown (cached before the type was kept, or a
 * call's target) links as a client.
 */
export function sellsyRecordUrl(links: RecordLinks, record: { kind: RecordKind; sellsyId: number; companyType?: CompanyType | undefined }): string {
  const which: RecordPath = record.kind === 'company' ? (record.companyType === 'prospect' ? 'prospect' : 'client') : record.kind;
  return `${links.appUrl}/${links.paths[which].replace('{id}', String(record.sellsyId))}`;
}
