import { ingestHandler } from '@/lib/api/ingest';

export const POST = ingestHandler('responses');
