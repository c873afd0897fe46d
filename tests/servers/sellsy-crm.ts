/**
 * The CRM records of the local Sellsy (contacts, companies, individuals): an in-memory store,
 * a deterministic generator of French-looking data, and the `/v2` routes that list, search,
 * read and create them, as docs/sellsy-and-allo.md describes.
 *
 * Records are frozen snapshots kept in `Map`s that count their changes. A list or search
 * computes its ordered ids once per store version and filter, and a page resumes from its seek
 * cursor by binary search, so paging through 100,000 records stays linear overall.
 */
import { json, type ErrorSpec, type Reply, type RouteHandler, type Router } from './faults';

// ---------------------------------------------------------------------------------------------
// Record shapes (Sellsy API v2, see docs/sellsy-and-allo.md)

export type Civility = 'mr' | 'mrs' | 'ms';
export type ThirdType = 'prospect' | 'client' | 'supplier';
export type MarketingChannel = 'sms' | 'phone' | 'email' | 'postal_mail' | 'custom';

/** `Model.owner`: the spec names the schema only; this is its simple form. */
export interface Owner {
  id: number;
  type: 'staff';
}

export interface Social {
  twitter: string | null;
  facebook: string | null;
  linkedin: string | null;
  viadeo: string | null;
}

export interface SyncFlags {
  mailchimp: boolean;
  mailjet: boolean;
  simplemail: boolean;
}

export interface Contact {
  id: number;
  civility: Civility | null;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  website: string | null;
  /** Free text as typed in Sellsy: any format, junk included. */
  phone_number: string | null;
  mobile_number: string | null;
  /** Not callable: the extension skips it. */
  fax_number: string | null;
  position: string | null;
  /** `YYYY-MM-DD`. */
  birth_date: string | null;
  avatar: string | null;
  note: string | null;
  invoicing_address_id: number | null;
  delivery_address_id: number | null;
  social: Social;
  sync: SyncFlags;
  owner: Owner | null;
  /** ISO 8601 with an offset, e.g. `2024-05-29T11:22:03+02:00`. */
  created: string;
  /** Contacts say `updated`; companies and individuals say `updated_at`. */
  updated: string;
  is_archived: boolean;
  marketing_campaigns_subscriptions: MarketingChannel[];
}

export interface LegalFrance {
  siret: string | null;
  siren: string | null;
  vat: string | null;
  ape_naf_code: string | null;
  company_type: string | null;
  rcs_immatriculation: string | null;
}

export interface Labelled {
  id: number;
  label: string;
}

export interface Company {
  id: number;
  type: ThirdType;
  name: string;
  email: string | null;
  website: string | null;
  phone_number: string | null;
  mobile_number: string | null;
  fax_number: string | null;
  capital: string | null;
  reference: string | null;
  note: string | null;
  auxiliary_code: string | null;
  social: Social;
  rate_category_id: number | null;
  legal_france: LegalFrance;
  main_contact_id: number | null;
  dunning_contact_id: number | null;
  invoicing_contact_id: number | null;
  invoicing_address_id: number | null;
  delivery_address_id: number | null;
  accounting_code_id: number | null;
  accounting_purchase_code_id: number | null;
  owner: Owner | null;
  created: string;
  updated_at: string;
  is_archived: boolean;
  business_segment: Labelled | null;
  number_of_employees: Labelled | null;
  marketing_campaigns_subscriptions: MarketingChannel[];
}

export interface Individual {
  id: number;
  type: ThirdType;
  first_name: string | null;
  last_name: string;
  civility: Civility | null;
  email: string | null;
  website: string | null;
  phone_number: string | null;
  mobile_number: string | null;
  fax_number: string | null;
  reference: string | null;
  note: string | null;
  auxiliary_code: string | null;
  social: Social;
  rate_category_id: number | null;
  main_contact_id: number | null;
  dunning_contact_id: number | null;
  invoicing_contact_id: number | null;
  invoicing_address_id: number | null;
  delivery_address_id: number | null;
  accounting_code_id: number | null;
  accounting_purchase_code_id: number | null;
  owner: Owner | null;
  created: string;
  updated_at: string;
  is_archived: boolean;
  marketing_campaigns_subscriptions: MarketingChannel[];
  sync: SyncFlags;
}

export interface SeedOptions {
  /** Each count defaults to 0. */
  contacts?: number;
  companies?: number;
  individuals?: number;
  /** PRNG seed; default 1. The same seed and the same clock give the same records. */
  seed?: number;
}

/** The non-numbers the generator types into phone fields (besides `null` and empty strings). */
export const JUNK_PHONES: readonly string[] = [
  'à compléter',
  '06 12',
  '01 42',
  'NC',
  '-',
  '0',
  '?',
  'voir standard',
  'pas de tél',
  'xx xx xx xx xx',
  '00 00 00 00 00',
];

// ---------------------------------------------------------------------------------------------
// Dates: Sellsy writes Paris time with its offset; filters compare instants

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const YEAR_MS = 365 * DAY_MS;
const dstByYear = new Map<number, [number, number]>();

/** When EU summer time starts and ends in `year` (last Sundays of March and October, 01:00 UTC). */
function summerTime(year: number): [number, number] {
  let range = dstByYear.get(year);
  if (!range) {
    const lastSunday = (month: number) => {
      const last = Date.UTC(year, month + 1, 0, 1);
      return last - new Date(last).getUTCDay() * DAY_MS;
    };
    range = [lastSunday(2), lastSunday(9)];
    dstByYear.set(year, range);
  }
  return range;
}

function parisOffsetMs(ms: number): number {
  const [start, end] = summerTime(new Date(ms).getUTCFullYear());
  return ms >= start && ms < end ? 2 * HOUR_MS : HOUR_MS;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** An instant as Sellsy writes it: Paris time, whole seconds, offset, e.g. `2024-05-29T11:22:03+02:00`. */
export function formatSellsyDate(instant: Date | number): string {
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  const offset = parisOffsetMs(ms);
  const d = new Date(ms + offset);
  return (
    `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}` +
    `T${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}+0${offset / HOUR_MS}:00`
  );
}

const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * The instant a filter bound or a record date stands for, in ms, or NaN. A date-time with an
 * offset (or Z) is exact; a date or a date-time without one is read as Paris time (the spec
 * says only "date-time").
 */
export function parseSellsyDate(text: string): number {
  if (WITH_OFFSET.test(text)) return Date.parse(text);
  const m = LOCAL.exec(text);
  if (!m) return Number.NaN;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0));
  if (Number.isNaN(wall)) return Number.NaN;
  return wall - parisOffsetMs(wall - parisOffsetMs(wall));
}

// ---------------------------------------------------------------------------------------------
// A Map that freezes what it holds and counts its changes (the query cache keys on the counts)

export class RecordMap<V extends { id: number }> extends Map<number, V> {
  /** Bumped by every set or delete. */
  version = 0;
  /** Bumped when the set of ids changes. */
  idsVersion = 0;

  override set(id: number, record: V): this {
    if (!super.has(id)) this.idsVersion += 1;
    this.version += 1;
    return super.set(id, deepFreeze(record));
  }

  override delete(id: number): boolean {
    const had = super.delete(id);
    if (had) {
      this.version += 1;
      this.idsVersion += 1;
    }
    return had;
  }

  override clear(): void {
    super.clear();
    this.version += 1;
    this.idsVersion += 1;
  }
}

/**
 * Freezes a record and what it holds. Its strings are flattened on the way: built by
 * concatenation, they are V8 ropes several times their length until something reads them,
 * which for 100,000 records is most of the memory.
 */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) {
      if (typeof inner === 'string') flatten(inner);
      else deepFreeze(inner);
    }
  }
  return value;
}

/** Reading a character makes V8 flatten a rope in place; the GC then drops the rope's nodes. */
function flatten(text: string): void {
  if (text.length > 0) text.charCodeAt(0);
}

