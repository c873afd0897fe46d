import type { AlloKeyErrorCode } from '../allo/api-key';
import type { AlloErrorCode } from '../allo/api-client';
import type { SellsyErrorCode } from '../sellsy/errors';
import type { Staff } from '../sellsy/staff';
import type { SyncStatus } from '../sync/status';
import type { PollRhythm } from '../calls/poll-budget';

/** What the popup shows of each service. Types only: the popup bundles this file. */
export type SellsyStatus =
  | { state: 'unavailable' }
  | { state: 'disconnected' }
  | { state: 'connected'; staff: Staff; problem?: SellsyErrorCode }
  | { state: 'revoked'; staff?: Staff };

export type AlloStatus =
  /**
   * `managed`: the administrator set a key, which is not in use: Allo refused it (`refused`),
   * could not check it and it is tried again (`unchecked`), or it is being checked ({}). The
   * user's own key is never used in its place.
   */
  | { state: 'disconnected'; managed?: { refused?: ActionError; unchecked?: ActionError } }
  | {
      state: 'connected';
      teamName?: string;
      scopes: string[];
      problem?: AlloErrorCode;
      /** Set by the administrator's policy. */
      managed?: true;
      /** How often this browser looks for calls, once Allo has said what the key allows. */
      rhythm?: PollRhythm;
    };

export interface Status {
  sellsy: SellsyStatus;
  allo: AlloStatus;
  sync: SyncStatus;
  /** Chrome had not yet said what the administrator's policy is: this status assumes none, for now. */
  policyPending?: true;
}

export interface ActionError {
  /** `storage-open`: Chrome could not close storage.local to content scripts, so no secret is stored. */
  code: SellsyErrorCode | AlloKeyErrorCode | 'storage-open' | 'managed' | 'bad-client-id';
  /** English fallback; the UI words the code in the user's language. */
  message: string;
}

export type ActionResult = { ok: true; status: Status } | { ok: false; error: ActionError; status: Status };
