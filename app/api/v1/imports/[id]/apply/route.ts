import { importStepHandler } from '@/lib/api/import-steps';

// Applying a million rows in one transaction takes about a minute on PostgreSQL; see the import docs.
export const maxDuration = 300;

export const POST = importStepHandler('apply');
