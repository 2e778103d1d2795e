import type { FormEvent } from 'react';

import { ErrorNote, SuccessNote } from '@/components/Feedback';
import { ADDRESS_FIELDS, AddressFields, addressFrom, type AddressField } from '@/components/AddressFields';
import { TextField } from '@/components/Field';
import { SubmitButton } from '@/components/SubmitButton';
import type { Schemas } from '@/api/client';

import { useSaveProfile } from '../api';
import { formText, splitErrors } from '../forms';
import styles from '../auth.module.css';

const ADDRESS_PREFIX = 'default_address.';
const FIELDS = ['first_name', 'last_name', 'phone', ...ADDRESS_FIELDS.map(({ name }) => ADDRESS_PREFIX + name)];

function readProfile(form: HTMLFormElement): Schemas['ProfileIn'] {
  const text = (name: string) => formText(form, name).trim();
  // The API takes a missing value as null, never as "".
  const optional = (name: string) => text(name) || null;
  const typed = (name: AddressField) => formText(form, ADDRESS_PREFIX + name);
  const hasAddress = ADDRESS_FIELDS.some(({ name }) => typed(name).trim());
  return {
    first_name: optional('first_name'),
    last_name: optional('last_name'),
    phone: optional('phone'),
    // All empty: no default address. Partly filled: the API says which part is missing.
    default_address: hasAddress ? addressFrom(typed) : null,
  };
}

export function ProfileForm({ profile }: { profile: Schemas['ProfileOut'] }) {
  const save = useSaveProfile();
  const { fields, rest } = splitErrors(save.error, FIELDS);
  const address = profile.default_address;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    save.mutate(readProfile(event.currentTarget));
  }

  return (
    <form className={styles.profileForm} onSubmit={submit} aria-labelledby="profile-heading">
      <h2 id="profile-heading">Profile</h2>
      <div className={styles.fieldGrid}>
        <TextField
          label="First name"
          name="first_name"
          autoComplete="given-name"
          maxLength={100}
          defaultValue={profile.first_name ?? ''}
          error={fields.first_name}
        />
        <TextField
          label="Last name"
          name="last_name"
          autoComplete="family-name"
          maxLength={100}
          defaultValue={profile.last_name ?? ''}
          error={fields.last_name}
        />
        <TextField
          label="Phone"
          name="phone"
          type="tel"
          autoComplete="tel"
          maxLength={32}
          defaultValue={profile.phone ?? ''}
          error={fields.phone}
        />
      </div>
      <fieldset className={styles.fieldset}>
        <legend>Default address</legend>
        <p className={styles.muted}>Filled in for you at checkout. Leave every field empty to keep none.</p>
        <AddressFields
          namePrefix={ADDRESS_PREFIX}
          optional
          // "Phone" is the profile's own, above.
          labels={{ phone: 'Delivery phone (optional)' }}
          errorOf={(name) => fields[ADDRESS_PREFIX + name]}
          inputProps={(name) => ({ defaultValue: address?.[name] ?? '' })}
        />
      </fieldset>
      <ErrorNote error={rest} />
      {save.isSuccess && <SuccessNote>Your profile is saved.</SuccessNote>}
      <div>
        <SubmitButton pending={save.isPending}>Save profile</SubmitButton>
      </div>
    </form>
  );
}
