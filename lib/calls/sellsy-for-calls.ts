import type { SellsyClient } from '../sellsy/api-client';
import { companiesOfContact, contactsWithNumber, createContact, deleteContact, type NewContactFields, type SellsyContact } from '../sellsy/contacts';
import {
  createPhoneCall,
  deletePhoneCall,
  getPhoneCall,
  type PhoneCall,
  type PhoneCallCreate,
  type RelatedRecord,
  searchPhoneCalls,
  updatePhoneCallDescription,
  updatePhoneCallRelated,
} from '../sellsy/phone-calls';
import { missingRecords } from '../sellsy/record-exists';

/**
 * What the call log asks of Sellsy, in its own terms: the pipeline's one door to Sellsy, so its
 * unit tests can pass a small fake while contract tests run the real one on the local server.
 */
export interface SellsyForCalls {
  /** Phone Calls relating a record, created since an ISO date. */
  searchPhoneCalls(record: RelatedRecord, createdSince: string): Promise<PhoneCall[]>;
  /** Null: a record it relates is gone (nothing was stored). */
  createPhoneCall(body: PhoneCallCreate): Promise<PhoneCall | null>;
  getPhoneCall(id: number): Promise<PhoneCall | null>;
  /** False: the Phone Call is gone. */
  updatePhoneCallDescription(id: number, description: string): Promise<boolean>;
  /** False: the Phone Call is gone. */
  updatePhoneCallRelated(id: number, related: ReadonlyArray<{ type: string; id: number }>): Promise<boolean>;
  /** False: it was already gone. */
  deletePhoneCall(id: number): Promise<boolean>;
  contactsWithNumber(e164: string): Promise<SellsyContact[]>;
  createContact(fields: NewContactFields): Promise<SellsyContact>;
  deleteContact(id: number): Promise<boolean>;
  companiesOfContact(contactId: number): Promise<number[]>;
  /** Which of these records Sellsy no longer has. */
  missingRecords(related: ReadonlyArray<RelatedRecord>): Promise<RelatedRecord[]>;
}

export function sellsyForCalls(client: SellsyClient): SellsyForCalls {
  return {
    searchPhoneCalls: (record, createdSince) => searchPhoneCalls(client, record, createdSince),
    createPhoneCall: (body) => createPhoneCall(client, body),
    getPhoneCall: (id) => getPhoneCall(client, id),
    updatePhoneCallDescription: (id, description) => updatePhoneCallDescription(client, id, description),
    updatePhoneCallRelated: (id, related) => updatePhoneCallRelated(client, id, related),
    deletePhoneCall: (id) => deletePhoneCall(client, id),
    contactsWithNumber: (e164) => contactsWithNumber(client, e164),
    createContact: (fields) => createContact(client, fields),
    deleteContact: (id) => deleteContact(client, id),
    companiesOfContact: (contactId) => companiesOfContact(client, contactId),
    missingRecords: (related) => missingRecords(client, related),
  };
}
