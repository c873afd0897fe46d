// @vitest-environment node
/**
 * The two sandbox builds are made for the ports the tests start their servers on: a port out of
 * step would leave an end-to-end group talking to nothing (or to the other group's servers).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ALLO_PORT, DIALER_PORT, PAGES_PORT, SANDBOX_CLIENT_ID, SECOND_SANDBOX, SELLSY_PORT } from '../servers/sandbox-ports';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const envOf = (file: string) => parseEnv(readFileSync(join(ROOT, file), 'utf8'));

describe.each([
  ['.env.sandbox', 0],
  ['.env.sandbox2', 10],
])('%s', (file, above) => {
  it('points every address at the ports of tests/servers/sandbox-ports.ts', () => {
    expect(SECOND_SANDBOX).toBe(false);
    const env = envOf(file);
    const port = (n: number) => n + above;
    expect(env).toEqual({
      WXT_EXTRA_MATCHES: 'http://127.0.0.1/*,http://localhost/*',
      WXT_SELLSY_AUTHORIZE_URL: `http://127.0.0.1:${port(SELLSY_PORT)}/oauth2/authorization`,
      WXT_SELLSY_TOKEN_URL: `http://127.0.0.1:${port(SELLSY_PORT)}/oauth2/access-tokens`,
      WXT_SELLSY_API_URL: `http://127.0.0.1:${port(SELLSY_PORT)}/v2`,
      WXT_SELLSY_APP_URL: `http://127.0.0.1:${port(PAGES_PORT)}`,
      WXT_SELLSY_CLIENT_ID: SANDBOX_CLIENT_ID,
      WXT_ALLO_API_URL: `http://127.0.0.1:${port(ALLO_PORT)}`,
      WXT_ALLO_DIALER_URL: `http://127.0.0.1:${port(DIALER_PORT)}/?variant=dialer`,
    });
  });
});
