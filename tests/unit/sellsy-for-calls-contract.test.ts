// @vitest-environment node
/**
 * The in-memory Sellsy that the pipeline's unit tests and the model test use
 * (tests/support/fake-sellsy-for-calls.ts) must answer as the real client does against the
 * local Sellsy server, which speaks Sellsy's documented API: the same cases run on both, so the
 * fake cannot drift from the contract.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SellsyForCalls, sellsyForCalls } from '@/lib/calls/sellsy-for-calls';
import { startSellsyServer, type SellsyServer } from '../servers/sellsy';
import { FakeSellsyForCalls } from '../support/fake-sellsy-for-calls';
import { localSellsyClient } from '../support/local-sellsy-client';

interface Subject {
  sellsy: SellsyForCalls;
  contact: number;
  company: number;
  /** A contact that does not exist. */
  missing: number;
  owner: number;
}

const DATE = '2026-12-01T10:00:00Z';
const SINCE = '2026-01-01T00:00:00Z';

function contractCases(name: string, subject: () => Subject) {
  describe(`${name}: Phone Calls as the call log uses them`, () => {
    const body = (s: Subject, related: Array<{ type: 'contact' | 'company'; id: number }>) => ({
      owner_id: s.owner,
      date: DATE,
      result: 'connected' as const,
      source: 'incoming' as const,
      duration: 42,
      description: 'Résumé : devis.\n[Allo call cll-1]',
      related,
    });

    it('creates one, then finds it on each record it relates, with owner, date, direction and length', async () => {
      const s = subject();
      const created = await s.sellsy.createPhoneCall(
        body(s, [
          { type: 'contact', id: s.contact },
          { type: 'company', id: s.company },
        ]),
      );
      expect(created).toMatchObject({ description: 'Résumé : devis.\n[Allo call cll-1]', ownerId: s.owner, source: 'incoming', duration: 42 });
      for (const record of [
        { type: 'contact' as const, id: s.contact },
        { type: 'company' as const, id: s.company },
      ]) {
        const found = (await s.sellsy.searchPhoneCalls(record, SINCE)).find((p) => p.id === created!.id);
        expect(found).toMatchObject({ ownerId: s.owner, source: 'incoming', duration: 42 });
        expect(Date.parse(found!.date!)).toBe(Date.parse(DATE));
        expect(found!.related).toEqual(expect.arrayContaining([expect.objectContaining({ type: record.type, id: record.id })]));
      }
    });

    it('answers null when a related record does not exist, and stores nothing', async () => {
      const s = subject();
      expect(await s.sellsy.createPhoneCall(body(s, [{ type: 'contact', id: s.missing }]))).toBeNull();
      expect(
        await s.sellsy.missingRecords([
          { type: 'contact', id: s.missing },
          { type: 'contact', id: s.contact },
        ]),
      ).toEqual([{ type: 'contact', id: s.missing }]);
    });

    it('rewrites the description and the related records; false once the Phone Call is gone', async () => {
      const s = subject();
      const created = (await s.sellsy.createPhoneCall(
        body(s, [
          { type: 'contact', id: s.contact },
          { type: 'company', id: s.company },
        ]),
      ))!;
      expect(await s.sellsy.updatePhoneCallDescription(created.id, 'Note.\nRésumé.')).toBe(true);
      expect(await s.sellsy.updatePhoneCallRelated(created.id, [{ type: 'company', id: s.company }])).toBe(true);
      expect(await s.sellsy.getPhoneCall(created.id)).toMatchObject({
        description: 'Note.\nRésumé.',
        related: [expect.objectContaining({ type: 'company', id: s.company })],
      });
      expect((await s.sellsy.searchPhoneCalls({ type: 'contact', id: s.contact }, SINCE)).some((p) => p.id === created.id)).toBe(false);
      expect(await s.sellsy.deletePhoneCall(created.id)).toBe(true);
      expect(await s.sellsy.deletePhoneCall(created.id)).toBe(false);
      expect(await s.sellsy.getPhoneCall(created.id)).toBeNull();
      expect(await s.sellsy.updatePhoneCallDescription(created.id, 'x')).toBe(false);
      expect(await s.sellsy.updatePhoneCallRelated(created.id, [{ type: 'contact', id: s.contact }])).toBe(false);
    });
  });
}

let server: SellsyServer;
let real: Subject;
beforeAll(async () => {
  server = await startSellsyServer({ accessTokenTtlS: 10 * 365 * 86_400 });
  const contact = server.crm.addContact({ last_name: 'Dupont' });
  const company = server.crm.addCompany({ name: 'Acme' });
  real = {
    sellsy: sellsyForCalls(localSellsyClient(server)),
    contact: contact.id,
    company: company.id,
    missing: 999_999,
    owner: server.staff.id,
  };
});
afterAll(() => server.close());

contractCases('the local Sellsy server, through the real client', () => real);
contractCases('the in-memory fake', () => {
  const fake = new FakeSellsyForCalls();
  fake.addRecord('contact', 5);
  fake.addRecord('company', 6);
  return { sellsy: fake, contact: 5, company: 6, missing: 999_999, owner: 42 };
});