const NO_SOCIAL: Social = deepFreeze({ twitter: null, facebook: null, linkedin: null, viadeo: null });
const NO_SYNC: SyncFlags = deepFreeze({ mailchimp: false, mailjet: false, simplemail: false });
const NO_SUBSCRIPTIONS: MarketingChannel[] = deepFreeze([]);
const EMAIL_ONLY: MarketingChannel[] = deepFreeze(['email']);
const owners = new Map<number, Owner>();
function owner(id: number): Owner {
  let found = owners.get(id);
  if (!found) {
    found = deepFreeze({ id, type: 'staff' });
    owners.set(id, found);
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// The store

export interface SellsyCrmOptions {
  /** The clock for `created`/`updated` and for the generator's "last 2 years"; default real time. */
  now?: () => Date;
  /** The staff id that owns created records; default 4242 (the local server's staff). */
  ownerId?: () => number;
}

type Kind = 'contacts' | 'companies' | 'individuals';

export class SellsyCrm {
  readonly contacts = new RecordMap<Contact>();
  readonly companies = new RecordMap<Company>();
  readonly individuals = new RecordMap<Individual>();
  /** Contact id → ids of the companies it is linked to. Change it through link() and unlink(). */
  readonly links = new Map<number, Set<number>>();
  /** Bumped by link changes (the `companies`/`contacts`/`is_linked` filters depend on them). */
  linksVersion = 0;
  now: () => Date;
  ownerId: () => number;
  /** What the API created, for exactly-once assertions. */
  readonly stats = { contactsCreated: 0 };
  /**
   * The most rows a list or search page holds, whatever `limit` asks (at most 100 as Sellsy
   * documents). Lower it to play a Sellsy that pages its answers more finely than asked: `count`,
   * `total` and the `offset` cursor then say that more follows, and a client must read them.
   */
  maxPageSize = MAX_LIMIT;
  /** @internal the query engine's cache: ordered ids per (kind, query), valid for one store version. */
  readonly queryCache = new Map<string, { stamp: string; ordered: Ordered }>();

  private nextContactId = 1;
  /** Companies and individuals share one id sequence (both are Sellsy "third parties"). */
  private nextThirdId = 1;
  private readonly sortedIdsCache = new Map<Kind, { idsVersion: number; ids: number[] }>();

  constructor(options: SellsyCrmOptions = {}) {
    this.now = options.now ?? (() => new Date());
    this.ownerId = options.ownerId ?? (() => 4242);
  }

  /** Replaces every record and link with generated ones (see `SeedGenerator`). */
  seed(options: SeedOptions = {}): void {
    this.contacts.clear();
    this.companies.clear();
    this.individuals.clear();
    this.links.clear();
    this.linksVersion += 1;
    this.queryCache.clear();
    const generated = new SeedGenerator(options.seed ?? 1, this.now().getTime(), this.ownerId()).run(options);
    for (const company of generated.companies) this.companies.set(company.id, company);
    for (const contact of generated.contacts) this.contacts.set(contact.id, contact);
    for (const individual of generated.individuals) this.individuals.set(individual.id, individual);
    for (const [contactId, companyIds] of generated.links) this.links.set(contactId, companyIds);
    this.nextContactId = generated.nextContactId;
    this.nextThirdId = generated.nextThirdId;
  }

  // --- contacts ---

  /** Stores a new contact: `id` (next free unless given), `created` and `updated` (now unless given). */
  addContact(fields: Partial<Contact> = {}): Contact {
    return this.add(CONTACT_SHAPE, fields);
  }

  /** Replaces the given fields; `updated` becomes now. Throws for an unknown id. */
  updateContact(id: number, fields: Partial<Contact>): Contact {
    return this.update(CONTACT_SHAPE, id, fields);
  }

  /** Removes the contact and its links; companies that named it as a role contact forget it. */
  deleteContact(id: number): void {
    if (!this.contacts.delete(id)) return;
    if (this.links.delete(id)) this.linksVersion += 1;
    for (const company of this.companies.values()) {
      if (company.main_contact_id === id || company.dunning_contact_id === id || company.invoicing_contact_id === id) {
        this.companies.set(
          company.id,
          Object.assign(blankCompany(company.id, null), company, {
            main_contact_id: company.main_contact_id === id ? null : company.main_contact_id,
            dunning_contact_id: company.dunning_contact_id === id ? null : company.dunning_contact_id,
            invoicing_contact_id: company.invoicing_contact_id === id ? null : company.invoicing_contact_id,
          }),
        );
      }
    }
  }

  // --- companies ---

  /** Stores a new company: `id` (next free unless given), `created` and `updated_at` (now unless given). */
  addCompany(fields: Partial<Company> = {}): Company {
    return this.add(COMPANY_SHAPE, fields);
  }

  /** Replaces the given fields; `updated_at` becomes now. Throws for an unknown id. */
  updateCompany(id: number, fields: Partial<Company>): Company {
    return this.update(COMPANY_SHAPE, id, fields);
  }

  deleteCompany(id: number): void {
    if (!this.companies.delete(id)) return;
    for (const [contactId, companyIds] of this.links) {
      if (companyIds.delete(id)) {
        this.linksVersion += 1;
        if (companyIds.size === 0) this.links.delete(contactId);
      }
    }
  }

  // --- individuals ---

  /** Stores a new individual: `id` (next free unless given), `created` and `updated_at` (now unless given). */
  addIndividual(fields: Partial<Individual> = {}): Individual {
    return this.add(INDIVIDUAL_SHAPE, fields);
  }

  /** Replaces the given fields; `updated_at` becomes now. Throws for an unknown id. */
  updateIndividual(id: number, fields: Partial<Individual>): Individual {
    return this.update(INDIVIDUAL_SHAPE, id, fields);
  }

  deleteIndividual(id: number): void {
    this.individuals.delete(id);
  }

  // --- links ---

  /**
   * Links a contact to a company. As Sellsy's `LinkCompanyContact` says, a company without a
   * contact gives the first one every role (main, invoicing, dunning); `updated_at` is untouched.
   */
  link(contactId: number, companyId: number): void {
    this.mustGet(this.contacts, contactId, 'contact');
    const company = this.mustGet(this.companies, companyId, 'company');
    let companyIds = this.links.get(contactId);
    if (!companyIds) {
      companyIds = new Set();
      this.links.set(contactId, companyIds);
    }
    if (companyIds.has(companyId)) return;
    companyIds.add(companyId);
    this.linksVersion += 1;
    if (company.main_contact_id === null) {
      this.companies.set(
        companyId,
        Object.assign(blankCompany(companyId, null), company, { main_contact_id: contactId, invoicing_contact_id: contactId, dunning_contact_id: contactId }),
      );
    }
  }

  /**
   * Unlinks a contact from a company; a role the contact held there (main, invoicing, dunning) is
   * left empty, as when the contact is deleted. `updated_at` is untouched, as for link().
   */
  unlink(contactId: number, companyId: number): void {
    const companyIds = this.links.get(contactId);
    if (!companyIds?.delete(companyId)) return;
    this.linksVersion += 1;
    if (companyIds.size === 0) this.links.delete(contactId);
    const company = this.companies.get(companyId);
    if (company && [company.main_contact_id, company.invoicing_contact_id, company.dunning_contact_id].includes(contactId)) {
      this.companies.set(
        companyId,
        Object.assign(blankCompany(companyId, null), company, {
          main_contact_id: company.main_contact_id === contactId ? null : company.main_contact_id,
          dunning_contact_id: company.dunning_contact_id === contactId ? null : company.dunning_contact_id,
          invoicing_contact_id: company.invoicing_contact_id === contactId ? null : company.invoicing_contact_id,
        }),
      );
    }
  }

  /** Ids of the records of a kind, ascending; cached until an id is added or removed. */
  sortedIds(kind: Kind): number[] {
    const map = this[kind];
    const cached = this.sortedIdsCache.get(kind);
    if (cached && cached.idsVersion === map.idsVersion) return cached.ids;
    const ids = Array.from(map.keys());
    let sorted = true;
    for (let i = 1; i < ids.length && sorted; i++) sorted = ids[i - 1]! < ids[i]!;
    if (!sorted) ids.sort((a, b) => a - b);
    this.sortedIdsCache.set(kind, { idsVersion: map.idsVersion, ids });
    return ids;
  }

  private add<T extends { id: number }>(shape: RecordShape<T>, fields: Partial<T>): T {
    const map = this[shape.kind] as unknown as RecordMap<T>;
    const id = this.newId(fields.id, map, shape.what);
    const stamp = formatSellsyDate(this.now());
    const record = Object.assign(shape.blank(id, this.ownerId()), { created: stamp, [shape.updated]: stamp }, withoutUndefined(fields), { id });
    map.set(id, record);
    return record;
  }

  private update<T extends { id: number }>(shape: RecordShape<T>, id: number, fields: Partial<T>): T {
    const map = this[shape.kind] as unknown as RecordMap<T>;
    const old = this.mustGet(map, id, shape.what);
    const record = Object.assign(shape.blank(id, null), old, withoutUndefined(fields), { id, [shape.updated]: formatSellsyDate(this.now()) });
    map.set(id, record);
    return record;
  }

  private newId(wanted: number | undefined, map: Map<number, unknown>, what: string): number {
    if (wanted !== undefined) {
      if (!Number.isSafeInteger(wanted) || wanted < 1) throw new Error(`Invalid ${what} id ${wanted}.`);
      if (map.has(wanted)) throw new Error(`A ${what} with id ${wanted} already exists.`);
      if (map === this.contacts) this.nextContactId = Math.max(this.nextContactId, wanted + 1);
      else this.nextThirdId = Math.max(this.nextThirdId, wanted + 1);
      return wanted;
    }
    if (map === this.contacts) {
      while (this.contacts.has(this.nextContactId)) this.nextContactId += 1;
      return this.nextContactId++;
    }
    while (this.companies.has(this.nextThirdId) || this.individuals.has(this.nextThirdId)) this.nextThirdId += 1;
    return this.nextThirdId++;
  }

  private mustGet<V>(map: Map<number, V>, id: number, what: string): V {
    const found = map.get(id);
    if (!found) throw new Error(`No ${what} with id ${id}.`);
    return found;
  }
}

/** How the store makes each kind's records: its blank record, and the field that says when it last changed. */
interface RecordShape<T> {
  kind: Kind;
  /** The record's name in errors. */
  what: string;
  blank: (id: number, ownerId: number | null) => T;
  /** Contacts say `updated`; companies and individuals say `updated_at`. */
  updated: 'updated' | 'updated_at';
}

const CONTACT_SHAPE: RecordShape<Contact> = { kind: 'contacts', what: 'contact', blank: blankContact, updated: 'updated' };
const COMPANY_SHAPE: RecordShape<Company> = { kind: 'companies', what: 'company', blank: blankCompany, updated: 'updated_at' };
const INDIVIDUAL_SHAPE: RecordShape<Individual> = { kind: 'individuals', what: 'individual', blank: blankIndividual, updated: 'updated_at' };

function withoutUndefined<T extends object>(fields: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) (out as Record<string, unknown>)[key] = value;
  return out;
}

function blankContact(id: number, ownerId: number | null): Contact {
  return {
    id,
    civility: null,
    first_name: null,
    last_name: null,
    email: null,
    website: null,
    phone_number: null,
    mobile_number: null,
    fax_number: null,
    position: null,
    birth_date: null,
    avatar: null,
    note: null,
    invoicing_address_id: null,
    delivery_address_id: null,
    social: NO_SOCIAL,
    sync: NO_SYNC,
    owner: ownerId === null ? null : owner(ownerId),
    created: '',
    updated: '',
    is_archived: false,
    marketing_campaigns_subscriptions: NO_SUBSCRIPTIONS,
  };
}

function blankLegal(): LegalFrance {
  return { siret: null, siren: null, vat: null, ape_naf_code: null, company_type: null, rcs_immatriculation: null };
}

function blankCompany(id: number, ownerId: number | null): Company {
  return {
    id,
    type: 'prospect',
    name: '',
    email: null,
    website: null,
    phone_number: null,
    mobile_number: null,
    fax_number: null,
    capital: null,
    reference: null,
    note: null,
    auxiliary_code: null,
    social: NO_SOCIAL,
    rate_category_id: null,
    legal_france: blankLegal(),
    main_contact_id: null,
    dunning_contact_id: null,
    invoicing_contact_id: null,
    invoicing_address_id: null,
    delivery_address_id: null,
    accounting_code_id: null,
    accounting_purchase_code_id: null,
    owner: ownerId === null ? null : owner(ownerId),
    created: '',
    updated_at: '',
    is_archived: false,
    business_segment: null,
    number_of_employees: null,
    marketing_campaigns_subscriptions: NO_SUBSCRIPTIONS,
  };
}

function blankIndividual(id: number, ownerId: number | null): Individual {
  return {
    id,
    type: 'prospect',
    first_name: null,
    last_name: '',
    civility: null,
    email: null,
    website: null,
    phone_number: null,
    mobile_number: null,
    fax_number: null,
    reference: null,
    note: null,
    auxiliary_code: null,
    social: NO_SOCIAL,
    rate_category_id: null,
    main_contact_id: null,
    dunning_contact_id: null,
    invoicing_contact_id: null,
    invoicing_address_id: null,
    delivery_address_id: null,
    accounting_code_id: null,
    accounting_purchase_code_id: null,
    owner: ownerId === null ? null : owner(ownerId),
    created: '',
    updated_at: '',
    is_archived: false,
    marketing_campaigns_subscriptions: NO_SUBSCRIPTIONS,
    sync: NO_SYNC,
  };
}

// ---------------------------------------------------------------------------------------------
// The generator

const MALE = [
  'Jean',
  'Pierre',
  'Nicolas',
  'Julien',
  'Thomas',
  'Sébastien',
  'Laurent',
  'Philippe',
  'François',
  'Olivier',
  'Antoine',
  'Mathieu',
  'Stéphane',
  'Guillaume',
  'Jérôme',
  'Benoît',
  'Christophe',
  'Frédéric',
  'Maxime',
  'Hugo',
  'Lucas',
  'Théo',
  'Rémi',
  'Yannick',
  'Éric',
  'Loïc',
  'Jean-Marc',
  'Jean-Luc',
  'Alexandre',
  'Karim',
  'Mehdi',
  'Bruno',
  'Patrick',
  'Gaëtan',
  'Cédric',
  'Arnaud',
  'Damien',
  'Hervé',
  'Yves',
  'Thierry',
];
const FEMALE = [
  'Marie',
  'Camille',
  'Julie',
  'Sophie',
  'Nathalie',
  'Isabelle',
  'Céline',
  'Émilie',
  'Aurélie',
  'Sandrine',
  'Claire',
  'Anne',
  'Laure',
  'Chloé',
  'Léa',
  'Manon',
  'Inès',
  'Sarah',
  'Pauline',
  'Mathilde',
  'Hélène',
  'Valérie',
  'Caroline',
  'Élodie',
  'Audrey',
  'Virginie',
  'Marie-Claire',
  'Anne-Sophie',
  'Karine',
  'Nadia',
  'Fatima',
  'Agnès',
  'Béatrice',
  'Margaux',
  'Océane',
  'Zoé',
  'Brigitte',
  'Christine',
  'Séverine',
  'Maëlle',
];
const LAST = [
  'Martin',
  'Bernard',
  'Thomas',
  'Petit',
  'Robert',
  'Richard',
  'Durand',
  'Dubois',
  'Moreau',
  'Laurent',
  'Simon',
  'Michel',
  'Lefèvre',
  'Leroy',
  'Roux',
  'David',
  'Bertrand',
  'Morel',
  'Fournier',
  'Girard',
  'Bonnet',
  'Dupont',
  'Lambert',
  'Fontaine',
  'Rousseau',
  'Vincent',
  'Muller',
  'Faure',
  'André',
  'Mercier',
  'Blanc',
  'Guérin',
  'Boyer',
  'Garnier',
  'Chevalier',
  'François',
  'Legrand',
  'Gauthier',
  'Garcia',
  'Perrin',
  'Robin',
  'Clément',
  'Morin',
  'Nicolas',
  'Henry',
  'Roussel',
  'Mathieu',
  'Masson',
  'Marchand',
  'Duval',
  'Denis',
  'Dumont',
  'Lemaire',
  'Noël',
  'Meyer',
  'Dufour',
  'Meunier',
  'Brun',
  'Blanchard',
  'Giraud',
  'Joly',
  'Rivière',
  'Lucas',
  'Brunet',
  'Gaillard',
  'Barbier',
  'Arnaud',
  'Gérard',
  'Roche',
  'Renard',
  'Schmitt',
  'Roy',
  'Leroux',
  'Colin',
  'Vidal',
  'Caron',
  'Picard',
  'Fabre',
  'Aubert',
  'Lemoine',
  'Renaud',
  'Dumas',
  'Lacroix',
  'Olivier',
  'Bourgeois',
  'Benoît',
  'Leclerc',
  'Payet',
  'Guillaume',
  'Lecomte',
  'Hubert',
  'Berger',
  'Carpentier',
  'Dupuis',
  'Moulin',
  'Deschamps',
  'Huet',
  'Vasseur',
  'Fleury',
  'Klein',
  'Jacquet',
  'Poirier',
  'Carré',
  'Ménard',
  'Le Gall',
  'Le Goff',
  'Le Roux',
  'Prévost',
  'Lévêque',
  'Barthélemy',
  'Saint-Martin',
  'de La Fontaine',
  "N'Diaye",
  "D'Angelo",
  'Da Silva',
  'Nguyen',
  'Benali',
  'Hoarau',
  'Étienne',
];
const ACTIVITIES = [
  'Boulangerie',
  'Transports',
  'Garage',
  'Menuiserie',
  'Cabinet',
  'Imprimerie',
  'Plomberie',
  'Électricité',
  'Bâtiment',
  'Conseil',
  'Pharmacie',
  'Agence',
  'Atelier',
  'Maison',
  'Domaine',
  'Fromagerie',
  'Librairie',
  'Studio',
  'Hôtel',
  'Brasserie',
  'Charpente',
  'Nettoyage',
  'Paysages',
  'Toiture',
];
const BRAND_HEADS = ['Néo', 'Alti', 'Opti', 'Data', 'Infra', 'Éco', 'Logi', 'Terra', 'Vita', 'Axi', 'Cap', 'Hexa', 'Sud', 'Nord', 'Atlan', 'Provi'];
const BRAND_TAILS = ['lis', 'méa', 'tech', 'sys', 'via', 'nova', 'com', 'log', 'gest', 'plus', 'line', 'ance', 'ium', 'o'];
const CITIES = [
  'Paris',
  'Lyon',
  'Marseille',
  'Toulouse',
  'Bordeaux',
  'Nantes',
  'Lille',
  'Strasbourg',
  'Rennes',
  'Montpellier',
  'Nice',
  'Grenoble',
  'Dijon',
  'Angers',
  'Tours',
];
const FORMS = ['SAS', 'SARL', 'SAS', 'SARL', 'SA', 'EURL', 'SASU'];
const APE = ['6201Z', '4711D', '7022Z', '4120A', '5610A', '6831Z', '4321A', '7112B', '4941A', '8621Z', '4690Z', '1071C', '6920Z', '7311Z', '4520A'];
const POSITIONS = [
  'Gérant',
  'Gérante',
  'Directeur commercial',
  'Directrice administrative et financière',
  'Responsable achats',
  'Assistante de direction',
  'Comptable',
  'DAF',
  "Chargé d'affaires",
  'PDG',
  'Responsable logistique',
  'Office manager',
  'Acheteur',
  'Responsable RH',
  'Technicien',
];
const NOTES = [
  'Rappeler après 14h',
  'Client depuis 2015',
  'Préfère être contacté par e-mail',
  'Salon Batimat 2023',
  'Ne pas appeler le vendredi',
  'Voir avec la comptabilité',
];
const FREE_MAIL = ['gmail.com', 'orange.fr', 'free.fr', 'wanadoo.fr', 'laposte.net', 'hotmail.fr', 'sfr.fr', 'yahoo.fr'];
const SEGMENTS: Labelled[] = deepFreeze([
  { id: 1, label: 'Industrie' },
  { id: 2, label: 'Services' },
  { id: 3, label: 'Commerce' },
  { id: 4, label: 'BTP' },
]);
const HEADCOUNTS: Labelled[] = deepFreeze([
  { id: 1, label: '1-9' },
  { id: 2, label: '10-49' },
  { id: 3, label: '50-249' },
  { id: 4, label: '250+' },
]);
// NSN prefixes that libphonenumber (min and max metadata) accepts whatever the 7 digits after.
const FR_MOBILE = ['60', '61', '62', '64', '65', '66', '67', '68', '73', '74', '75', '76', '77', '78'];
const FR_FIXED = ['14', '15', '13', '16', '17', '18', '24', '22', '23', '29', '32', '33', '38', '35', '47', '49', '42', '44', '55', '56', '54', '53'];
const FR_VOIP = ['95', '96', '97', '98'];

/** Accent-free lower-case ASCII for e-mail addresses and domains. */
function ascii(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
const asciiCache = new Map<string, string>();
function slug(text: string): string {
  let found = asciiCache.get(text);
  if (found === undefined) {
    found = ascii(text);
    if (asciiCache.size < 10_000) asciiCache.set(text, found);
  }
  return found;
}

/** A Luhn check digit for `digits` (SIREN and SIRET use it). */
function luhnDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

interface Phone {
  /** What is stored. */
  text: string;
  /** The number, for reformatting a duplicate. */
  e164: string;
}

interface Generated {
  contacts: Contact[];
  companies: Company[];
  individuals: Individual[];
  links: Map<number, Set<number>>;
  nextContactId: number;
  nextThirdId: number;
}

/**
 * French-looking CRM data from a seeded PRNG (mulberry32), so the same seed and clock give the
 * same records. Phone fields are free text in the formats people type; numbers come from
 * counters through a bijection, so two records share a number only where that is deliberate:
 * contacts that give their company's standard, a company whose mobile is its manager's, a few
 * people sharing a mobile. About three records in four have a callable number.
 */
export class SeedGenerator {
  private state: number;
  private frCounter = 0;
  private intlCounter = 0;
  private contactId = 0;
  private thirdId = 0;
  private readonly nowMs: number;
  /** Recent import batches: records that share one `updated` second. */
  private readonly batches: number[];

  constructor(
    seed: number,
    nowMs: number,
    private readonly ownerId: number,
  ) {
    this.state = seed >>> 0;
    this.nowMs = Math.floor(nowMs / 1000) * 1000;
    this.batches = [0, 1, 2, 3].map(() => this.nowMs - Math.floor(this.random() * 2 * YEAR_MS) - 60_000);
  }

  run(options: SeedOptions): Generated {
    const nCompanies = Math.max(0, Math.floor(options.companies ?? 0));
    const nContacts = Math.max(0, Math.floor(options.contacts ?? 0));
    const nIndividuals = Math.max(0, Math.floor(options.individuals ?? 0));
    this.contactId = 100;
    this.thirdId = 50;

    // Companies and individuals share ids; interleave them as if created over the same years.
    const companies: Company[] = [];
    const individuals: Individual[] = [];
    const thirds = nCompanies + nIndividuals;
    let madeCompanies = 0;
    for (let i = 0; i < thirds; i++) {
      const created = this.createdAt(i, thirds);
      const wantCompany = madeCompanies < nCompanies && (individuals.length >= nIndividuals || this.random() < nCompanies / thirds);
      if (wantCompany) {
        companies.push(this.company(this.nextThird(), created));
        madeCompanies++;
      } else {
        individuals.push(this.individual(this.nextThird(), created));
      }
    }

    const links = new Map<number, Set<number>>();
    const contacts: Contact[] = [];
    const companyMains: Array<Contact | undefined> = new Array<Contact | undefined>(companies.length);
    for (let i = 0; i < nContacts; i++) {
      const id = this.nextContact();
      let company: Company | undefined;
      let companyIndex = -1;
      const r = this.random();
      if (companies.length > 0 && r < 0.78) {
        // Skewed: a few companies have many contacts, most have a handful.
        companyIndex = Math.floor(this.random() ** 2 * companies.length);
        company = companies[companyIndex];
      }
      const contact = this.contact(id, this.createdAt(i, nContacts), company);
      contacts.push(contact);
      if (company) {
        const set = new Set([company.id]);
        if (this.random() < 0.04 && companies.length > 1) set.add(this.pick(companies).id);
        links.set(id, set);
        if (!companyMains[companyIndex]) {
          companyMains[companyIndex] = contact;
          company.main_contact_id = company.invoicing_contact_id = company.dunning_contact_id = id;
        }
      }
      // A couple or a shared work phone: this contact's mobile is an earlier contact's.
      if (i > 10 && this.random() < 0.005) {
        const earlier = contacts[Math.floor(this.random() * (contacts.length - 1))];
        const shared = earlier && this.phoneOf(earlier.mobile_number ?? earlier.phone_number);
        if (shared) contact.mobile_number = this.reformat(shared);
      }
    }
    // A company and one of its contacts sharing a number: the manager's mobile as the company's.
    companies.forEach((company, i) => {
      const main = companyMains[i];
      const mobile = main && this.phoneOf(main.mobile_number);
      if (mobile && this.random() < 0.15) company.mobile_number = this.random() < 0.5 ? main.mobile_number : this.reformat(mobile);
    });
    // A person who is both a B2C customer and someone's contact.
    for (const individual of individuals) {
      if (contacts.length > 0 && this.random() < 0.01) {
        const contact = this.pick(contacts);
        const mobile = this.phoneOf(contact.mobile_number);
        if (mobile) individual.mobile_number = this.reformat(mobile);
      }
    }

    return {
      contacts,
      companies,
      individuals,
      links,
      nextContactId: this.contactId + 1,
      nextThirdId: this.thirdId + 1,
    };
  }

  // --- records ---

  private company(id: number, createdMs: number): Company {
    const form = this.pick(FORMS);
    const name = this.companyName(form);
    const domain = `${slug(name.replace(/ (SAS|SARL|SA|EURL|SASU)$/, '')).slice(0, 30)}.fr`;
    const siren = this.digits(8);
    const sirenFull = `${siren}${luhnDigit(siren)}`;
    const nic = `000${1 + Math.floor(this.random() * 9)}`;
    const siret = `${sirenFull}${nic}${luhnDigit(`${sirenFull}${nic}`)}`;
    const vatKey = (12 + 3 * (Number(sirenFull) % 97)) % 97;
    const company = Object.assign(blankCompany(id, this.random() < 0.8 ? this.ownerId : 4243 + Math.floor(this.random() * 5)), {
      type: this.weighted(['prospect', 'client', 'supplier'] as const, [45, 45, 10]),
      name,
      email: this.random() < 0.75 ? `${this.pick(['contact', 'info', 'accueil', 'compta', 'commercial'])}@${domain}` : null,
      website: this.random() < 0.6 ? `https://www.${domain}` : null,
      legal_france: {
        siret,
        siren: sirenFull,
        vat: `FR${pad2(vatKey)}${sirenFull}`,
        ape_naf_code: this.pick(APE),
        company_type: form,
        rcs_immatriculation: `RCS ${this.pick(CITIES)} ${sirenFull.slice(0, 3)} ${sirenFull.slice(3, 6)} ${sirenFull.slice(6)}`,
      },
      capital: this.random() < 0.5 ? String(this.pick([1000, 5000, 10000, 37000, 50000, 100000])) : null,
      business_segment: this.random() < 0.5 ? this.pick(SEGMENTS) : null,
      number_of_employees: this.random() < 0.5 ? this.pick(HEADCOUNTS) : null,
      note: this.random() < 0.05 ? this.pick(NOTES) : null,
      is_archived: this.random() < 0.04,
    });
    const [created, updated] = this.dates(createdMs);
    company.created = created;
    company.updated_at = updated;
    const r = this.random();
    if (r < 0.12) {
      // No phone at all: nulls or empty strings.
      company.phone_number = this.random() < 0.7 ? null : '';
    } else if (r < 0.16) {
      company.fax_number = this.frenchFixed().text; // fax only
    } else if (r < 0.23) {
      company.phone_number = this.junk();
    } else {
      const kind = this.random();
      company.phone_number = (
        kind < 0.04 ? this.tollFree() : kind < 0.12 ? this.frenchVoip() : kind < 0.16 ? this.international('fixed') : this.frenchFixed()
      ).text;
      if (this.random() < 0.12) company.mobile_number = this.frenchMobile().text;
      if (this.random() < 0.3) company.fax_number = this.frenchFixed().text;
    }
    return company;
  }

  private contact(id: number, createdMs: number, company: Company | undefined): Contact {
    const { civility, first, last } = this.person();
    const domain = company?.website ? company.website.slice('https://www.'.length) : this.pick(FREE_MAIL);
    const contact = Object.assign(blankContact(id, this.random() < 0.8 ? this.ownerId : 4243 + Math.floor(this.random() * 5)), {
      civility,
      first_name: first,
      last_name: last,
      email: this.random() < 0.7 ? `${first ? `${slug(first)}.` : ''}${slug(last)}@${domain}` : null,
      position: company && this.random() < 0.6 ? this.pick(POSITIONS) : null,
      birth_date:
        this.random() < 0.05
          ? `${1955 + Math.floor(this.random() * 45)}-${pad2(1 + Math.floor(this.random() * 12))}-${pad2(1 + Math.floor(this.random() * 28))}`
          : null,
      note: this.random() < 0.05 ? this.pick(NOTES) : null,
      is_archived: this.random() < 0.03,
      marketing_campaigns_subscriptions: this.random() < 0.2 ? EMAIL_ONLY : NO_SUBSCRIPTIONS,
    });
    [contact.created, contact.updated] = this.dates(createdMs);
    const standard = company && this.phoneOf(company.phone_number);
    const r = this.random();
    if (r < 0.1) {
      contact.phone_number = this.random() < 0.7 ? null : '';
      contact.mobile_number = this.random() < 0.8 ? null : '';
    } else if (r < 0.14) {
      contact.fax_number = this.frenchFixed().text; // fax only
    } else if (r < 0.22) {
      contact.phone_number = this.junk();
      if (this.random() < 0.3) contact.mobile_number = this.random() < 0.5 ? '' : this.junk();
    } else if (standard && r < 0.32) {
      // The company's standard: same text or typed another way, sometimes with a mobile too.
      contact.phone_number = this.random() < 0.5 ? (company.phone_number as string) : this.reformat(standard);
      if (this.random() < 0.4) contact.mobile_number = this.frenchMobile().text;
    } else {
      this.callable(contact);
    }
    return contact;
  }

  private individual(id: number, createdMs: number): Individual {
    const { civility, first, last } = this.person();
    const individual = Object.assign(blankIndividual(id, this.ownerId), {
      type: this.random() < 0.6 ? 'client' : 'prospect',
      civility,
      first_name: first,
      last_name: last,
      email: this.random() < 0.6 ? `${first ? `${slug(first)}.` : ''}${slug(last)}@${this.pick(FREE_MAIL)}` : null,
      is_archived: this.random() < 0.03,
    });
    [individual.created, individual.updated_at] = this.dates(createdMs);
    const r = this.random();
    if (r < 0.1) {
      individual.mobile_number = this.random() < 0.7 ? null : '';
    } else if (r < 0.14) {
      individual.fax_number = this.frenchFixed().text;
    } else if (r < 0.22) {
      individual.mobile_number = this.junk();
    } else {
      this.callable(individual);
    }
    return individual;
  }

  /** At least one callable number among `phone_number` and `mobile_number`. */
  private callable(record: { phone_number: string | null; mobile_number: string | null; fax_number: string | null }): void {
    const foreign = this.random() < 0.04;
    const shape = this.random();
    const mobile = () => (foreign ? this.international('mobile') : this.frenchMobile()).text;
    const fixed = () => (foreign ? this.international('fixed') : this.random() < 0.12 ? this.frenchVoip() : this.frenchFixed()).text;
    if (shape < 0.45) record.mobile_number = mobile();
    else if (shape < 0.65) record.phone_number = fixed();
    else if (shape < 0.72)
      record.phone_number = mobile(); // a mobile typed in the phone field
    else {
      record.phone_number = fixed();
      record.mobile_number = mobile();
    }
    // The other field left as junk or empty next to a good number.
    if (this.random() < 0.05) {
      if (record.phone_number === null) record.phone_number = this.junk();
      else if (record.mobile_number === null) record.mobile_number = this.random() < 0.5 ? '' : this.junk();
    }
    if (this.random() < 0.1) record.fax_number = this.frenchFixed().text;
  }

  private person(): { civility: Civility | null; first: string | null; last: string } {
    const female = this.random() < 0.5;
    const first = this.random() < 0.03 ? null : this.pick(female ? FEMALE : MALE);
    const last = this.random() < 0.04 ? `${this.pick(LAST)}-${this.pick(LAST)}` : this.pick(LAST);
    const civility: Civility | null = this.random() < 0.08 ? null : female ? (this.random() < 0.15 ? 'ms' : 'mrs') : 'mr';
    return { civility, first, last };
  }

  private companyName(form: string): string {
    const r = this.random();
    const base =
      r < 0.4
        ? `${this.pick(ACTIVITIES)} ${this.pick(LAST)}`
        : r < 0.55
          ? `${this.pick(LAST)} & Fils`
          : r < 0.7
            ? `${this.pick(LAST)} ${this.pick(LAST)} Associés`
            : r < 0.85
              ? `${this.pick(BRAND_HEADS)}${this.pick(BRAND_TAILS)}`
              : `${this.pick(ACTIVITIES)} du ${this.pick(['Centre', 'Lac', 'Port', 'Marché', 'Vieux-Lyon', 'Sud-Ouest'])}`;
    return this.random() < 0.6 ? `${base} ${form}` : base;
  }

  // --- dates ---

  /** Creation times grow with the id over the last six years. */
  private createdAt(index: number, count: number): number {
    const span = 6 * YEAR_MS;
    const jitter = Math.floor(this.random() * Math.min(DAY_MS, span / Math.max(1, count)));
    return this.nowMs - span + Math.floor((index / Math.max(1, count)) * span) + jitter - 2 * DAY_MS;
  }

  /** `[created, updated]`: updated within the last two years, strictly after created. */
  private dates(createdMs: number): [string, string] {
    const latest = this.nowMs - 60_000;
    const created = Math.min(Math.floor(createdMs / 1000) * 1000, latest - 3_600_000);
    let updated: number;
    const batch = this.random() < 0.02 ? this.pick(this.batches) : undefined;
    if (batch !== undefined && batch > created) updated = batch;
    else {
      const from = Math.max(created + 1000, this.nowMs - 2 * YEAR_MS);
      updated = from + Math.floor(this.random() * (latest - from));
    }
    updated = Math.floor(updated / 1000) * 1000;
    if (updated <= created) updated = created + 1000;
    return [formatSellsyDate(created), formatSellsyDate(updated)];
  }

  // --- phones ---

  private frenchMobile(): Phone {
    return this.french(this.pick(FR_MOBILE));
  }

  private frenchFixed(): Phone {
    return this.french(this.pick(FR_FIXED));
  }

  private frenchVoip(): Phone {
    return this.french(this.pick(FR_VOIP));
  }

  private tollFree(): Phone {
    const nsn = `80${this.frSuffix()}`;
    return {
      text: this.random() < 0.5 ? `0 ${nsn.slice(0, 3)} ${nsn.slice(3, 5)} ${nsn.slice(5, 7)} ${nsn.slice(7)}` : this.formatFrench(nsn),
      e164: `+33${nsn}`,
    };
  }

  private french(prefix: string): Phone {
    const nsn = `${prefix}${this.frSuffix()}`;
    return { text: this.formatFrench(nsn), e164: `+33${nsn}` };
  }

  /** Seven digits, distinct for every French number made: (n·A + B) mod 10⁷ is a bijection. */
  private frSuffix(): string {
    const n = this.frCounter++;
    return String((n * 3_814_697 + 1_234_567) % 10_000_000).padStart(7, '0');
  }

  /** A French number as somebody might type it. */
  private formatFrench(nsn: string): string {
    const national = `0${nsn}`;
    const pairs = [national.slice(0, 2), national.slice(2, 4), national.slice(4, 6), national.slice(6, 8), national.slice(8)];
    const rest = pairs.slice(1).join(' ');
    switch (this.weighted(FORMAT_NAMES, FORMAT_WEIGHTS)) {
      case 'spaces':
        return pairs.join(' ');
      case 'compact':
        return national;
      case 'dots':
        return pairs.join('.');
      case 'dashes':
        return pairs.join('-');
      case 'intl':
        return `+33 ${nsn[0]} ${rest}`;
      case 'e164':
        return `+33${nsn}`;
      case 'intl-zero':
        return `+33 (0)${nsn[0]} ${rest}`;
      case '0033':
        return `0033 ${nsn[0]} ${rest}`;
      case 'nbsp':
        return pairs.join('\u00a0');
      case 'intl-dots':
        return `+33 ${nsn[0]}.${pairs.slice(1).join('.')}`;
      case 'padded':
        return ` ${pairs.join(' ')} `;
    }
  }

  /** The same number typed differently (for duplicates that do not look alike). */
  private reformat(phone: Phone): string {
    if (phone.e164.startsWith('+33')) return this.formatFrench(phone.e164.slice(3));
    return phone.e164;
  }

  /** A stored phone text this generator made, back as a `Phone`; undefined for junk and blanks. */
  private phoneOf(text: string | null): Phone | undefined {
    if (!text || JUNK_PHONES.includes(text)) return undefined;
    const digits = text.replace(/\(0\)/, '').replace(/\D/g, '');
    if (text.trim().startsWith('+')) return { text, e164: `+${digits}` };
    if (digits.startsWith('00')) return { text, e164: `+${digits.slice(2)}` };
    if (digits.length === 10 && digits.startsWith('0')) return { text, e164: `+33${digits.slice(1)}` };
    return undefined;
  }

  private international(kind: 'mobile' | 'fixed'): Phone {
    const n = this.intlCounter++;
    const s = (length: number) => String((n * 7_919 + 4_321) % 10 ** length).padStart(length, '0');
    const country = this.pick(['BE', 'BE', 'CH', 'CH', 'UK', 'US'] as const);
    let text: string;
    if (country === 'BE') {
      const d = s(7);
      text =
        kind === 'mobile'
          ? `+32 4${this.pick(['7', '8', '9'])}${d[0]} ${d.slice(1, 3)} ${d.slice(3, 5)} ${d.slice(5)}`
          : `+32 2 ${this.pick(['2', '3', '4', '5', '6', '7'])}${d.slice(0, 2)} ${d.slice(2, 4)} ${d.slice(4, 6)}`;
    } else if (country === 'CH') {
      const d = s(7);
      const lead = this.random() < 0.3 ? '0041' : '+41';
      text = `${lead} ${kind === 'mobile' ? this.pick(['79', '78', '76']) : this.pick(['22', '21', '44', '31'])} ${d.slice(0, 3)} ${d.slice(3, 5)} ${d.slice(5)}`;
    } else if (country === 'UK') {
      text = kind === 'mobile' ? `+44 7400 ${s(6)}` : `+44 20 7946 0${s(3)}`;
    } else {
      const d = s(4);
      text = this.random() < 0.5 ? `+1 (${this.pick(['415', '212', '617'])}) 555-${d}` : `+1 514 555 ${d}`;
    }
    return { text, e164: `+${text.replace(/^00/, '').replace(/\D/g, '')}` };
  }

  private junk(): string {
    return this.pick(JUNK_PHONES);
  }

  // --- randomness ---

  /** mulberry32: a fast 32-bit PRNG, uniform in [0, 1). */
  private random(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)] as T;
  }

  private weighted<T>(items: readonly T[], weights: readonly number[]): T {
    let total = 0;
    for (const w of weights) total += w;
    let r = this.random() * total;
    for (let i = 0; i < items.length; i++) {
      r -= weights[i] ?? 0;
      if (r < 0) return items[i] as T;
    }
    return items[items.length - 1] as T;
  }

  private digits(count: number): string {
    let out = String(1 + Math.floor(this.random() * 9));
    while (out.length < count) out += String(Math.floor(this.random() * 10));
    return out;
  }

  /** Ids grow with gaps here and there, as deletions leave them in a real account. */
  private nextContact(): number {
    this.contactId += this.random() < 0.05 ? 2 + Math.floor(this.random() * 5) : 1;
    return this.contactId;
  }

  private nextThird(): number {
    this.thirdId += this.random() < 0.05 ? 2 + Math.floor(this.random() * 5) : 1;
    return this.thirdId;
  }
}

