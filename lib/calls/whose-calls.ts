import { storage } from '#imports';
import { AlloError, type AlloClient, type AlloUser } from '../allo/api-client';
import { readManagedSettings } from '../policy/managed-settings';
import { followSellsyAccount } from './calls-account';
import { loggingStart } from './poll-state';

/**
 * Whose calls this browser logs. An Allo key sees the whole team's calls; logging them all
 * would log every call once per teammate's browser. So: the Allo user with the Sellsy staff's
 * e-mail, or the one the user picked.
 */
export interface AlloUserChoice {
  id: string;
  name: string;
  email?: string;
  how: 'email' | 'picked';
}

export const alloUserChoice = storage.defineItem<AlloUserChoice | null>('local:alloUser', { fallback: null, version: 1 });

/**
 * The last e-mail no Allo user had, and when: Allo's users are asked again after an hour (a
 * teammate may have been added), not at every poll. Cleared by a new key or the user's pick.
 */
export const alloUserMiss = storage.defineItem<{ email: string; at: number } | null>('local:alloUserMiss', { fallback: null, version: 1 });
const MISS_TTL_MS = 60 * 60_000;

export async function resolveAlloUser(allo: AlloClient, staffEmail: string | undefined, now = Date.now()): Promise<AlloUserChoice | null> {
  const saved = await alloUserChoice.getValue();
  // An administrator may require the e-mail match: a pick made before the policy no longer counts.
  if (saved && !(saved.how === 'picked' && (await readManagedSettings()).matchAlloUserByEmail)) return saved;
  if (!staffEmail) return null;
  const email = staffEmail.toLowerCase();
  const miss = await alloUserMiss.getValue();
  if (miss && miss.email === email && now - miss.at >= 0 && now - miss.at < MISS_TTL_MS) return null;
  const users = await allo.users().catch((error) => {
    // Without USERS_READ the user picks themselves (options).
    if (error instanceof AlloError && error.code === 'forbidden') return [];
    throw error;
  });
  const match = users.find((user) => user.email?.toLowerCase() === email);
  if (!match) {
    await alloUserMiss.setValue({ email, at: now });
    return null;
  }
  const choice: AlloUserChoice = { id: match.id, name: match.name ?? match.email ?? match.id, ...(match.email ? { email: match.email } : {}), how: 'email' };
  await alloUserChoice.setValue(choice);
  return choice;
}

/** Whose calls are looked for, and the Sellsy account (staff id) they are logged as. */
export interface CallsOwner {
  user: AlloUserChoice;
  account: string | undefined;
}

/**
 * Whose calls to look for, for the connected Sellsy staff. Another person connected Sellsy:
 * their Allo identity, not the last one's (the poller starts a new position for another
 * account by itself). Null while no Allo user is known.
 */
export async function resolveCallsOwner(allo: AlloClient, staff: { id: number; email?: string } | undefined): Promise<CallsOwner | null> {
  const account = staff ? String(staff.id) : undefined;
  // When Allo was connected goes too: it was the last person's start, and another person
  // starts afresh, at their own first look for calls.
  if (account) await followSellsyAccount(account, [alloUserChoice, alloUserMiss, { removeValue: loggingStart.forget }]);
  const user = await resolveAlloUser(allo, staff?.email);
  return user ? { user, account } : null;
}

/** An Allo user as the options page lists them and the user picks one. */
export interface AlloUserPick {
  id: string;
  name: string;
  email?: string;
}

/** The user picked whose calls to log (null: match by e-mail again); a past miss no longer counts. */
export async function pickAlloUser(user: AlloUserPick | null): Promise<void> {
  await (user ? alloUserChoice.setValue({ ...user, how: 'picked' }) : alloUserChoice.removeValue());
  await alloUserMiss.removeValue();
}

/** The Allo users one may pick, as the options page lists them. */
export async function listCandidateUsers(allo: AlloClient): Promise<AlloUserPick[]> {
  return (await candidateUsers(allo)).map((user) => ({ id: user.id, name: user.name ?? user.email ?? user.id, ...(user.email ? { email: user.email } : {}) }));
}

/** Who the user may pick: Allo's users, or, without USERS_READ, the people seen in recent calls. */
export async function candidateUsers(allo: AlloClient, now = Date.now()): Promise<AlloUser[]> {
  try {
    return (await allo.users()).filter((user) => !user.status || user.status === 'ACTIVE');
  } catch (error) {
    if (!(error instanceof AlloError && error.code === 'forbidden')) throw error;
  }
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const { items } = await allo.searchCalls({ from: day(now - 7 * 24 * 60 * 60_000), to: day(now + 24 * 60 * 60_000), page: 1 });
  const seen = new Map<string, AlloUser>();
  for (const item of items) if (item.user && !seen.has(item.user.id)) seen.set(item.user.id, item.user);
  return [...seen.values()];
}
