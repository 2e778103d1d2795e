import type { FormEvent } from 'react';

import { ErrorNote, SuccessNote } from '@/components/Feedback';
import { TextField } from '@/components/Field';
import { SubmitButton } from '@/components/SubmitButton';

import { useResendConfirmation } from '../api';
import { formText, splitErrors } from '../forms';
import styles from '../auth.module.css';

/**
 * Asks for a new confirmation e-mail: for `email` when we know it (a button), else for the
 * address the visitor types in.
 */
export function ResendConfirmation({ email, label = 'Send it again' }: { email?: string; label?: string }) {
  const resend = useResendConfirmation();
  const { fields, rest } = splitErrors(resend.error, ['email']);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    resend.mutate(email ?? formText(event.currentTarget, 'email').trim());
  }

  return (
    <form className={email ? styles.stack : 'form'} onSubmit={submit}>
      {!email && (
        <TextField label="E-mail" name="email" type="email" autoComplete="email" required error={fields.email} />
      )}
      <div>
        <SubmitButton pending={resend.isPending} className="button">
          {label}
        </SubmitButton>
      </div>
      {resend.isSuccess && <SuccessNote>{resend.data.detail}</SuccessNote>}
      <ErrorNote error={rest} />
    </form>
  );
}
