import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';

import { ErrorNote, SuccessNote } from '@/components/Feedback';
import { TextField } from '@/components/Field';
import { SubmitButton } from '@/components/SubmitButton';
import { useAuth } from '@/lib/auth';
import { usePageTitle } from '@/lib/usePageTitle';

import { useResetPassword } from '../api';
import { NewPasswordField } from '../components/PasswordFields';
import { formText, splitErrors } from '../forms';
import styles from '../auth.module.css';

const MISMATCH = 'The passwords do not match.';

/** The link of the password reset e-mail. */
export function ResetPasswordPage() {
  usePageTitle('Set a new password');
  const [params] = useSearchParams();
  const token = params.get('token');
  const { user, logout } = useAuth();
  const reset = useResetPassword();
  const [mismatch, setMismatch] = useState(false);
  const { fields, rest } = splitErrors(reset.error, ['password']);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!token) return;
    const form = event.currentTarget;
    const password = formText(form, 'password');
    const same = password === formText(form, 'confirm');
    setMismatch(!same);
    if (!same) return;
    reset.mutate(
      { token, password },
      {
        // The API ended every session, this browser's included.
        onSuccess: () => (user ? logout() : undefined),
      },
    );
  }

  if (!token) {
    return (
      <div className={`${styles.page} ${styles.stack}`}>
        <h1>Set a new password</h1>
        <p className="error-note" role="alert">
          This link is incomplete. Open the link from our e-mail again, or ask for a new one.
        </p>
        <p>
          <Link to="/forgot-password">Request a new link</Link>
        </p>
      </div>
    );
  }

  return (
    <div className={`${styles.page} ${styles.stack}`}>
      <h1>Set a new password</h1>
      {reset.isSuccess ? (
        <>
          <SuccessNote>Your new password is set, and every device that was logged in is logged out.</SuccessNote>
          <p>
            <Link to="/login">Log in</Link>
          </p>
        </>
      ) : (
        <form className="form" onSubmit={submit}>
          <NewPasswordField label="New password" name="password" error={fields.password} />
          <TextField
            label="Confirm password"
            name="confirm"
            type="password"
            autoComplete="new-password"
            required
            error={mismatch ? MISMATCH : undefined}
          />
          {rest ? (
            <div className={styles.stack}>
              <ErrorNote error={rest} />
              <p className={styles.muted}>
                <Link to="/forgot-password">Request a new link</Link>
              </p>
            </div>
          ) : null}
          <div>
            <SubmitButton pending={reset.isPending}>Set new password</SubmitButton>
          </div>
        </form>
      )}
    </div>
  );
}
