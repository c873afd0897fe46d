import type { RecordKind } from '../cache/schema';

/**
 * Where each kind of CRM record lives in Sellsy, in one place. Constants only: the popup bundles
 * this file (through lib/calls/call-view.ts), so it must import nothing that runs.
 */
export interface SellsyKind {
  /** The API v2 collection. */
  apiPath: '/contacts' | '/companies' | '/individuals';
  /** The name of its last-update search filter. */
  updatedFilter: 'updated' | 'updated_at';
  /** The `order` that lists its latest-dated record first (contacts sort by creation, not update). */
  latestOrder: 'created_at' | 'updated_at';
  /** The Phone Call search filter that relates calls to it. */
  phoneCallFilter: 'contacts' | 'companies' | 'individuals';
  /**
   * Its segment in the web app's record URLs (undocumented; evidence and assumptions in
   * docs/sellsy-and-allo.md). Companies also depend on their type: see lib/sellsy/record-url.ts.
   */
  appPath: 'peoples' | 'thirds/client' | 'individuals';
}

export const SELLSY_KINDS: Readonly<Record<RecordKind, SellsyKind>> = {
  contact: { apiPath: '/contacts', updatedFilter: 'updated', latestOrder: 'created_at', phoneCallFilter: 'contacts', appPath: 'peoples' },
  company: { apiPath: '/companies', updatedFilter: 'updated_at', latestOrder: 'updated_at', phoneCallFilter: 'companies', appPath: 'thirds/client' },
  individual: { apiPath: '/individuals', updatedFilter: 'updated_at', latestOrder: 'updated_at', phoneCallFilter: 'individuals', appPath: 'individuals' },
};
