import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';

import { ErrorNote, SuccessNote } from '@/components/Feedback';
import { TextField } from '@/components/Field';
import { SubmitButton } from '@/components/SubmitButton';
import { usePageTitle } from '@/lib/usePageTitle';

import { useRegister } from '../api';
import { ResendConfirmation } from '../components/ResendConfirmation';
import { NewPasswordField } from '../components/PasswordFields';
import { formText, splitErrors } from '../forms';
import styles from '../auth.module.css';

export function RegisterPage() {
  usePageTitle('Create an account');
  const register = useRegister();
  // The API answers alike whether or not the address is taken: we can only say "check".
  const [sentTo, setSentTo] = useState<string | null>(null);
  const { fields, rest } = splitErrors(register.error, ['email', 'password']);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const email = formText(form, 'email').trim();
    register.mutate(
      { email, password: formText(form, 'password') },
      { onSuccess: () => setSentTo(email) },
    );
  }

  return (
    <div className={`${styles.page} ${styles.stack}`}>
      <h1>Create an account</h1>
      {sentTo ? (
        <>
          <SuccessNote>Check your inbox: we sent a confirmation link to {sentTo}.</SuccessNote>
          <p className={styles.muted}>
            Follow it to confirm your address, then log in. Nothing arrived after a few minutes?
            Look in your spam folder, or ask for a new link.
          </p>
          <ResendConfirmation email={sentTo} />
          <p>
            <Link to="/login">Log in</Link>
          </p>
        </>
      ) : (
        <>
          <form className="form" onSubmit={submit}>
            <TextField label="E-mail" name="email" type="email" autoComplete="email" required error={fields.email} />
            <NewPasswordField label="Password" name="password" error={fields.password} />
            <ErrorNote error={rest} />
            <div>
              <SubmitButton pending={register.isPending}>Create account</SubmitButton>
            </div>
          </form>
          <p>
            Already have an account? <Link to="/login">Log in</Link>
          </p>
        </>
      )}
    </div>
  );
}
