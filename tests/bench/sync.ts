/**
 * Contact-cache figures with the built extension in headless Chromium: a full first sync of
 * 100,000 Sellsy contacts against the local server limited to 5 requests a second (next to
 * that limit's floor), the service worker's memory during it, and lookup latency with the
 * cache full. Prints figures; asserts nothing.
 *   contacts: first argument, default 100000.
 */
import { startAlloServer } from '../servers/allo';
import { ALLO_PORT, SANDBOX_CLIENT_ID, SELLSY_PORT } from '../servers/sandbox-ports';
import { startSellsyServer } from '../servers/sellsy';
import { launchExtension } from '../e2e/extension';

const contacts = Number(process.argv[2] ?? 100_000);
const sellsy = await startSellsyServer({ port: SELLSY_PORT, clientId: SANDBOX_CLIENT_ID, autoApprove: true, accessTokenTtlS: 24 * 3600 });
const allo = await startAlloServer({ port: ALLO_PORT });
sellsy.crm.seed({ contacts, companies: 0, individuals: 0, seed: 1 });
sellsy.rateLimitPerSecond = 5;

const extension = await launchExtension();
const { context, worker, extensionId } = extension;

/**
 * The service worker's JS heap over CDP. Playwright opens CDP sessions on pages only, so this
 * goes through the browser session with Target.sendMessageToTarget.
 */
async function workerHeap(): Promise<() => Promise<number | undefined>> {
  const browserCdp = await context.browser()!.newBrowserCDPSession();
  const { targetInfos } = await browserCdp.send('Target.getTargets');
  const target = targetInfos.find((t) => t.type === 'service_worker' && t.url.startsWith(`chrome-extension://${extensionId}/`));
  if (!target) return async () => undefined;
  const { sessionId } = await browserCdp.send('Target.attachToTarget', { targetId: target.targetId, flatten: false });
  let nextId = 1;
  const pending = new Map<number, (used: number) => void>();
  browserCdp.on('Target.receivedMessageFromTarget', (event) => {
    const message = JSON.parse(event.message) as { id?: number; result?: { usedSize?: number } };
    if (message.id !== undefined) pending.get(message.id)?.(message.result?.usedSize ?? 0);
  });
  return () =>
    new Promise((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      void browserCdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method: 'Runtime.getHeapUsage' }) });
      setTimeout(() => resolve(undefined), 2_000);
    });
}

interface SyncState {
  running?: boolean;
  lastSuccessAt?: number;
  cached?: number;
  done?: number;
  total?: number;
  lastError?: { message: string };
}
const syncState = async () => (((await worker.evaluate(`chrome.storage.local.get('syncStatus')`)) as { syncStatus?: SyncState }).syncStatus ?? {}) as SyncState;

const popup = await context.newPage();
await popup.goto(`chrome-extension://${extensionId}/popup.html`);
const started = Date.now();
await popup.getByRole('button', { name: 'Connect Sellsy', exact: true }).click();

const heapOf = await workerHeap();
let peakHeap = 0;
let lastPrint = 0;
for (;;) {
  const state = await syncState();
  peakHeap = Math.max(peakHeap, (await heapOf()) ?? 0);
  if (Date.now() - lastPrint > 15_000) {
    lastPrint = Date.now();
    console.error(`  … ${state.done ?? 0} of ${state.total ?? '?'} after ${Math.round((Date.now() - started) / 1000)} s`);
  }
  if (state.lastSuccessAt || state.lastError) break;
  await new Promise((resolve) => setTimeout(resolve, 500));
}
const elapsedS = (Date.now() - started) / 1000;
const final = await syncState();
const requests = sellsy.requests.filter((r) => r.path.startsWith('/v2/') && r.path !== '/v2/staffs/me').length;

// The daily reconciliation, a day later: every cached id asked about, 100 at a time. The saved
// sync state is aged by a day (the worker reads it at each pass), then "Sync now" runs a pass.
const AGE_A_DAY = `(async () => {
  const db = await new Promise((resolve, reject) => { const r = indexedDB.open('allo-for-sellsy'); r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
  const store = db.transaction('meta', 'readwrite').objectStore('meta');
  const sync = await new Promise((resolve) => { const r = store.get('sync'); r.onsuccess = () => resolve(r.result); });
  for (const state of Object.values(sync)) state.reconciledAt = 0;
  await new Promise((resolve) => { const r = store.put(sync, 'sync'); r.onsuccess = resolve; });
})()`;
await worker.evaluate(AGE_A_DAY);
const requestsBefore = sellsy.requests.length;
const firstSuccess = final.lastSuccessAt;
const reconcileStarted = Date.now();
await popup.getByRole('button', { name: 'Sync now', exact: true }).click();
for (;;) {
  const state = await syncState();
  if ((state.lastSuccessAt && state.lastSuccessAt !== firstSuccess) || state.lastError) break;
  await new Promise((resolve) => setTimeout(resolve, 500));
}
const reconcileS = (Date.now() - reconcileStarted) / 1000;
const reconcileRequests = sellsy.requests.slice(requestsBefore).filter((r) => r.path.startsWith('/v2/') && r.path !== '/v2/staffs/me');
const idSearches = reconcileRequests.filter(
  (r) => r.method === 'POST' && typeof r.body === 'object' && r.body !== null && 'id' in ((r.body as { filters?: object }).filters ?? {}),
);