const FORMAT_NAMES = ['spaces', 'compact', 'dots', 'dashes', 'intl', 'e164', 'intl-zero', '0033', 'nbsp', 'intl-dots', 'padded'] as const;
const FORMAT_WEIGHTS = [40, 15, 12, 5, 10, 6, 4, 3, 2, 1, 2];

// ---------------------------------------------------------------------------------------------
// Queries: ordering, filters, seek cursors

export type SortKey = string | number;

/** Ids in the requested order, with their sort keys (absent when the order is `id`). */
export interface Ordered {
  ids: number[];
  keys: SortKey[] | undefined;
}

export interface OrderSpec<T> {
  key: (record: T) => SortKey;
  /** The key's text in a cursor. */
  cursorText: (record: T) => string;
  /** The key back from a cursor's text; undefined when it cannot be one. */
  fromCursor: (text: string) => SortKey | undefined;
}

export type Filter<T> = (record: T) => boolean;

interface KindSpec<T extends { id: number }> {
  kind: Kind;
  orders: Record<string, OrderSpec<T> | null>;
  /** Compiles `filters` into a predicate and, for `id`, the only candidates; or the invalid fields. */
  compile: (filters: Record<string, unknown>, crm: SellsyCrm) => CompiledFilters<T> | { errors: Record<string, string> };
}

