import { Link } from 'react-router';

import { TextField } from '@/components/Field';

import { useCreateWarehouse } from '../api';
import { formErrors } from '../formErrors';
import { FormPanel, text } from './FormPanel';

const FIELDS = {
  code: 'code',
  name: 'name',
  address: 'address',
  max_weight_kg: 'max_weight_kg',
  priority: 'priority',
};

export function NewWarehouseForm() {
  const create = useCreateWarehouse();
  const errors = formErrors(create.error, FIELDS, { warehouse_code_taken: 'code' });
  const created = create.data;

  return (
    <FormPanel
      title="New warehouse"
      level={2}
      submitLabel="Create warehouse"
      pending={create.isPending}
      error={errors.general}
      success={
        created && (
          <>
            Warehouse {created.code} created.{' '}
            <Link to={`/backoffice/warehouses/${encodeURIComponent(created.code)}`}>Open {created.code}</Link>
          </>
        )
      }
      onSubmit={(form) => {
        const address = text(form, 'address');
        const priority = text(form, 'priority');
        create.mutate(
          {
            code: text(form, 'code'),
            name: text(form, 'name'),
            address: address === '' ? null : address,
            max_weight_kg: text(form, 'max_weight_kg'),
            priority: priority === '' ? 0 : Number(priority),
            is_active: new FormData(form).has('is_active'),
          },
          { onSuccess: () => form.reset() },
        );
      }}
    >
      <TextField
        label="Code"
        name="code"
        autoComplete="off"
        spellCheck={false}
        required
        hint="Up to 32 letters, digits, '.', '_' or '-'; it never changes. The stock API's store ID."
        error={errors.fields.code}
      />
      <TextField label="Name" name="name" required error={errors.fields.name} />
      <TextField label="Address (optional)" name="address" error={errors.fields.address} />
      <TextField
        label="Max weight (kg)"
        name="max_weight_kg"
        inputMode="decimal"
        required
        hint="The weight it can store, e.g. 1500."
        error={errors.fields.max_weight_kg}
      />
      <TextField
        label="Priority"
        name="priority"
        type="number"
        inputMode="numeric"
        min={0}
        step={1}
        defaultValue={0}
        hint="Orders take stock from priority 0 first."
        error={errors.fields.priority}
      />
      <label className="checkbox">
        <input type="checkbox" name="is_active" defaultChecked />
        Active
      </label>
    </FormPanel>
  );
}
