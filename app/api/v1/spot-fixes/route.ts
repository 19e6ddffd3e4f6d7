import { ingestHandler } from '@/lib/api/ingest';

export const POST = ingestHandler('spot-fixes');
