import type { CallLogger } from '@/lib/calls/call-logger-choice';
import type { PollRhythm } from '@/lib/calls/poll-budget';
import { explainRhythm, type RhythmExplanation } from '@/lib/calls/poll-rhythm';
import { plural, t } from './i18n';

/** How often this browser looks for calls in Allo, and why (issue 22, item 4). */
export function PollRhythmNote({ rhythm, logger }: { rhythm: PollRhythm | undefined; logger: CallLogger }) {
  const text = rhythmText(explainRhythm(rhythm, logger));
  return text ? <p class="hint rhythm">{text}</p> : null;
}

/** The sentence for an explanation; undefined while Allo has not said what the key allows. */
export function rhythmText(explanation: RhythmExplanation | undefined): string | undefined {
  if (!explanation) return undefined;
  if (!explanation.polls) return t('rhythmNone');
  const { every, why, users } = explanation;
  const often = plural(every.unit === 'hour' ? 'rhythmEveryHours' : 'rhythmEveryMinutes', every.count);
  switch (why) {
    case 'team':
      return plural('rhythmTeam', users, often);
    case 'assumed-team':
      return plural('rhythmAssumed', users, often);
    case 'unreached-team':
      return plural('rhythmUnreached', users, often);
    case 'key-busy':
      return t('rhythmBusy', often);
    case 'idle-browser':
      return t('rhythmIdle', often);
  }
}
