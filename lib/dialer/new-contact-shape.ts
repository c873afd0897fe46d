/** What the side panel's "Create contact" sends and hears back (no code: the panel bundles it). */

/** What the panel sends, trimmed and bounded at the message's edge (register-handlers.ts). */
export interface NewContactInput {
  e164: string;
  firstName: string;
  lastName: string;
  /** Optional: written as text on the contact (no company is created or linked; docs/sellsy-and-allo.md). */
  company: string;
}

/** What went wrong, in the terms the panel words for the person. */
export type NewContactProblem = 'refused' | 'no-rights' | 'offline' | 'busy' | 'disconnected';

export type NewContactResult =
  /** `created: false`: Sellsy already had a contact with the number (one a lost answer made, or a colleague's). */
  { ok: true; created: boolean; name: string } | { ok: false; problem: NewContactProblem };

/** 200 characters each, as Sellsy's `ContactCreateItem` allows. */
export const NAME_MAX = 200;
/** A company's name in Sellsy is at most 250 characters. */
export const COMPANY_MAX = 250;
