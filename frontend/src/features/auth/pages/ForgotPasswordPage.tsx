import type { FormEvent } from 'react';
import { Link } from 'react-router';

import { ErrorNote, SuccessNote } from '@/components/Feedback';
import { TextField } from '@/components/Field';
import { SubmitButton } from '@/components/SubmitButton';
import { usePageTitle } from '@/lib/usePageTitle';

import { useForgotPassword } from '../api';
import { formText, splitErrors } from '../forms';
import styles from '../auth.module.css';

export function ForgotPasswordPage() {
  usePageTitle('Forgot your password?');
  const forgot = useForgotPassword();
  const { fields, rest } = splitErrors(forgot.error, ['email']);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    forgot.mutate(formText(event.currentTarget, 'email').trim());
  }

  return (
    <div className={`${styles.page} ${styles.stack}`}>
      <h1>Forgot your password?</h1>
      {forgot.isSuccess ? (
        // The same answer for every address: it never tells who has an account.
        <SuccessNote>{forgot.data.detail}</SuccessNote>
      ) : (
        <form className="form" onSubmit={submit}>
          <p className={styles.muted}>Enter your e-mail address and we will send you a link to set a new password.</p>
          <TextField label="E-mail" name="email" type="email" autoComplete="email" required error={fields.email} />
          <ErrorNote error={rest} />
          <div>
            <SubmitButton pending={forgot.isPending}>Send reset link</SubmitButton>
          </div>
        </form>
      )}
      <p>
        <Link to="/login">Back to log in</Link>
      </p>
    </div>
  );
}
