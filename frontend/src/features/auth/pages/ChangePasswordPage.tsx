import type { FormEvent } from 'react';
import { Link } from 'react-router';

import { ErrorNote, SuccessNote } from '@/components/Feedback';
import { SubmitButton } from '@/components/SubmitButton';
import { usePageTitle } from '@/lib/usePageTitle';

import { useChangePassword } from '../api';
import { CurrentPasswordField, NewPasswordField } from '../components/PasswordFields';
import { formText, splitErrors } from '../forms';
import styles from '../auth.module.css';

export function ChangePasswordPage() {
  usePageTitle('Change password');
  const change = useChangePassword();
  const { fields, rest } = splitErrors(change.error, ['current_password', 'new_password'], {
    wrong_password: 'current_password',
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    change.mutate(
      { current_password: formText(form, 'current_password'), new_password: formText(form, 'new_password') },
      { onSuccess: () => form.reset() },
    );
  }

  return (
    <div className={`${styles.page} ${styles.stack}`}>
      <h1>Change password</h1>
      <form className="form" onSubmit={submit}>
        <CurrentPasswordField error={fields.current_password} />
        <NewPasswordField label="New password" name="new_password" error={fields.new_password} />
        <ErrorNote error={rest} />
        {change.isSuccess && (
          <SuccessNote>Your password is changed. Every other device that was logged in is logged out.</SuccessNote>
        )}
        <div>
          <SubmitButton pending={change.isPending}>Change password</SubmitButton>
        </div>
      </form>
      <p>
        <Link to="/account">Back to your account</Link>
      </p>
    </div>
  );
}
