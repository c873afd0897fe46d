import type { SellsyCrm } from './sellsy-crm';
import type { SellsyPhoneCalls, StaffSummary } from './sellsy-phone-calls';

/** The sandbox account's second salesperson: the team's calls in the side panel's history are partly hers. */
export const SANDBOX_COLLEAGUE: StaffSummary = { id: 4243, firstname: 'Julie', lastname: 'Roux', email: 'julie.roux@example.fr', status: 'ok' };

const DAY = 86_400_000;

/**
 * The sandbox's Sellsy account: generated records plus the people the sandbox pages show
 * (tests/pages/contact.html), so hovering a number there names its owner. With `phoneCalls`,
 * Marie Dupont has a history in Sellsy too: calls a colleague and the user logged days ago
 * (never within minutes of now, where they could pass for a log of a call the extension finds).
 */
export function seedSandbox(crm: SellsyCrm, generated = 3000, phoneCalls?: SellsyPhoneCalls): { marie: { id: number }; acme: { id: number } } {
  crm.seed({ contacts: generated, companies: Math.round(generated / 5), individuals: Math.round(generated / 10), seed: 42 });
  const acme = crm.addCompany({ name: 'Acme SAS', type: 'client', phone_number: '04 72 10 20 30' });
  const marie = crm.addContact({
    civility: 'mrs',
    first_name: 'Marie',
    last_name: 'Dupont',
    phone_number: '01 23 45 67 89',
    mobile_number: '06 12 34 56 78',
  });
  crm.link(marie.id, acme.id);
  if (phoneCalls) seedHistory(phoneCalls, marie.id, acme.id);
  return { marie, acme };
}

function seedHistory(phoneCalls: SellsyPhoneCalls, marie: number, acme: number): void {
  phoneCalls.addColleague(SANDBOX_COLLEAGUE);
  const now = phoneCalls.now().getTime();
  const related = [
    { type: 'contact' as const, id: marie },
    { type: 'company' as const, id: acme },
  ];
  const at = (daysAgo: number, hour: number, minute: number) => {
    const date = new Date(now - daysAgo * DAY);
    date.setHours(hour, minute, 0, 0);
    return date.toISOString();
  };
  phoneCalls.create({
    owner_id: SANDBOX_COLLEAGUE.id,
    date: at(9, 10, 15),
    result: 'noanswer',
    source: 'outcoming',
    duration: 0,
    description: 'Messagerie, pas de message laissé.',
    related,
  });
  phoneCalls.create({
    owner_id: phoneCalls.staffId(),
    date: at(6, 11, 40),
    result: 'connected',
    source: 'outcoming',
    duration: 95,
    description: 'Présentation de l’offre, brochure envoyée par e-mail.',
    related,
  });
  phoneCalls.create({
    owner_id: SANDBOX_COLLEAGUE.id,
    date: at(2, 16, 20),
    result: 'connected',
    source: 'incoming',
    duration: 252,
    description: 'Demande de devis pour 12 postes.\nRappeler jeudi avec les tarifs.',
    related,
  });
}