export interface CompiledFilters<T> {
  predicates: Array<Filter<T>>;
  ids: number[] | undefined;
}

function foldName(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

const byName = <T>(name: (record: T) => string): OrderSpec<T> => ({
  key: (record) => foldName(name(record)),
  cursorText: (record) => foldName(name(record)),
  fromCursor: (text) => text,
});

export const byDate = <T>(field: (record: T) => string): OrderSpec<T> => ({
  key: (record) => parseSellsyDate(field(record)),
  cursorText: field,
  fromCursor: (text) => {
    const ms = parseSellsyDate(text);
    return Number.isNaN(ms) ? undefined : ms;
  },
});

const personName = (record: { first_name: string | null; last_name: string | null }) => `${record.last_name ?? ''} ${record.first_name ?? ''}`;

const CONTACT_SPEC: KindSpec<Contact> = {
  kind: 'contacts',
  orders: { id: null, name: byName(personName), created_at: byDate((c) => c.created) },
  compile(filters, crm) {
    const out = newCompiled<Contact>();
    const errors: Record<string, string> = {};
    dateRange(filters, 'updated', (c) => c.updated, out, errors);
    dateRange(filters, 'created', (c) => c.created, out, errors);
    idList(filters, out, errors);
    for (const field of ['phone_number', 'mobile_number', 'email', 'last_name'] as const) exact(filters, field, (c) => c[field], out, errors);
    const companies = intArray(filters, 'companies', errors);
    if (companies) {
      const wanted = new Set(companies);
      out.predicates.push((c) => {
        const linked = crm.links.get(c.id);
        if (!linked) return false;
        for (const id of linked) if (wanted.has(id)) return true;
        return false;
      });
    }
    const linked = bool(filters, 'is_linked', errors);
    if (linked !== undefined) out.predicates.push((c) => (crm.links.get(c.id)?.size ?? 0) > 0 === linked);
    return Object.keys(errors).length ? { errors } : out;
  },
};

function thirdFilters<T extends Company | Individual>(
  filters: Record<string, unknown>,
  names: (record: T) => string[],
  out: CompiledFilters<T>,
  errors: Record<string, string>,
): void {
  dateRange(filters, 'updated_at', (r) => r.updated_at, out, errors);
  dateRange(filters, 'created', (r) => r.created, out, errors);
  idList(filters, out, errors);
  exact(filters, 'email', (r) => r.email, out, errors);
  if (filters.name !== undefined && filters.name !== null) {
    if (typeof filters.name !== 'string') errors['filters.name'] = 'This value should be of type string.';
    else {
      const wanted = filters.name;
      out.predicates.push((r) => names(r).includes(wanted));
    }
  }
  const archived = bool(filters, 'is_archived', errors);
  if (archived !== undefined) out.predicates.push((r) => r.is_archived === archived);
  if (filters.type !== undefined && filters.type !== null) {
    const types = Array.isArray(filters.type) ? filters.type : [filters.type];
    if (!types.every((t) => t === 'prospect' || t === 'client' || t === 'supplier')) {
      errors['filters.type'] = 'The value should be one of prospect, client, supplier.';
    } else out.predicates.push((r) => types.includes(r.type));
  }
}

const COMPANY_SPEC: KindSpec<Company> = {
  kind: 'companies',
  orders: {
    id: null,
    name: byName((c) => c.name),
    created_at: byDate((c) => c.created),
    updated_at: byDate((c) => c.updated_at),
  },
  compile(filters, crm) {
    const out = newCompiled<Company>();
    const errors: Record<string, string> = {};
    thirdFilters(filters, (c) => [c.name], out, errors);
    exact(filters, 'siret', (c) => c.legal_france.siret, out, errors);
    const contacts = intArray(filters, 'contacts', errors);
    if (contacts) {
      const wanted = new Set<number>();
      for (const contactId of contacts) for (const companyId of crm.links.get(contactId) ?? []) wanted.add(companyId);
      out.predicates.push((c) => wanted.has(c.id));
    }
    return Object.keys(errors).length ? { errors } : out;
  },
};

const INDIVIDUAL_SPEC: KindSpec<Individual> = {
  kind: 'individuals',
  orders: {
    id: null,
    name: byName(personName),
    created_at: byDate((i) => i.created),
    updated_at: byDate((i) => i.updated_at),
  },
  compile(filters) {
    const out = newCompiled<Individual>();
    const errors: Record<string, string> = {};
    // The spec does not say what an individual's `name` is: its last name or its full name.
    thirdFilters(filters, (i) => [i.last_name, `${i.first_name ?? ''} ${i.last_name}`.trim(), `${i.last_name} ${i.first_name ?? ''}`.trim()], out, errors);
    return Object.keys(errors).length ? { errors } : out;
  },
};

export function newCompiled<T>(): CompiledFilters<T> {
  return { predicates: [], ids: undefined };
}

export function dateRange<T>(
  filters: Record<string, unknown>,
  name: string,
  field: (record: T) => string,
  out: CompiledFilters<T>,
  errors: Record<string, string>,
): void {
  const range = filters[name];
  if (range === undefined || range === null) return;
  if (typeof range !== 'object' || Array.isArray(range)) {
    errors[`filters.${name}`] = 'This value should be an object {start, end}.';
    return;
  }
  const bound = (which: 'start' | 'end'): number | undefined => {
    const value = (range as Record<string, unknown>)[which];
    if (value === undefined || value === null || value === '') return undefined;
    const ms = typeof value === 'string' ? parseSellsyDate(value) : Number.NaN;
    if (Number.isNaN(ms)) errors[`filters.${name}.${which}`] = 'This value is not a valid date-time.';
    return ms;
  };
  const start = bound('start');
  const end = bound('end');
  if (start !== undefined) out.predicates.push((r) => parseSellsyDate(field(r)) >= start);
  if (end !== undefined) out.predicates.push((r) => parseSellsyDate(field(r)) <= end);
}

function exact<T>(
  filters: Record<string, unknown>,
  name: string,
  field: (record: T) => string | null,
  out: CompiledFilters<T>,
  errors: Record<string, string>,
): void {
  const value = filters[name];
  if (value === undefined || value === null) return;
  if (typeof value !== 'string') {
    errors[`filters.${name}`] = 'This value should be of type string.';
    return;
  }
  out.predicates.push((r) => field(r) === value);
}

export function intArray(filters: Record<string, unknown>, name: string, errors: Record<string, string>): number[] | undefined {
  const value = filters[name];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((v) => Number.isSafeInteger(v))) {
    errors[`filters.${name}`] = 'This value should be an array of integers.';
    return undefined;
  }
  return value as number[];
}

