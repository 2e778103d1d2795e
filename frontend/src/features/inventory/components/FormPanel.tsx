import { useId, type FormEvent, type ReactNode } from 'react';

import { ErrorNote, SuccessNote } from '@/components/Feedback';
import { SubmitButton } from '@/components/SubmitButton';

import styles from '../inventory.module.css';

/** One small form of the back-office: named by its heading, with its outcome under the button. */
export function FormPanel({
  title,
  level = 3,
  submitLabel,
  pending,
  error,
  success,
  onSubmit,
  children,
}: {
  title: string;
  /** The heading's level: 3 inside a page's section, 2 on its own. */
  level?: 2 | 3;
  submitLabel: string;
  pending: boolean;
  /** What no field explains. */
  error: unknown;
  success?: ReactNode;
  onSubmit(form: HTMLFormElement): void;
  children: ReactNode;
}) {
  const headingId = useId();
  const Heading = level === 2 ? 'h2' : 'h3';

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onSubmit(event.currentTarget);
  }

  return (
    <section className={`card ${styles.panel}`}>
      <Heading id={headingId}>{title}</Heading>
      <form className="form" aria-labelledby={headingId} onSubmit={submit} noValidate>
        {children}
        <ErrorNote error={error} />
        <div>
          <SubmitButton pending={pending}>{submitLabel}</SubmitButton>
        </div>
        {success && <SuccessNote>{success}</SuccessNote>}
      </form>
    </section>
  );
}

/** A form value as trimmed text. */
export function text(form: HTMLFormElement, name: string): string {
  return String(new FormData(form).get(name) ?? '').trim();
}

/** A whole number for the API to judge: what is not one (empty, 1.5) it refuses at the field. */
export function wholeNumber(form: HTMLFormElement, name: string): number {
  const value = text(form, name);
  return value === '' ? Number.NaN : Number(value);
}
