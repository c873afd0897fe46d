// `npm run test:model` runs the model test on its fixed seed (200 histories), as `npm test` does;
// `npm run test:model -- --runs N [--seed S]` soaks it: N histories on a fresh seed (or S), one
// line of figures at the end. A failure prints the shrunk history with its seed and path.
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { runs: { type: 'string' }, seed: { type: 'string' } } });
const env = { ...process.env };
if (values.runs) env.MODEL_RUNS = values.runs;
if (values.seed) env.MODEL_SEED = values.seed;
const started = Date.now();
const { status } = spawnSync('npx', ['vitest', 'run', '--config', 'tests/model/vitest.config.ts'], { stdio: 'inherit', env });
console.log(`model test: ${((Date.now() - started) / 1000).toFixed(0)} s`);
process.exit(status ?? 1);