function idList<T>(filters: Record<string, unknown>, out: CompiledFilters<T>, errors: Record<string, string>): void {
  const ids = intArray(filters, 'id', errors);
  if (ids) out.ids = [...new Set(ids)].sort((a, b) => a - b);
}

function bool(filters: Record<string, unknown>, name: string, errors: Record<string, string>): boolean | undefined {
  const value = filters[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') {
    errors[`filters.${name}`] = 'This value should be of type boolean.';
    return undefined;
  }
  return value;
}

const QUERY_CACHE_SIZE = 12;

/** The ids matching a query, ordered; computed once per store version and query. */
function ordered<T extends { id: number }>(
  crm: SellsyCrm,
  spec: KindSpec<T>,
  filters: CompiledFilters<T> | undefined,
  filtersKey: string,
  order: string,
  direction: 'asc' | 'desc',
): Ordered {
  const map = crm[spec.kind] as unknown as RecordMap<T>;
  if (!filters && order === 'id' && direction === 'asc') return { ids: crm.sortedIds(spec.kind), keys: undefined };
  const cacheKey = `${spec.kind}|${order}|${direction}|${filtersKey}`;
  const stamp = `${map.version}/${crm.linksVersion}`;
  const cached = crm.queryCache.get(cacheKey);
  if (cached && cached.stamp === stamp) {
    crm.queryCache.delete(cacheKey); // most recently used last
    crm.queryCache.set(cacheKey, cached);
    return cached.ordered;
  }

  const candidates = filters?.ids ? filters.ids.filter((id) => map.has(id)) : crm.sortedIds(spec.kind);
  const records: T[] = [];
  const predicates = filters?.predicates ?? [];
  outer: for (const id of candidates) {
    const record = map.get(id) as T;
    for (const predicate of predicates) if (!predicate(record)) continue outer;
    records.push(record);
  }
  const orderSpec = spec.orders[order];
  let result: Ordered;
  if (!orderSpec) {
    const ids = records.map((r) => r.id);
    result = { ids: direction === 'desc' ? ids.reverse() : ids, keys: undefined };
  } else {
    const keyed = records.map((record) => ({ key: orderSpec.key(record), id: record.id }));
    keyed.sort((a, b) => compare(a.key, a.id, b.key, b.id));
    if (direction === 'desc') keyed.reverse();
    result = { ids: keyed.map((k) => k.id), keys: keyed.map((k) => k.key) };
  }
  crm.queryCache.set(cacheKey, { stamp, ordered: result });
  while (crm.queryCache.size > QUERY_CACHE_SIZE) crm.queryCache.delete(crm.queryCache.keys().next().value as string);
  return result;
}

