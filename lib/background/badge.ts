import type { Browser } from '#imports';

/** The part of `browser.action` the badge writes. */
export type BadgeAction = Pick<typeof Browser.action, 'setBadgeText' | 'setBadgeBackgroundColor'>;

export const ERROR_BADGE_COLOR = '#b91c1c';

/** The toolbar button counts the calls that need the user (an error state); none, no badge. */
export async function showErrorBadge(action: BadgeAction, errors: number): Promise<void> {
  await action.setBadgeText({ text: errors > 0 ? String(errors) : '' });
  await action.setBadgeBackgroundColor({ color: ERROR_BADGE_COLOR });
}
