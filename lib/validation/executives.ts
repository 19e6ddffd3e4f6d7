import { z } from 'zod';
import { POWER_CORES, ROLES } from '@/lib/db/schema';

export const executiveCreateSchema = z.object({
  name: z.string().trim().min(1, { error: 'Enter a name' }).max(200),
  email: z.string().trim().toLowerCase().max(320).pipe(z.email({ error: 'Enter a valid email address' })),
  title: z.string().trim().min(1, { error: 'Enter a title' }).max(200),
  powerCore: z.enum(POWER_CORES, { error: `Choose a power core: ${POWER_CORES.join(', ')}` }),
  role: z.enum(ROLES, { error: `Choose a role: ${ROLES.join(', ')}` }),
});

export type ExecutiveCreateInput = z.infer<typeof executiveCreateSchema>;
