import { startAlloServer, type AlloServer } from './allo';
import { startDialerServer, type DialerServer } from './allo-dialer';
import { startPagesServer, type RunningServer } from './pages-server';
import { seedSandbox } from './sandbox-data';
import { ALLO_PORT, DIALER_PORT, PAGES_PORT, SANDBOX_CLIENT_ID, SELLSY_PORT } from './sandbox-ports';
import { startSellsyServer, type SellsyServer } from './sellsy';

export interface Sandbox {
  pages: RunningServer;
  sellsy: SellsyServer;
  allo: AlloServer;
  /** Allo's embedded dialer, as the side panel shows it. */
  dialer: DialerServer;
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
  // A call hung up in the dialer reaches Allo's API, as Allo's servers would list it (with its
  // summary already written, so the log does not wait for one).
  const dialer = await startDialerServer({
    port: DIALER_PORT,
    onCallEnded: ({ direction, number, durationS, missed }) =>
      void allo.calls.add(
        missed
          ? // Dated when it started ringing, a few seconds before the dialer said it was missed.
            { direction, contact_number: number, duration: 0, result: null, date: new Date(Date.now() - 20_000) }
          : { direction, contact_number: number, duration: durationS, summary: 'Appel passé depuis le composeur (sandbox).' },
      ),
  });
  const people = seedSandbox(sellsy.crm, contacts, sellsy.phoneCalls);
  return {
    pages,
    sellsy,
    allo,
    dialer,
    people,
    close: async () => void (await Promise.all([pages.close(), sellsy.close(), allo.close(), dialer.close()])),
  };
}
