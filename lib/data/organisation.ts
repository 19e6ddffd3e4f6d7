import type { Queryable } from '@/lib/db';
import { organisation, type Organisation } from '@/lib/db/schema';

export async function getOrganisation(db: Queryable): Promise<Organisation> {
  const [row] = await db.select().from(organisation).limit(1);
  return row;
}
