import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { AlloClient } from '@/lib/allo/api-client';
import { alloUserChoice, candidateUsers, resolveAlloUser } from '@/lib/calls/whose-calls';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const users = [
  { id: 'usr-1', name: 'Camille Martin', email: 'Camille.Martin@example.fr', status: 'ACTIVE' },
  { id: 'usr-2', name: 'Hugo Petit', email: 'hugo@example.fr', status: 'ACTIVE' },
];

function allo(answers: { users?: Response; search?: Response }) {
  return new AlloClient({
    apiUrl: 'https://allo',
    apiKey: async () => 'key',
    fetch: async (url) => (String(url).endsWith('/users') ? answers.users! : answers.search!).clone(),
  });
}

beforeEach(() => {
  fakeBrowser.reset();
});

describe('whose calls', () => {
  it('is the Allo user with the Sellsy staff’s e-mail, whatever its case', async () => {
    const choice = await resolveAlloUser(allo({ users: json(200, { data: users }) }), 'camille.martin@example.fr');
    expect(choice).toEqual({ id: 'usr-1', name: 'Camille Martin', email: 'Camille.Martin@example.fr', how: 'email' });
    expect(await alloUserChoice.getValue()).toEqual(choice);
  });

  it('is nobody until the user picks, when no e-mail matches or the key cannot list users', async () => {
    expect(await resolveAlloUser(allo({ users: json(200, { data: users }) }), 'someone@else.fr')).toBeNull();
    const forbidden = json(403, { error: { code: 'API_KEY_INSUFFICIENT_SCOPE', message: 'USERS_READ' } });
    expect(await resolveAlloUser(allo({ users: forbidden }), 'camille.martin@example.fr')).toBeNull();
  });

  it('asks Allo again about an e-mail nobody has only after an hour, not at every poll', async () => {
    let asked = 0;
    const client = new AlloClient({
      apiUrl: 'https://allo',
      apiKey: async () => 'key',
      fetch: async () => {
        asked++;
        return json(200, { data: users });
      },
    });
    const now = Date.parse('2026-11-28T10:00:00Z');
    for (let minute = 0; minute < 60; minute++) expect(await resolveAlloUser(client, 'new@example.fr', now + minute * 60_000)).toBeNull();
    expect(asked).toBe(1);
    await resolveAlloUser(client, 'new@example.fr', now + 60 * 60_000);
    expect(asked).toBe(2);
  });

  it('keeps the user’s own pick over the e-mail match', async () => {
    await alloUserChoice.setValue({ id: 'usr-2', name: 'Hugo Petit', how: 'picked' });
    expect(await resolveAlloUser(allo({ users: json(200, { data: users }) }), 'camille.martin@example.fr')).toMatchObject({ id: 'usr-2' });
  });

  it('offers the people seen in recent calls when the key cannot list users', async () => {
    const call = (id: string, user: (typeof users)[number]) => ({
      id,
      type: 'CALL',
      direction: 'INBOUND',
      contact_number: '+33612345678',
      date: '2026-11-25T08:00:00Z',
      user,
    });
    const candidates = await candidateUsers(
      allo({
        users: json(403, { error: { code: 'API_KEY_INSUFFICIENT_SCOPE' } }),
        search: json(200, { data: [call('cll-1', users[0]!), call('cll-2', users[1]!), call('cll-3', users[0]!)], pagination: { has_more: false } }),
      }),
    );
    expect(candidates.map((u) => u.id)).toEqual(['usr-1', 'usr-2']);
  });
});
