import { storage } from '#imports';
import * as v from 'valibot';
import { appUrlOf, type ManagedSettings, recordPathsOf } from '../policy/managed-settings';
import { DEFAULT_RECORD_PATHS, isRecordPath, RECORD_PATHS, type RecordLinks, type RecordPath, type RecordPaths } from '../sellsy/record-url';

/**
 * Where record links point, when Sellsy's app is not where the build says: the app's address and
 * its record paths, set by the user in the options or by the administrator's policy. The policy
 * wins part by part, then the user's, then the build's (`WXT_SELLSY_APP_URL`) and Sellsy's paths.
 */
export interface UserRecordLinks {
  appUrl?: string;
  paths?: Partial<RecordPaths>;
}

export interface RecordLinksView {
  /** What links use now. */
  effective: RecordLinks;
  /** What the user set (shown in the form). */
  user: UserRecordLinks;
  /** The build's, shown as placeholders. */
  defaults: RecordLinks;
  /** The parts the policy sets: locked in the form. */
  managed: { appUrl: boolean; paths: RecordPath[] };
}

export type SetRecordLinksResult = { ok: true; view: RecordLinksView } | { ok: false; reason: 'app-url' | RecordPath };
type Saved = { ok: true } | { ok: false; reason: 'app-url' | RecordPath };

// In `sync`: the company's Sellsy address is the same wherever the user signs in to Chrome.
const userRecordLinksItem = storage.defineItem<UserRecordLinks | null>('sync:sellsyRecordLinks', { fallback: null, version: 1 });

// Each part read on its own: a part of another shape (another device's version) loses only itself.
const Stored = v.object({ appUrl: v.optional(v.unknown()), paths: v.optional(v.unknown()) });
const StoredPaths = v.record(v.string(), v.unknown());

/** The stored value, each part checked again: a hand-edited or foreign part is skipped. */
async function readUserLinks(): Promise<UserRecordLinks> {
  const parsed = v.safeParse(Stored, await userRecordLinksItem.getValue());
  if (!parsed.success) return {};
  const appUrl = typeof parsed.output.appUrl === 'string' ? appUrlOf(parsed.output.appUrl) : undefined;
  const storedPaths = v.safeParse(StoredPaths, parsed.output.paths);
  const paths = storedPaths.success ? recordPathsOf(storedPaths.output, 'stored setting') : {};
  return { ...(appUrl ? { appUrl } : {}), ...(Object.keys(paths).length > 0 ? { paths } : {}) };
}

export async function recordLinksView(buildAppUrl: string, managed: Pick<ManagedSettings, 'sellsyAppUrl' | 'sellsyRecordPaths'>): Promise<RecordLinksView> {
  const user = await readUserLinks();
  const defaults: RecordLinks = { appUrl: buildAppUrl, paths: { ...DEFAULT_RECORD_PATHS } };
  const effective: RecordLinks = {
    appUrl: managed.sellsyAppUrl ?? user.appUrl ?? buildAppUrl,
    paths: { ...DEFAULT_RECORD_PATHS, ...user.paths, ...managed.sellsyRecordPaths },
  };
  return {
    effective,
    user,
    defaults,
    managed: { appUrl: managed.sellsyAppUrl !== undefined, paths: RECORD_PATHS.filter((key) => managed.sellsyRecordPaths?.[key] !== undefined) },
  };
}

/**
 * Saves what the user typed: an empty field goes back to the default; a part that cannot be
 * used is refused with the field it is in, and nothing is saved.
 */
export async function setUserRecordLinks(input: { appUrl: string; paths: Partial<Record<RecordPath, string>> }): Promise<Saved> {
  const next: UserRecordLinks = {};
  const appUrl = input.appUrl.trim();
  if (appUrl !== '') {
    const checked = appUrlOf(appUrl);
    if (!checked) return { ok: false, reason: 'app-url' };
    next.appUrl = checked;
  }
  const paths: Partial<RecordPaths> = {};
  for (const key of RECORD_PATHS) {
    const typed = input.paths[key]?.trim() ?? '';
    if (typed === '') continue;
    if (!isRecordPath(typed)) return { ok: false, reason: key };
    paths[key] = typed;
  }
  if (Object.keys(paths).length > 0) next.paths = paths;
  await userRecordLinksItem.setValue(Object.keys(next).length > 0 ? next : null);
  return { ok: true };
}
