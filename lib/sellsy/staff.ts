import * as v from 'valibot';
import type { SellsyClient } from './api-client';

// GET /staffs/me (docs/sellsy-and-allo.md): note `firstname`/`lastname`, without the underscore.
const StaffReply = v.object({
  id: v.number(),
  firstname: v.nullish(v.string()),
  lastname: v.nullish(v.string()),
  email: v.nullish(v.string()),
});

export interface Staff {
  id: number;
  name: string;
  email?: string;
}

export async function fetchStaffMe(client: SellsyClient): Promise<Staff> {
  const staff = await client.request('GET', '/staffs/me', StaffReply);
  const name = [staff.firstname, staff.lastname].filter(Boolean).join(' ').trim();
  return { id: staff.id, name: name || (staff.email ?? `#${staff.id}`), ...(staff.email ? { email: staff.email } : {}) };
}
