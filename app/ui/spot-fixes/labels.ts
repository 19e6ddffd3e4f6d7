import type { SpotFixCategory } from '@/lib/domain';

export const CATEGORY_LABELS: Record<SpotFixCategory, string> = {
  meeting: 'Meeting',
  free_offering: 'Free offering',
  discount: 'Discount',
  staff_time: 'Staff time',
  pr_recovery: 'PR recovery',
  other: 'Other',
};