// Lookups: the content script's question is one read of the multiEntry index.
const LOOKUP = `(async () => {
  const db = await new Promise((resolve, reject) => { const r = indexedDB.open('allo-for-sellsy'); r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
  const keys = await new Promise((resolve) => { const r = db.transaction('records').objectStore('records').index('phones').getAllKeys(null, 5000); r.onsuccess = () => resolve(r.result); });
  const numbers = await new Promise((resolve) => { const r = db.transaction('records').objectStore('records').getAll(null, 1000); r.onsuccess = () => resolve(r.result.map((x) => x.phones[0])); });
  const times = [];
  for (let i = 0; i < 1000; i++) {
    const number = i % 10 === 0 ? '+33100000000' : numbers[(i * 7919) % numbers.length];
    const t0 = performance.now();
    await new Promise((resolve) => { const r = db.transaction('records').objectStore('records').index('phones').getAll(number); r.onsuccess = () => resolve(r.result); });
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50: times[500], p99: times[990], keys: keys.length };
})()`;
const lookups = (await worker.evaluate(LOOKUP)) as { p50: number; p99: number };

// The side panel's name search, as the panel asks it (a message to the worker, the index in its
// memory, the ≤ 20 records read back, the answer back), on queries a person types: a start of a
// last name, a first and a last name started, a whole first name, one letter. The first search
// after the sync builds the index from the records and saves its snapshot; it is timed apart.
const SEARCH = `(async () => {
  const db = await new Promise((resolve, reject) => { const r = indexedDB.open('allo-for-sellsy'); r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
  const store = () => db.transaction('records').objectStore('records');
  const sample = await new Promise((resolve) => { const r = store().getAll(null, 5000); r.onsuccess = () => resolve(r.result); });
  const records = await new Promise((resolve) => { const r = store().count(); r.onsuccess = () => resolve(r.result); });
  const ask = (id, query) => chrome.runtime.sendMessage({ id, type: 'searchRecords', data: { query }, timestamp: Date.now() });
  let t0 = performance.now();
  await ask(1, 'mar');
  const build = performance.now() - t0;
  const queries = [];
  for (let i = 0; i < 500; i++) {
    const words = sample[(i * 7919) % sample.length].words;
    const first = words[0] ?? 'a';
    const last = words[words.length - 1] ?? 'b';
    const forms = [last.slice(0, 3), last.slice(0, 3) + ' ' + first.slice(0, 2), first, first.slice(0, 1), last.slice(0, 5) + ' ' + first.slice(0, 1)];
    queries.push(forms[i % forms.length]);
  }
  const times = [];
  let found = 0;
  for (let i = 0; i < queries.length; i++) {
    t0 = performance.now();
    const answer = await ask(i + 2, queries[i]);
    times.push(performance.now() - t0);
    found += answer?.res?.records?.length ?? 0;
  }
  times.sort((a, b) => a - b);
  // The snapshot as stored: typed arrays by their bytes, strings by their UTF-8 bytes.
  t0 = performance.now();
  const snapshot = await new Promise((resolve) => { const r = db.transaction('searchIndex').objectStore('searchIndex').get('names'); r.onsuccess = () => resolve(r.result); });
  const read = performance.now() - t0;
  const encoder = new TextEncoder();
  const bytes = Object.values(snapshot ?? {}).reduce((sum, part) => sum + (typeof part === 'string' ? encoder.encode(part).length : ArrayBuffer.isView(part) ? part.byteLength : 8), 0);
  const estimate = await navigator.storage.estimate();
  return { build, p50: times[250], p95: times[475], max: times[499], found: found / queries.length, records, bytes, read, words: snapshot?.wordEnds.length ?? 0, postings: snapshot?.postings.length ?? 0, usage: estimate.usageDetails?.indexedDB ?? estimate.usage };
})()`;
const search = (await popup.evaluate(SEARCH)) as {
  build: number;
  p50: number;
  p95: number;
  max: number;
  found: number;
  records: number;
  bytes: number;
  read: number;
  words: number;
  postings: number;
  usage: number;
};

