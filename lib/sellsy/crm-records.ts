import type { CountryCode } from 'libphonenumber-js/min';
import * as v from 'valibot';
import { recordKey, type CachedRecord, type ContactCompany, type RecordKind } from '../cache/schema';
import { numbersInPhoneField } from '../phone/phone-field';

// The fields the cache needs, as docs/sellsy-and-allo.md names them; everything else is ignored.
// Phone fields are free text: anything may be there, or nothing.
const text = v.nullish(v.string());
// Whether Sellsy archived the record: anything but `true` reads as live, and an odd value costs
// nothing but this flag (never the row and its numbers).
const archived = v.fallback(v.nullish(v.boolean()), undefined);

const ContactRow = v.object({
  id: v.number(),
  first_name: text,
  last_name: text,
  phone_number: text,
  mobile_number: text,
  created: text,
  updated: text,
  is_archived: archived,
});

const CompanyRow = v.object({
  id: v.number(),
  name: text,
  // Free text to the schema: an unknown type must not cost the record, it only links as a client.
  type: text,
  phone_number: text,
  mobile_number: text,
  updated_at: text,
  is_archived: archived,
  main_contact_id: v.nullish(v.number()),
  invoicing_contact_id: v.nullish(v.number()),
  dunning_contact_id: v.nullish(v.number()),
});

const IndividualRow = v.object({
  id: v.number(),
  first_name: text,
  last_name: text,
  phone_number: text,
  mobile_number: text,
  updated_at: text,
  is_archived: archived,
});

const ROW_SCHEMAS = { contact: ContactRow, company: CompanyRow, individual: IndividualRow } as const;

export type RowOf<K extends RecordKind> = v.InferOutput<(typeof ROW_SCHEMAS)[K]>;
type Row = RowOf<RecordKind>;

export interface RowsRead<K extends RecordKind> {
  rows: Array<RowOf<K>>;
  /** Rows that could not be read (a field of the wrong type, no id, …). */
  skipped: number;
  /** The id of every row sent, readable or not; undefined when a row had no readable id. */
  ids: number[] | undefined;
  /** The ids of the rows that could not be read but say which record they are. */
  unreadable: number[];
}

export function readRows<K extends RecordKind>(kind: K, data: readonly unknown[]): RowsRead<K> {
  const schema = ROW_SCHEMAS[kind] as v.GenericSchema<unknown, RowOf<K>>;
  const read: RowsRead<K> = { rows: [], skipped: 0, ids: [], unreadable: [] };
  for (const item of data) {
    const parsed = v.safeParse(schema, item);
    const id = typeof item === 'object' && item !== null ? (item as { id?: unknown }).id : undefined;
    const known = typeof id === 'number' && Number.isSafeInteger(id);
    if (parsed.success) read.rows.push(parsed.output);
    else {
      read.skipped += 1;
      if (known) read.unreadable.push(id);
    }
    if (known && read.ids) read.ids.push(id);
    else read.ids = undefined;
  }
  return read;
}

/** When Sellsy last updated a row (epoch ms), by Sellsy's clock; undefined when unreadable. */
export function updatedAtOf(row: Row): number | undefined {
  return readDate('updated' in row ? row.updated : 'updated_at' in row ? row.updated_at : undefined);
}

/** The date `SELLSY_KINDS[kind].latestOrder` sorts on (epoch ms). */
export function latestDateOf(kind: RecordKind, row: Row): number | undefined {
  return kind === 'contact' ? readDate((row as v.InferOutput<typeof ContactRow>).created) : updatedAtOf(row);
}

function readDate(text: string | null | undefined): number | undefined {
  const ms = text ? Date.parse(text) : Number.NaN;
  return Number.isNaN(ms) ? undefined : ms;
}

/** The callable numbers in a free-text phone field, as E.164 (a fax field is never read). */
export function phonesOf(raw: string | null | undefined, country: CountryCode): string[] {
  return raw ? numbersInPhoneField(raw, country) : [];
}

function nameOf(kind: RecordKind, row: Row): string {
  if (kind === 'company') return ('name' in row && row.name) || `#${row.id}`;
  const person = row as v.InferOutput<typeof ContactRow>;
  return [person.first_name, person.last_name].filter(Boolean).join(' ').trim() || `#${row.id}`;
}

/** The cache's record for a Sellsy row, or undefined when it has no callable number. */
export function toCachedRecord(kind: RecordKind, row: Row, country: CountryCode): CachedRecord | undefined {
  const rawPhones = [row.phone_number, row.mobile_number].filter((raw): raw is string => !!raw && raw.trim() !== '');
  const phones = [...new Set(rawPhones.flatMap((raw) => phonesOf(raw, country)))];
  if (phones.length === 0) return undefined;
  const updated = ('updated' in row ? row.updated : 'updated_at' in row ? row.updated_at : undefined) ?? '';
  const record: CachedRecord = { key: recordKey(kind, row.id), kind, sellsyId: row.id, name: nameOf(kind, row), phones, rawPhones, updated };
  if (row.is_archived === true) record.archived = true;
  const type = 'type' in row ? row.type : undefined;
  if (type === 'prospect' || type === 'client' || type === 'supplier') record.companyType = type;
  return record;
}

/** A company's contacts whose name should show with the company's. */
export function companyLinks(row: RowOf<'company'>): ContactCompany[] {
  const name = row.name ?? '';
  if (!name) return [];
  const ids = new Set([row.main_contact_id, row.invoicing_contact_id, row.dunning_contact_id].filter((id): id is number => typeof id === 'number'));
  return [...ids].map((contactId) => ({ contactId, companyId: row.id, companyName: name }));
}
