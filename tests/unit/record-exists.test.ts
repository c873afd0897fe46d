// @vitest-environment node
import { beforeAll, describe, expect, it } from 'vitest';
import { SellsyClient } from '@/lib/sellsy/api-client';
import { missingRecords } from '@/lib/sellsy/record-exists';
import { SellsySession } from '@/lib/sellsy/session';
import { useSellsyApi } from '../support/sellsy-api';

describe('missingRecords', () => {
  const api = useSellsyApi();
  let client: SellsyClient;
  let ids: { contact: number; company: number; individual: number };

  beforeAll(() => {
    const { crm } = api.sellsy;
    ids = {
      contact: crm.addContact({ last_name: 'Présente' }).id,
      company: crm.addCompany({ name: 'Acme SAS' }).id,
      individual: crm.addIndividual({ last_name: 'Durand' }).id,
    };
    const session = new SellsySession({
      endpoints: { tokenUrl: api.sellsy.tokenUrl, clientId: api.sellsy.clientId },
      tokens: {
        get: async () => ({ accessToken: api.token, refreshToken: 'unused', expiresAt: Date.now() + 3_600_000 }),
        set: async () => undefined,
        clear: async () => undefined,
      },
      onRevoked: async () => undefined,
    });
    client = new SellsyClient({ apiUrl: api.sellsy.apiUrl, session });
  });

  it('names the related records Sellsy no longer has, and only those', async () => {
    api.sellsy.crm.deleteCompany(ids.company);
    const related = [
      { type: 'contact', id: ids.contact },
      { type: 'company', id: ids.company },
      { type: 'individual', id: ids.individual },
      { type: 'individual', id: 987_654 },
    ] as const;
    expect(await missingRecords(client, related)).toEqual([
      { type: 'company', id: ids.company },
      { type: 'individual', id: 987_654 },
    ]);
    expect(await missingRecords(client, [{ type: 'contact', id: ids.contact }])).toEqual([]);
  });

  it('lets any other failure through: a 500 says nothing about the record', async () => {
    api.sellsy.faults.inject({ method: 'GET', path: `/v2/contacts/${ids.contact}` }, { status: 500, times: 1 });
    await expect(missingRecords(client, [{ type: 'contact', id: ids.contact }])).rejects.toMatchObject({ code: 'server' });
  });
});
