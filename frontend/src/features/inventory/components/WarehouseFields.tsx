import { TextField } from '@/components/Field';
import type { FieldErrors } from '@/lib/errors';

import type { Warehouse } from '../api';
import { text } from './FormPanel';

/** The API's field names of a warehouse's settings, for `formErrors`. */
export const WAREHOUSE_FIELDS = {
  name: 'name',
  address: 'address',
  max_weight_kg: 'max_weight_kg',
  priority: 'priority',
};

/** A warehouse's settings as the form holds them; a blank priority is `blankPriority`. */
export function warehouseSettings(form: HTMLFormElement, blankPriority: number) {
  const address = text(form, 'address');
  const priority = text(form, 'priority');
  return {
    name: text(form, 'name'),
    address: address === '' ? null : address,
    max_weight_kg: text(form, 'max_weight_kg'),
    priority: priority === '' ? blankPriority : Number(priority),
    is_active: new FormData(form).has('is_active'),
  };
}

/** Name, address, capacity, priority and "active": a new warehouse's (no `warehouse`) or
 * an existing one's, filled in. */
export function WarehouseFields({ warehouse, errors }: { warehouse?: Warehouse; errors: FieldErrors }) {
  return (
    <>
      <TextField label="Name" name="name" defaultValue={warehouse?.name} required error={errors.name} />
      <TextField
        label="Address (optional)"
        name="address"
        defaultValue={warehouse?.address ?? ''}
        error={errors.address}
      />
      <TextField
        label="Max weight (kg)"
        name="max_weight_kg"
        inputMode="decimal"
        defaultValue={warehouse?.max_weight_kg}
        required
        hint={warehouse ? undefined : 'The weight it can store, e.g. 1500.'}
        error={errors.max_weight_kg}
      />
      <TextField
        label="Priority"
        name="priority"
        type="number"
        inputMode="numeric"
        min={0}
        step={1}
        defaultValue={warehouse?.priority ?? 0}
        required={warehouse !== undefined}
        hint="Orders take stock from priority 0 first."
        error={errors.priority}
      />
      <label className="checkbox">
        <input type="checkbox" name="is_active" defaultChecked={warehouse?.is_active ?? true} />
        Active
      </label>
    </>
  );
}