export function compare(keyA: SortKey, idA: number, keyB: SortKey, idB: number): number {
  if (keyA !== keyB) return keyA < keyB ? -1 : 1;
  return idA - idB;
}

/** The first index after the cursor's position (which need not exist any more: a seek). */
export function seek(list: Ordered, cursor: { key: SortKey; id: number }, direction: 'asc' | 'desc'): number {
  const sign = direction === 'asc' ? 1 : -1;
  let lo = 0;
  let hi = list.ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const id = list.ids[mid]!;
    const key = list.keys ? list.keys[mid]! : id;
    if (sign * compare(key, id, cursor.key, cursor.id) > 0) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Sellsy's seek cursor: base64 of a JSON array of strings, `["598"]` or `["<sort key>","598"]`. */
export function encodeCursor(parts: string[]): string {
  return Buffer.from(JSON.stringify(parts), 'utf8').toString('base64');
}

export function decodeCursor<T>(text: string, orderSpec: OrderSpec<T> | null): { key: SortKey; id: number } | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || text.length % 4 !== 0) return undefined;
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(text, 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parts) || !parts.every((p) => typeof p === 'string')) return undefined;
  const idText = parts[parts.length - 1] as string | undefined;
  if (idText === undefined || !/^\d{1,15}$/.test(idText)) return undefined;
  const id = Number(idText);
  if (!orderSpec) return parts.length === 1 ? { key: id, id } : undefined;
  if (parts.length !== 2) return undefined;
  const key = orderSpec.fromCursor(parts[0] as string);
  return key === undefined ? undefined : { key, id };
}

