import type { SellsyCrm } from './sellsy-crm';

/**
 * The sandbox's Sellsy account: generated records plus the people the sandbox pages show
 * (tests/pages/contact.html), so hovering a number there names its owner.
 */
export function seedSandbox(crm: SellsyCrm, generated = 3000): { marie: { id: number }; acme: { id: number } } {
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
  return { marie, acme };
}
