import type { CDPSession } from 'playwright-core';

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { data?: { url?: string; scriptName?: string } };
}

export interface TaskFigures {
  /** Longest main-thread task that ran content-script code, in ms. */
  longestOwnTaskMs: number;
  ownTasksOver50: number;
  /** Longest main-thread task of any kind (the page's own layout and paint included), in ms. */
  longestAnyTaskMs: number;
  /** Time inside content-script tasks, in ms (the script's start included). */
  ownTasksMs: number;
}

/** Records the renderer's tasks while `run` goes, and sorts out the ones our script ran in. */
export async function traceTasks(cdp: CDPSession, scriptUrlPart: string, run: () => Promise<void>): Promise<TaskFigures> {
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (event) => events.push(...(event.value as unknown as TraceEvent[])));
  const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline,v8.execute', transferMode: 'ReportEvents' });
  await run();
  await cdp.send('Tracing.end');
  await complete;

  const tasks = events.filter((e) => e.name === 'RunTask' && e.ph === 'X' && e.dur !== undefined);
  const scripted = events.filter((e) => e.ph === 'X' && JSON.stringify(e.args?.data ?? {}).includes(scriptUrlPart));
  // A task is the content script's when its code ran for most of it (what that code forced,
  // a layout or a style recalc, included): a frame whose animation callbacks include one of
  // ours that only schedules work is the page's rendering, not ours.
  const ownTasks = tasks.filter((task) => {
    const inside = scripted.filter((e) => e.pid === task.pid && e.tid === task.tid && e.ts >= task.ts && e.ts <= task.ts + task.dur!);
    return inside.length > 0 && Math.max(...inside.map((e) => e.dur ?? 0)) >= task.dur! / 2;
  });
  const ms = (task: TraceEvent) => task.dur! / 1000;
  return {
    ownTasksMs: ownTasks.reduce((total, task) => total + ms(task), 0),
    longestOwnTaskMs: Math.max(0, ...ownTasks.map(ms)),
    ownTasksOver50: ownTasks.filter((task) => ms(task) > 50).length,
    longestAnyTaskMs: Math.max(0, ...tasks.map(ms)),
  };
}
