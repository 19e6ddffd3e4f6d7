import type { RecordKind } from '@/lib/validation/records';

export const KIND_LABELS: Record<RecordKind, string> = {
  customers: 'Customers',
  responses: 'Survey responses',
  'spot-fixes': 'Spot fixes',
};
