import type { Status } from './status';

/** The popup's one status line (issue 26, item 12): who is connected, and the contacts. */
export interface AllWell {
  sellsyName: string;
  alloTeam?: string;
  contacts: number;
  /** When the last sync ended well (epoch ms); absent while one runs. */
  syncedAt?: number;
  syncing: boolean;
}

/**
 * Both services connected with nothing to report, and the contacts synced at least once: the
 * popup folds its connection cards into one line, so five calls fit in Chrome's 600 px. Anything
 * a person must see or act on (not connected, revoked, a failing key, a first sync, a failed
 * sync) brings the cards back: null.
 */
export function allWell(status: Status): AllWell | null {
  const { sellsy, allo, sync } = status;
  if (sellsy.state !== 'connected' || sellsy.problem) return null;
  if (allo.state !== 'connected' || allo.problem) return null;
  if (sync.lastError || sync.lastSuccessAt === undefined || sync.cached === undefined) return null;
  // The first sync shows its progress in its card; a later one is a word on the line.
  if (sync.running && sync.phase === 'full') return null;
  return {
    sellsyName: sellsy.staff.name,
    ...(allo.teamName ? { alloTeam: allo.teamName } : {}),
    contacts: sync.cached,
    ...(sync.running ? {} : { syncedAt: sync.lastSuccessAt }),
    syncing: sync.running === true,
  };
}
