import type { FormEvent } from 'react';

import { ErrorNote, SuccessNote } from '@/components/Feedback';
import { TextField } from '@/components/Field';
import { SubmitButton } from '@/components/SubmitButton';
import type { Schemas } from '@/api/client';

import { useSaveProfile } from '../api';
import { formText, splitErrors } from '../forms';
import styles from '../auth.module.css';

type Address = Schemas['Address'];

const ADDRESS_FIELDS = ['full_name', 'phone', 'line1', 'line2', 'city', 'region', 'postal_code', 'country'] as const;
const FIELDS = ['first_name', 'last_name', 'phone', ...ADDRESS_FIELDS.map((name) => `default_address.${name}`)];

function readProfile(form: HTMLFormElement): Schemas['ProfileIn'] {
  const text = (name: string) => formText(form, name).trim();
  // The API takes a missing value as null, never as "".
  const optional = (name: string) => text(name) || null;
  const address = (name: keyof Address) => `default_address.${name}`;
  const hasAddress = ADDRESS_FIELDS.some((name) => text(address(name)));
  return {
    first_name: optional('first_name'),
    last_name: optional('last_name'),
    phone: optional('phone'),
    // All empty: no default address. Partly filled: the API says which part is missing.
    default_address: hasAddress
      ? {
          full_name: text(address('full_name')),
          phone: optional(address('phone')),
          line1: text(address('line1')),
          line2: optional(address('line2')),
          city: text(address('city')),
          region: optional(address('region')),
          postal_code: text(address('postal_code')),
          country: text(address('country')),
        }
      : null,
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
        <div className={styles.fieldGrid}>
          <TextField
            label="Full name"
            name="default_address.full_name"
            autoComplete="shipping name"
            maxLength={200}
            defaultValue={address?.full_name ?? ''}
            error={fields['default_address.full_name']}
          />
          <TextField
            label="Delivery phone (optional)"
            name="default_address.phone"
            type="tel"
            autoComplete="shipping tel"
            maxLength={32}
            defaultValue={address?.phone ?? ''}
            error={fields['default_address.phone']}
          />
        </div>
        <TextField
          label="Address"
          name="default_address.line1"
          autoComplete="shipping address-line1"
          maxLength={200}
          defaultValue={address?.line1 ?? ''}
          error={fields['default_address.line1']}
        />
        <TextField
          label="Address line 2 (optional)"
          name="default_address.line2"
          autoComplete="shipping address-line2"
          maxLength={200}
          defaultValue={address?.line2 ?? ''}
          error={fields['default_address.line2']}
        />
        <div className={styles.fieldGrid}>
          <TextField
            label="City"
            name="default_address.city"
            autoComplete="shipping address-level2"
            maxLength={100}
            defaultValue={address?.city ?? ''}
            error={fields['default_address.city']}
          />
          <TextField
            label="Region (optional)"
            name="default_address.region"
            autoComplete="shipping address-level1"
            maxLength={100}
            defaultValue={address?.region ?? ''}
            error={fields['default_address.region']}
          />
          <TextField
            label="Postal code"
            name="default_address.postal_code"
            autoComplete="shipping postal-code"
            maxLength={20}
            defaultValue={address?.postal_code ?? ''}
            error={fields['default_address.postal_code']}
          />
          <TextField
            label="Country"
            name="default_address.country"
            autoComplete="shipping country"
            maxLength={2}
            hint="Two-letter code, e.g. DE"
            defaultValue={address?.country ?? ''}
            error={fields['default_address.country']}
          />
        </div>
      </fieldset>
      <ErrorNote error={rest} />
      {save.isSuccess && <SuccessNote>Your profile is saved.</SuccessNote>}
      <div>
        <SubmitButton pending={save.isPending}>Save profile</SubmitButton>
      </div>
    </form>
  );
}