// ---------------------------------------------------------------------------------------------
// Routes

/** Numeric offsets stop here (Sellsy API v2, see docs/sellsy-and-allo.md). */
export const NUMERIC_OFFSET_CAP = 100_000;
export const MAX_LIMIT = 100;
export const DEFAULT_LIMIT = 25;

export interface PageParams<T> {
  limit: number;
  order: string;
  orderSpec: OrderSpec<T> | null;
  direction: 'asc' | 'desc';
  /** Numeric mode: how many to skip. Seek mode: after this cursor, or from the start. */
  offset: { numeric: number } | { cursor: { key: SortKey; id: number }; text: string } | undefined;
}

/** What sellsy.ts passes to the route registrations (so these modules do not import it back). */
export interface RouteHelpers<Ctx> {
  needs: (scope: string, handler: RouteHandler<Ctx>) => RouteHandler<Ctx>;
  sellsyError: (error: ErrorSpec, details?: Record<string, string>) => Reply;
  /** Whether the request's token has a scope (an embed needs its object's read scope); every scope when absent. */
  granted?: (ctx: Ctx, scope: string) => boolean;
}

/**
 * The answers the CRM and phone-call routes share, in Sellsy's envelope: validation errors, the
 * `filters` of a search body, and pages of a list (`limit`, `order`, `direction`, `offset`).
 */