// A worker wake: Chrome stops the service worker (as it does after 30 s idle), and the next
// search starts it, opens the database and loads the snapshot. A number lookup sent at the same
// moment shows how long the load holds other messages; the same lookup alone after a wake is the
// baseline.
const cdp = await context.newCDPSession(popup);
await cdp.send('ServiceWorker.enable');
const anyNumber = (await popup.evaluate(`(async () => {
  const db = await new Promise((resolve, reject) => { const r = indexedDB.open('allo-for-sellsy'); r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
  return new Promise((resolve) => { const r = db.transaction('records').objectStore('records').getAll(null, 1); r.onsuccess = () => resolve(r.result[0].phones[0]); });
})()`)) as string;
const timed = (body: string) =>
  popup.evaluate(`(async () => {
    const send = (id, type, data) => { const t0 = performance.now(); return chrome.runtime.sendMessage({ id, type, data, timestamp: Date.now() }).then(() => performance.now() - t0); };
    ${body}
  })()`) as Promise<number[]>;
const wakes: { search: number; lookupBeside: number; lookupAlone: number }[] = [];
for (let round = 0; round < 3; round++) {
  await cdp.send('ServiceWorker.stopAllWorkers');
  await new Promise((resolve) => setTimeout(resolve, 500));
  const [lookupAlone] = await timed(`return [await send(1, 'numberRecords', { e164: '${anyNumber}' })];`);
  await cdp.send('ServiceWorker.stopAllWorkers');
  await new Promise((resolve) => setTimeout(resolve, 500));
  const [search, lookupBeside] = await timed(
    `const search = send(2, 'searchRecords', { query: 'dup ma' }); await new Promise((r) => setTimeout(r, 5)); return Promise.all([search, send(3, 'numberRecords', { e164: '${anyNumber}' })]);`,
  );
  wakes.push({ search: search ?? 0, lookupBeside: lookupBeside ?? 0, lookupAlone: lookupAlone ?? 0 });
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

await extension.close();
await sellsy.close();
await allo.close();

const pages = Math.ceil(contacts / 100);
// Every request the sync made (counts, pages, the incremental pass after it) at exactly 5/s.
const floorS = requests / 5;
console.log(`Contact cache: full sync of ${contacts} Sellsy contacts, local server limited to 5 requests/s, headless Chromium`);
if (final.lastError) console.log(`  sync FAILED: ${final.lastError.message}`);
console.log(
  `  full sync                       ${elapsedS.toFixed(1)} s for ${requests} requests (${pages} pages of 100 contacts); at exactly 5/s they take ${floorS.toFixed(1)} s`,
);
console.log(`  records cached                  ${final.cached} (contacts with a callable number)`);
console.log(
  `  daily reconciliation            ${reconcileS.toFixed(1)} s for ${reconcileRequests.length} requests (${idSearches.length} id searches of up to 100 cached ids, and the incremental pass before them)`,
);
console.log(`  service worker JS heap, peak    ${peakHeap ? `${(peakHeap / 1024 / 1024).toFixed(1)} MiB` : 'not measured'}`);
console.log(`  lookup by number (index read)   p50 ${lookups.p50.toFixed(2)} ms, p99 ${lookups.p99.toFixed(2)} ms with ${final.cached} records`);
console.log(
  `  search by name (panel → worker) p50 ${search.p50.toFixed(2)} ms, p95 ${search.p95.toFixed(2)} ms, max ${search.max.toFixed(2)} ms over 500 queries (${search.found.toFixed(1)} records found on average)`,
);
console.log(`  first search after the sync     ${search.build.toFixed(0)} ms (builds the index from ${search.records} records and saves its snapshot)`);
console.log(
  `  name search snapshot            ${(search.bytes / 1024 / 1024).toFixed(1)} MiB in one IndexedDB value (${search.words} words, ${search.postings} postings, ${search.records} records), read in ${search.read.toFixed(0)} ms; no words index; IndexedDB in all ${(search.usage / 1024 / 1024).toFixed(1)} MiB`,
);
console.log(
  `  after a worker wake (median of 3) first search ${median(wakes.map((w) => w.search)).toFixed(0)} ms (worker start, snapshot load); a number lookup sent beside it ${median(wakes.map((w) => w.lookupBeside)).toFixed(0)} ms, alone ${median(wakes.map((w) => w.lookupAlone)).toFixed(0)} ms`,
);
