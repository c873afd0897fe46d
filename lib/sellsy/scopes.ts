/**
 * The scopes the extension asks Sellsy for (docs/sellsy-and-allo.md): read the CRM, log calls,
 * know the user, and create follow-up tasks (`tasks.read` finds one again after a lost answer). A constant only: the options page shows it to whoever creates the API access.
 */
export const SELLSY_SCOPES = [
  'contacts.read',
  'contacts.write',
  'companies.read',
  'individuals.read',
  'phonecalls.read',
  'phonecalls.write',
  'staffs.read',
  'tasks.read',
  'tasks.write',
];
