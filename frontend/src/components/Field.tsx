import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';

// A labelled form control with its hint and its error, wired for screen readers
// (aria-invalid, aria-describedby). The error is the API's message for this field.

interface Described {
  label: ReactNode;
  error?: string;
  hint?: ReactNode;
}

function useDescription(error?: string, hint?: ReactNode) {
  const id = useId();
  const errorId = error ? `${id}-error` : undefined;
  const hintId = hint ? `${id}-hint` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  return { id, errorId, hintId, describedBy };
}

function Messages({ error, errorId, hint, hintId }: { error?: string; errorId?: string; hint?: ReactNode; hintId?: string }) {
  return (
    <>
      {hint && (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      )}
    </>
  );
}

export function TextField({ label, error, hint, ...input }: Described & InputHTMLAttributes<HTMLInputElement>) {
  const { id, errorId, hintId, describedBy } = useDescription(error, hint);
  return (
    <div className="field">
      <label htmlFor={input.id ?? id}>{label}</label>
      <input id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...input} />
      <Messages error={error} errorId={errorId} hint={hint} hintId={hintId} />
    </div>
  );
}

export function TextAreaField({ label, error, hint, ...textarea }: Described & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const { id, errorId, hintId, describedBy } = useDescription(error, hint);
  return (
    <div className="field">
      <label htmlFor={textarea.id ?? id}>{label}</label>
      <textarea id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...textarea} />
      <Messages error={error} errorId={errorId} hint={hint} hintId={hintId} />
    </div>
  );
}

export function SelectField({ label, error, hint, children, ...select }: Described & SelectHTMLAttributes<HTMLSelectElement>) {
  const { id, errorId, hintId, describedBy } = useDescription(error, hint);
  return (
    <div className="field">
      <label htmlFor={select.id ?? id}>{label}</label>
      <select id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...select}>
        {children}
      </select>
      <Messages error={error} errorId={errorId} hint={hint} hintId={hintId} />
    </div>
  );
}
