import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';

import { ErrorNote } from '@/components/Feedback';
import { TextField } from '@/components/Field';
import { SubmitButton } from '@/components/SubmitButton';
import { usePageTitle } from '@/lib/usePageTitle';

import { useLogin } from '../api';
import { ResendConfirmation } from '../components/ResendConfirmation';
import { formText, splitErrors } from '../forms';
import { safeNextPath } from '../nextPath';
import styles from '../auth.module.css';

export function LoginPage() {
  usePageTitle('Log in');
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNextPath(params.get('next'));
  const login = useLogin();
  // Signed in, but the address is not confirmed yet: the shop works, ordering does not.
  const [unconfirmedEmail, setUnconfirmedEmail] = useState<string | null>(null);
  // OAuth2's form calls the e-mail `username`.
  const { fields, rest } = splitErrors(login.error, ['username', 'password']);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    login.mutate(
      { email: formText(form, 'email').trim(), password: formText(form, 'password') },
      {
        onSuccess: (user) => {
          if (user.is_verified) navigate(next, { replace: true });
          else setUnconfirmedEmail(user.email);
        },
      },
    );
  }

  if (unconfirmedEmail) {
    return (
      <div className={`${styles.page} ${styles.stack}`}>
        <h1>Log in</h1>
        <p className="error-note" role="alert">
          You are logged in, but your e-mail address {unconfirmedEmail} is not confirmed yet. Follow
          the link in the e-mail we sent you: you need a confirmed address to place orders.
        </p>
        <ResendConfirmation email={unconfirmedEmail} label="Send the confirmation e-mail again" />
        <p>
          <Link to={next}>Continue</Link>
        </p>
      </div>
    );
  }

  return (
    <div className={`${styles.page} ${styles.stack}`}>
      <h1>Log in</h1>
      <form className="form" onSubmit={submit}>
        <TextField label="E-mail" name="email" type="email" autoComplete="email" required error={fields.username} />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          error={fields.password}
        />
        <ErrorNote error={rest} />
        <div>
          <SubmitButton pending={login.isPending} pendingLabel="Logging in…">
            Log in
          </SubmitButton>
        </div>
      </form>
      <p>
        <Link to="/forgot-password">Forgot your password?</Link>
      </p>
      <p>
        New here? <Link to="/register">Create an account</Link>
      </p>
    </div>
  );
}
