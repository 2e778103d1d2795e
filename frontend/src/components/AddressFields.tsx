// The Address schema as a form: one list of its fields with the API's limits (backend
// accounts/schemas.py), shared by the checkout (shipping address) and the profile (default
// address), and one way to turn what was typed into the API's Address.
import type { InputHTMLAttributes } from 'react';

import type { Schemas } from '@/api/client';

import { TextField } from './Field';

export type Address = Schemas['Address'];
export type AddressField = keyof Address;

interface AddressInput {
  name: AddressField;
  label: string;
  required?: boolean;
  maxLength: number;
  autoComplete: string;
  type?: string;
  pattern?: string;
  hint?: string;
  /** A whole row of the grid: the street lines. */
  wide?: boolean;
}

export const ADDRESS_FIELDS: readonly AddressInput[] = [
  { name: 'full_name', label: 'Full name', required: true, maxLength: 200, autoComplete: 'name' },
  { name: 'phone', label: 'Phone', maxLength: 32, autoComplete: 'tel', type: 'tel', hint: 'Optional, for the delivery.' },
  { name: 'line1', label: 'Address', required: true, maxLength: 200, autoComplete: 'address-line1', wide: true },
  { name: 'line2', label: 'Address line 2 (optional)', maxLength: 200, autoComplete: 'address-line2', wide: true },
  { name: 'city', label: 'City', required: true, maxLength: 100, autoComplete: 'address-level2' },
  { name: 'region', label: 'Region (optional)', maxLength: 100, autoComplete: 'address-level1' },
  { name: 'postal_code', label: 'Postal code', required: true, maxLength: 20, autoComplete: 'postal-code' },
  {
    name: 'country',
    label: 'Country',
    required: true,
    maxLength: 2,
    autoComplete: 'country',
    pattern: '[A-Za-z]{2}',
    hint: 'Two-letter code, e.g. DE.',
  },
];

/** The API's Address from what was typed: trimmed, optional parts null when empty (the API
 * takes "" as a value), the country upper-cased. */
export function addressFrom(typed: (name: AddressField) => string): Address {
  const text = (name: AddressField) => typed(name).trim();
  const optional = (name: AddressField) => text(name) || null;
  return {
    full_name: text('full_name'),
    phone: optional('phone'),
    line1: text('line1'),
    line2: optional('line2'),
    city: text('city'),
    region: optional('region'),
    postal_code: text('postal_code'),
    country: text('country').toUpperCase(),
  };
}

/**
 * The address inputs, in a grid. `namePrefix` names them inside a bigger form
 * ("default_address." → "default_address.city"); `inputProps` makes them controlled
 * (value, onChange) or not (defaultValue); `labels` renames a field where the form has another
 * of the same name; `optional`: the whole address may stay empty (no field is required then,
 * and the API says what a partly filled one lacks).
 */
export function AddressFields({
  namePrefix = '',
  labels = {},
  optional = false,
  errorOf,
  inputProps,
}: {
  namePrefix?: string;
  labels?: Partial<Record<AddressField, string>>;
  optional?: boolean;
  errorOf(name: AddressField): string | undefined;
  inputProps(name: AddressField): InputHTMLAttributes<HTMLInputElement>;
}) {
  return (
    <div className="address-grid">
      {ADDRESS_FIELDS.map(({ name, label, wide, autoComplete, required, ...input }) => (
        <div key={name} className={wide ? 'address-grid-wide' : undefined}>
          <TextField
            label={labels[name] ?? label}
            name={namePrefix + name}
            autoComplete={`shipping ${autoComplete}`}
            error={errorOf(name)}
            required={required && !optional}
            {...input}
            {...inputProps(name)}
          />
        </div>
      ))}
    </div>
  );
}
