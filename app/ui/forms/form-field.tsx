import type { ReactNode } from 'react';

/**
 * One labelled form field with its hint and its error, announced as it appears. The control is the
 * child; pass it `fieldProps(errorId, errors)` so it is described by the error and marked invalid.
 */
export function FormField({ label, hint, errorId, errors, children }: { label: string; hint?: string; errorId: string; errors?: string[]; children: ReactNode }) {
  return (
    <label className="field">
      <span>
        {label}
        {hint && <span className="field-hint"> {hint}</span>}
      </span>
      {children}
      <span id={errorId} className="field-error" aria-live="polite">
        {errors?.join(' ')}
      </span>
    </label>
  );
}

export function fieldProps(errorId: string, errors?: string[]) {
  const invalid = Boolean(errors?.length);
  return { 'aria-describedby': errorId, 'aria-invalid': invalid || undefined, className: invalid ? 'input-invalid' : undefined };
}
