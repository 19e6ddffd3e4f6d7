import { SPOT_FIX_CATEGORIES, type SpotFixCategory } from '@/lib/domain';

export { SPOT_FIX_CATEGORY_LABELS as CATEGORY_LABELS } from '@/lib/format';

export const CATEGORY_COLORS: Record<SpotFixCategory, string> = {
  meeting: 'var(--chart-1)',
  free_offering: 'var(--chart-5)',
  discount: 'var(--chart-4)',
  staff_time: 'var(--chart-6)',
  pr_recovery: 'var(--chart-3)',
  other: 'var(--chart-neutral)',
};

export { SPOT_FIX_CATEGORIES };

/** Money as a plain number for chart geometry only; every figure shown as text stays exact. */
export const chartMoney = (amount: string) => Number(amount);

export const shareWidth = (share: number) => `${Math.max(0, Math.min(100, share * 100)).toFixed(1)}%`;
