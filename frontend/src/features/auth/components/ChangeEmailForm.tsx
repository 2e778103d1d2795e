import { useState, type FormEvent } from 'react';

import { ErrorNote, SuccessNote } from '@/components/Feedback';
import { TextField } from '@/components/Field';
import { SubmitButton } from '@/components/SubmitButton';

import { useRequestEmailChange } from '../api';
import { formText, splitErrors } from '../forms';
import { CurrentPasswordField } from './PasswordFields';

/** Nothing changes until the link sent to the new address is followed (/verify-email). */
export function ChangeEmailForm({ currentEmail }: { currentEmail: string }) {
  const change = useRequestEmailChange();
  const [sameAddress, setSameAddress] = useState(false);
  const { fields, rest } = splitErrors(change.error, ['email', 'current_password'], {
    wrong_password: 'current_password',
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const email = formText(form, 'email').trim();
    const same = email.toLowerCase() === currentEmail.toLowerCase();
    setSameAddress(same);
    if (same) return;
    change.mutate(
      { email, current_password: formText(form, 'current_password') },
      { onSuccess: () => form.reset() },
    );
  }

  return (
    <form className="form" onSubmit={submit} aria-labelledby="email-heading">
      <h2 id="email-heading">E-mail address</h2>
      <TextField
        label="New e-mail address"
        name="email"
        type="email"
        autoComplete="email"
        required
        error={sameAddress ? 'This is already your address.' : fields.email}
      />
      <CurrentPasswordField error={fields.current_password} />
      <ErrorNote error={rest} />
      {change.isSuccess && (
        <SuccessNote>
          We sent a confirmation link to {change.variables.email}. Your address changes once you
          follow it; until then you keep logging in with {currentEmail}.
        </SuccessNote>
      )}
      <div>
        <SubmitButton pending={change.isPending}>Change e-mail</SubmitButton>
      </div>
    </form>
  );
}
