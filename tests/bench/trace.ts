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
  /** From the first content-script task's start to the last one's end, in ms. */
  ownSpanMs: number;
  /** Time inside content-script tasks, in ms. */
  ownTasksMs: number;
  /** Time inside other tasks during that span (the page's rendering of what we changed), in ms. */
  otherTasksInSpanMs: number;
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
  const ownTasks = tasks.filter((task) => scripted.some((e) => e.pid === task.pid && e.tid === task.tid && e.ts >= task.ts && e.ts <= task.ts + task.dur!));
  const ms = (task: TraceEvent) => task.dur! / 1000;
  const spanStart = Math.min(...ownTasks.map((task) => task.ts));
  const spanEnd = Math.max(...ownTasks.map((task) => task.ts + task.dur!));
  const own = new Set(ownTasks);
  const mainThread = ownTasks[0];
  const others = tasks.filter(
    (task) => !own.has(task) && task.pid === mainThread?.pid && task.tid === mainThread.tid && task.ts >= spanStart && task.ts + task.dur! <= spanEnd,
  );
  const sum = (list: TraceEvent[]) => list.reduce((total, task) => total + ms(task), 0);
  return {
    ownSpanMs: ownTasks.length > 0 ? (spanEnd - spanStart) / 1000 : 0,
    ownTasksMs: sum(ownTasks),
    otherTasksInSpanMs: sum(others),
    longestOwnTaskMs: Math.max(0, ...ownTasks.map(ms)),
    ownTasksOver50: ownTasks.filter((task) => ms(task) > 50).length,
    longestAnyTaskMs: Math.max(0, ...tasks.map(ms)),
  };
}
