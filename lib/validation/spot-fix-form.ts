import { parseFormMoney } from '@/lib/validation/form-money';
import { validateRecord, type SpotFixRecord } from '@/lib/validation/records';

/**
 * The quick spot-fix form. Its fields are the spot-fix record's columns (less the id, which the
 * server makes), validated by the same record schema as CSV rows and API records — plus what only
 * a form needs: the cost is read as people type it ("$1,200", see form-money.ts), and a spot fix
 * being logged has already happened.
 */
export const SPOT_FIX_FORM_FIELDS = ['occurred_on', 'issue', 'category', 'cost', 'customer_id', 'journey_stage', 'note'] as const;
export type SpotFixFormField = (typeof SPOT_FIX_FORM_FIELDS)[number];
export type SpotFixFormValues = Partial<Record<SpotFixFormField, string>>;
export type SpotFixFieldErrors = Partial<Record<SpotFixFormField, string[]>>;

export type SpotFixFormResult =
  | { ok: true; record: SpotFixRecord; values: SpotFixFormValues }
  | { ok: false; fieldErrors: SpotFixFieldErrors; values: SpotFixFormValues };

const LABELS: Record<SpotFixFormField, string> = {
  occurred_on: 'Date',
  issue: 'Issue',
  category: 'Category',
  cost: 'Cost',
  customer_id: 'Customer',
  journey_stage: 'Journey stage',
  note: 'Note',
};

/** Reads the form's fields from FormData (anything else is ignored) and validates them as a spot-fix record. */
export function parseSpotFixForm(formData: FormData, spotFixId: string, today: string): SpotFixFormResult {
  const values: SpotFixFormValues = {};
  for (const field of SPOT_FIX_FORM_FIELDS) {
    const value = formData.get(field);
    if (typeof value === 'string') values[field] = value;
  }
  const fieldErrors: SpotFixFieldErrors = {};
  const add = (field: SpotFixFormField, message: string) => (fieldErrors[field] ??= []).push(`${LABELS[field]} ${message}`);

  const cost = parseFormMoney(values.cost ?? '');
  if (!cost.ok) add('cost', cost.reason);
  const result = validateRecord('spot-fixes', { ...values, cost: cost.ok ? cost.amount : '0', spot_fix_id: spotFixId });
  if (!result.ok) {
    for (const problem of result.problems) {
      if (problem.column && problem.column !== 'cost' && (SPOT_FIX_FORM_FIELDS as readonly string[]).includes(problem.column)) {
        add(problem.column as SpotFixFormField, problem.message);
      }
    }
  }
  if (result.ok && result.record.occurred_on > today) {
    add('occurred_on', 'must not be in the future');
  }
  if (Object.keys(fieldErrors).length) return { ok: false, fieldErrors, values };
  if (!result.ok) return { ok: false, fieldErrors: { note: ['The spot fix could not be read; check every field.'] }, values };
  return { ok: true, record: result.record, values };
}
