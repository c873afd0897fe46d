import { startAlloServer, type AlloServer } from './allo';
import { startPagesServer, type RunningServer } from './pages-server';
import { seedSandbox } from './sandbox-data';
import { ALLO_PORT, PAGES_PORT, SANDBOX_CLIENT_ID, SELLSY_PORT } from './sandbox-ports';
import { startSellsyServer, type SellsyServer } from './sellsy';

export interface Sandbox {
  pages: RunningServer;
  sellsy: SellsyServer;
  allo: AlloServer;
  /** The sandbox account's people shown on the sandbox pages. */
  people: ReturnType<typeof seedSandbox>;
  close(): Promise<void>;
}

/**
 * The local Sellsy-like pages, Sellsy and Allo on the fixed ports the sandbox build is made for
 * (.env.sandbox): `npm start` and the end-to-end tests run the extension against these.
 */
export async function startSandbox({ autoApprove = false, contacts = 3000 } = {}): Promise<Sandbox> {
  const [pages, sellsy, allo] = await Promise.all([
    startPagesServer(PAGES_PORT),
    startSellsyServer({ port: SELLSY_PORT, clientId: SANDBOX_CLIENT_ID, autoApprove }),
    startAlloServer({ port: ALLO_PORT }),
  ]);
  const people = seedSandbox(sellsy.crm, contacts);
  return { pages, sellsy, allo, people, close: async () => void (await Promise.all([pages.close(), sellsy.close(), allo.close()])) };
}