export function sellsyReplies(sellsyError: RouteHelpers<unknown>['sellsyError']) {
  const invalid = (details: Record<string, string>, message = 'Validation error.') => sellsyError({ status: 400, code: 'validation_error', message }, details);
  const malformed = () => invalid({ body: 'The body is not valid JSON.' }, 'Malformed JSON body.');

  /** The `filters` object of a search body, or the 400 for a body without one (or not JSON). */
  function searchFilters(body: unknown): { filters: Record<string, unknown> } | Reply {
    if (typeof body === 'string') return malformed();
    const filters = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>).filters : undefined;
    if (filters === undefined || filters === null) return invalid({ filters: 'This field is missing.' });
    if (typeof filters !== 'object' || Array.isArray(filters)) return invalid({ filters: 'This value should be an object.' });
    return { filters: filters as Record<string, unknown> };
  }

  /** The query's page parameters (`order` one of `orders`), or the 400 naming each bad one. */
  function pageParams<T>(query: URLSearchParams, orders: Record<string, OrderSpec<T> | null>): PageParams<T> | Reply {
    const details: Record<string, string> = {};
    let limit = DEFAULT_LIMIT;
    const limitText = query.get('limit');
    if (limitText !== null) {
      if (!/^\d+$/.test(limitText)) details.limit = 'This value should be a positive integer.';
      else if (Number(limitText) > MAX_LIMIT) details.limit = `This value should be less than or equal to ${MAX_LIMIT}.`;
      else limit = Number(limitText);
    }
    const order = query.get('order') ?? 'id';
    const known = Object.hasOwn(orders, order);
    if (!known) details.order = `The value should be one of ${Object.keys(orders).join(', ')}.`;
    const orderSpec = known ? (orders[order] ?? null) : null;
    const direction = query.get('direction') ?? 'asc';
    if (direction !== 'asc' && direction !== 'desc') details.direction = 'The value should be one of asc, desc.';
    let offset: PageParams<T>['offset'];
    const offsetText = query.get('offset');
    if (offsetText !== null && offsetText !== '' && Object.keys(details).length === 0) {
      if (/^\d+$/.test(offsetText)) offset = { numeric: Number(offsetText) };
      else {
        const cursor = decodeCursor(offsetText, orderSpec);
        if (cursor) offset = { cursor, text: offsetText };
        else details.offset = 'This value is not a valid pagination cursor.';
      }
    }
    if (Object.keys(details).length) return invalid(details);
    return { limit, order, orderSpec, direction: direction as 'asc' | 'desc', offset };
  }

  /** One page of `list` as Sellsy answers it: `{pagination: {limit, count, total, offset}, data}`. */
  function page<T extends { id: number }>(records: ReadonlyMap<number, T>, list: Ordered, params: PageParams<T>): Reply {
    const total = list.ids.length;
    let from: number;
    let to: number;
    if (params.offset && 'numeric' in params.offset) {
      from = Math.min(params.offset.numeric, NUMERIC_OFFSET_CAP, total);
      to = Math.min(from + params.limit, NUMERIC_OFFSET_CAP, total);
    } else {
      from = params.offset ? seek(list, params.offset.cursor, params.direction) : 0;
      to = Math.min(from + params.limit, total);
    }
    const data: T[] = [];
    for (let i = from; i < to; i++) data.push(records.get(list.ids[i]!) as T);
    let offset: number | string;
    if (params.offset && 'numeric' in params.offset) offset = params.offset.numeric;
    else {
      const last = data[data.length - 1];
      if (last) offset = encodeCursor(params.orderSpec ? [params.orderSpec.cursorText(last), String(last.id)] : [String(last.id)]);
      else offset = params.offset ? params.offset.text : ''; // nothing returned: the same place again
    }
    return json(200, { pagination: { limit: params.limit, count: data.length, total, offset }, data });
  }

  return { invalid, malformed, searchFilters, pageParams, page };
}

/** Registers the CRM routes on the server's `/v2` router. */
export function registerCrmRoutes<Ctx>(api: Router<Ctx>, crm: SellsyCrm, helpers: RouteHelpers<Ctx>): void {
  const { needs, sellsyError } = helpers;
  const { invalid, malformed, searchFilters, pageParams, page } = sellsyReplies(sellsyError);
  const notFound = (what: string, id: string) => sellsyError({ status: 404, code: 'not_found', message: `${what} ${id} not found.` });
  const capped = <T>(params: PageParams<T>): PageParams<T> => ({ ...params, limit: Math.min(params.limit, crm.maxPageSize) });

  function kindRoutes<T extends { id: number }>(spec: KindSpec<T>, scope: string, label: string): void {
    const map = () => crm[spec.kind] as unknown as RecordMap<T>;
    const base = `/${spec.kind}`;

    api.add(
      'GET',
      base,
      needs(scope, (req) => {
        const params = pageParams(req.query, spec.orders);
        if (!('limit' in params)) return params;
        return page(map(), ordered(crm, spec, undefined, '', params.order, params.direction), capped(params));
      }),
    );

    api.add(
      'POST',
      `${base}/search`,
      needs(scope, (req) => {
        const search = searchFilters(req.body);
        if (!('filters' in search)) return search;
        const compiled = spec.compile(search.filters, crm);
        if ('errors' in compiled) return invalid(compiled.errors);
        const params = pageParams(req.query, spec.orders);
        if (!('limit' in params)) return params;
        return page(map(), ordered(crm, spec, compiled, JSON.stringify(search.filters), params.order, params.direction), capped(params));
      }),
    );

    api.add(
      'GET',
      `${base}/:id`,
      needs(scope, (req) => {
        const id = req.params.id ?? '';
        const record = /^\d{1,15}$/.test(id) ? map().get(Number(id)) : undefined;
        return record ? json(200, record) : notFound(label, id);
      }),
    );
  }

  kindRoutes(CONTACT_SPEC, 'contacts.read', 'Contact');
  kindRoutes(COMPANY_SPEC, 'companies.read', 'Company');
  kindRoutes(INDIVIDUAL_SPEC, 'individuals.read', 'Individual');

  api.add(
    'GET',
    '/contacts/:id/companies',
    needs(
      'contacts.read',
      needs('companies.read', (req) => {
        const id = req.params.id ?? '';
        if (!/^\d{1,15}$/.test(id) || !crm.contacts.has(Number(id))) return notFound('Contact', id);
        const params = pageParams(req.query, COMPANY_SPEC.orders);
        if (!('limit' in params)) return params;
        const linked = [...(crm.links.get(Number(id)) ?? [])].filter((companyId) => crm.companies.has(companyId)).sort((a, b) => a - b);
        const orderedIds = params.direction === 'desc' ? linked.reverse() : linked;
        // The spec declares no parameters here; ordering other than by id is not offered.
        return page(crm.companies, { ids: orderedIds, keys: undefined }, { ...params, order: 'id', orderSpec: null });
      }),
    ),
  );

  api.add(
    'POST',
    '/contacts',
    needs('contacts.write', (req) => {
      if (typeof req.body === 'string') return malformed();
      const result = validateContactCreate(req.body);
      if ('errors' in result) return invalid(result.errors);
      if (req.query.get('verify') === 'true') return { status: 204 };
      const contact = crm.addContact(result.fields);
      crm.stats.contactsCreated += 1;
      return json(201, contact);
    }),
  );

  // DELETE /contacts/{id} (contacts.write) → 204; the extension removes a duplicate lead it made.
  api.add(
    'DELETE',
    '/contacts/:id',
    needs('contacts.write', (req) => {
      const id = req.params.id ?? '';
      if (!/^\d{1,15}$/.test(id) || !crm.contacts.has(Number(id))) return notFound('Contact', id);
      crm.deleteContact(Number(id));
      return { status: 204 };
    }),
  );
}

const CONTACT_STRING_FIELDS = ['first_name', 'email', 'website', 'phone_number', 'mobile_number', 'fax_number', 'position', 'avatar', 'note'] as const;

/** `ContactCreateItem`: only `last_name` is required; read-only and unknown fields are ignored. */
function validateContactCreate(body: unknown): { fields: Partial<Contact> } | { errors: Record<string, string> } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { errors: { last_name: 'This field is missing.' } };
  const input = body as Record<string, unknown>;
  const errors: Record<string, string> = {};
  const fields: Partial<Contact> = {};
  if (input.last_name === undefined || input.last_name === null) errors.last_name = 'This field is missing.';
  else if (typeof input.last_name !== 'string') errors.last_name = 'This value should be of type string.';
  else if (input.last_name.trim() === '') errors.last_name = 'This value should not be blank.';
  else if (input.last_name.length > 200) errors.last_name = 'This value is too long. It should have 200 characters or less.';
  else fields.last_name = input.last_name;
  for (const name of CONTACT_STRING_FIELDS) {
    const value = input[name];
    if (value === undefined) continue;
    if (value !== null && typeof value !== 'string') errors[name] = 'This value should be of type string or null.';
    else if (name === 'first_name' && typeof value === 'string' && value.length > 200)
      errors[name] = 'This value is too long. It should have 200 characters or less.';
    else if (name === 'email' && typeof value === 'string' && value !== '' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value))
      errors[name] = 'This value is not a valid email address.';
    else fields[name] = value;
  }
  if (input.civility !== undefined) {
    if (input.civility !== null && input.civility !== 'mr' && input.civility !== 'mrs' && input.civility !== 'ms')
      errors.civility = 'The value should be one of mr, mrs, ms.';
    else fields.civility = input.civility;
  }
  if (input.birth_date !== undefined) {
    if (input.birth_date !== null && (typeof input.birth_date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(input.birth_date)))
      errors.birth_date = 'This value is not a valid date.';
    else fields.birth_date = input.birth_date;
  }
  if (input.is_archived !== undefined) {
    if (typeof input.is_archived !== 'boolean') errors.is_archived = 'This value should be of type boolean.';
    else fields.is_archived = input.is_archived;
  }
  if (input.owner_id !== undefined && input.owner_id !== null) {
    if (!Number.isSafeInteger(input.owner_id) || (input.owner_id as number) < 1)
      errors.owner_id = 'This value should be an integer greater than or equal to 1.';
    else fields.owner = owner(input.owner_id as number);
  }
  return Object.keys(errors).length ? { errors } : { fields };
}
