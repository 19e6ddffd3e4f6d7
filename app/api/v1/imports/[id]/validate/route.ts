import { importStepHandler } from '@/lib/api/import-steps';

// Checking a million rows takes tens of seconds; serverless platforms read this as the time allowed.
export const maxDuration = 300;

export const POST = importStepHandler('validate');
