/**
 * The scopes the extension asks Sellsy for (docs/sellsy-and-allo.md): read the CRM, log calls,
 * know the user, put a call note in a comment when no Phone Call of the call is known for sure,
 * and create follow-up tasks (`tasks.read` finds one again after a lost answer). A constant
 * only: the options page shows it to whoever creates the API access.
 */
export const SELLSY_SCOPES = [
  'contacts.read',
  'contacts.write',
  'companies.read',
  'individuals.read',
  'phonecalls.read',
  'phonecalls.write',
  'staffs.read',
  'comments.read',
  'comments.write',
  'tasks.read',
  'tasks.write',
];
