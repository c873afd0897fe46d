import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { t, type MessageKey } from '@/components/i18n';

interface Props {
  id: string;
  title: MessageKey;
  done: boolean;
  current: boolean;
  /** One line: what was done, or what to do. */
  summary: string;
  children: ComponentChildren;
}

/**
 * One step of the first-run guide: a heading with done / to do and a one-line summary, and the
 * step's controls, shown for the current step and on demand for the others. A step folds as it
 * turns done, so the page shrinks to what is left; the user can still open it.
 */
export function GuideStep({ id, title, done, current, summary, children }: Props) {
  const [open, setOpen] = useState(current && !done);
  // The current step opens as the user gets to it; a finished one folds.
  useEffect(() => {
    if (current) setOpen(true);
  }, [current]);
  useEffect(() => {
    if (done) setOpen(false);
  }, [done]);
  return (
    <section class={`card step${done ? ' step-done' : ''}`} aria-labelledby={`${id}-title`}>
      <div class="step-head">
        <span class="step-mark" aria-hidden="true">
          {done ? '✓' : ''}
        </span>
        <h2 id={`${id}-title`}>{t(title)}</h2>
        <span class={done ? 'ok step-state' : 'step-state'}>{done ? t('guideDone') : t('guideToDo')}</span>
      </div>
      <p class="hint">{summary}</p>
      <button type="button" class="link" aria-expanded={open} aria-controls={`${id}-body`} onClick={() => setOpen(!open)}>
        {open ? t('guideHide') : t('guideShow')}
      </button>
      <div id={`${id}-body`} hidden={!open}>
        {children}
      </div>
    </section>
  );
}
