import type { CDPSession } from 'playwright-core';

/** Where the scan's time goes, in ms per part. */
export type ProfileBreakdown = Record<ProfilePart, number>;

export type ProfilePart =
  | 'walk'
  | 'candidate finding'
  | 'fast path'
  | 'libphonenumber parse and validation'
  | 'DOM mutation'
  | 'mutation records'
  | 'garbage collection'
  | 'other script'
  | 'outside script (rendering, idle)';

// The innermost of these functions on a sample's stack names the part it counts for. The
// profiled bundle is not minified, so the names are the source's.
const PART_OF_FUNCTION: Record<string, ProfilePart> = {
  step: 'walk',
  visitElement: 'walk',
  verdictOf: 'walk',
  inScope: 'walk',
  judgeElement: 'walk',
  visitText: 'walk',
  startJob: 'walk',
  run: 'walk',
  judgeAncestors: 'walk',
  findNumbers: 'candidate finding',
  findNumbersInText: 'candidate finding',
  mayContainNumber: 'candidate finding',
  parseCandidate: 'candidate finding',
  splitIntoNumbers: 'candidate finding',
  digitCount: 'candidate finding',
  onlyNumberOf: 'candidate finding',
  singleNumberOf: 'candidate finding',
  wholeFrenchNumber: 'fast path',
  toE164: 'fast path',
  dialledDigits: 'fast path',
  frenchPlanE164: 'fast path',
  withOverseasCode: 'fast path',
  libraryE164: 'libphonenumber parse and validation',
  decorate: 'DOM mutation',
  undecorate: 'DOM mutation',
  label: 'DOM mutation',
  split: 'DOM mutation',
  unsplit: 'DOM mutation',
  handleRecords: 'mutation records',
  '(garbage collector)': 'garbage collection',
  '(program)': 'outside script (rendering, idle)',
  '(idle)': 'outside script (rendering, idle)',
};

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Runs `run` under V8's sampling profiler and sorts the samples into the scan's parts. */
export async function profileParts(cdp: CDPSession, run: () => Promise<void>): Promise<ProfileBreakdown> {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  await run();
  const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
  await cdp.send('Profiler.disable');

  // PROFILE_OUT=file.cpuprofile keeps the raw profile (DevTools opens it).
  if (process.env.PROFILE_OUT) (await import('node:fs')).writeFileSync(process.env.PROFILE_OUT, JSON.stringify(profile));
  const parent = new Map<number, number>();
  const byId = new Map<number, ProfileNode>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const partOfNode = new Map<number, ProfilePart>();
  const partOf = (id: number): ProfilePart => {
    const known = partOfNode.get(id);
    if (known) return known;
    let part: ProfilePart = 'other script';
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const named = PART_OF_FUNCTION[byId.get(cur)!.callFrame.functionName];
      if (named) {
        part = named;
        break;
      }
    }
    partOfNode.set(id, part);
    return part;
  };
  const totals = Object.fromEntries(Object.values(PART_OF_FUNCTION).map((part) => [part, 0])) as ProfileBreakdown;
  totals['other script'] = 0;
  // timeDeltas[i] is the time before sample i; it is the previous sample's duration.
  for (let i = 1; i < profile.samples.length; i++) {
    totals[partOf(profile.samples[i - 1]!)] += profile.timeDeltas[i]! / 1000;
  }
  return totals;
}
