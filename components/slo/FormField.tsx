import type { ReactNode } from 'react';

/**
 * A labelled input with the API's complaint about it right below. `field` is the name the API gives
 * the input (`target`, `webhooks[0].url`); the complaint is tied to the input for screen readers.
 */
export function FormField({ field, label, error, hint, children }: { field: string; label: string; error?: string; hint?: ReactNode; children: (props: { id: string; 'aria-invalid': boolean; 'aria-describedby'?: string }) => ReactNode }) {
  const id = `slo-field-${field}`;
  const errorId = `${id}-error`;
  return (
    <div className={`form-field${error ? ' invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': error !== undefined, 'aria-describedby': error ? errorId : undefined })}
      {error ? (
        <span id={errorId} className="field-error" data-testid="field-error" data-field={field}>
          {error}
        </span>
      ) : (
        hint && <span className="field-hint">{hint}</span>
      )}
    </div>
  );
}
