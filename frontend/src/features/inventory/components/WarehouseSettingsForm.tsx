import { TextField } from '@/components/Field';

import { useUpdateWarehouse, type Warehouse } from '../api';
import { formErrors } from '../formErrors';
import { FormPanel, text } from './FormPanel';

const FIELDS = {
  name: 'name',
  address: 'address',
  max_weight_kg: 'max_weight_kg',
  priority: 'priority',
};

/** Name, address, capacity, priority and whether orders may use it; the code never changes. */
export function WarehouseSettingsForm({ warehouse }: { warehouse: Warehouse }) {
  const update = useUpdateWarehouse(warehouse.code);
  const errors = formErrors(update.error, FIELDS);

  return (
    <FormPanel
      title="Settings"
      submitLabel="Save settings"
      pending={update.isPending}
      error={errors.general}
      success={update.isSuccess && 'Settings saved.'}
      onSubmit={(form) => {
        const address = text(form, 'address');
        const priority = text(form, 'priority');
        update.mutate({
          name: text(form, 'name'),
          address: address === '' ? null : address,
          max_weight_kg: text(form, 'max_weight_kg'),
          priority: priority === '' ? Number.NaN : Number(priority),
          is_active: new FormData(form).has('is_active'),
        });
      }}
    >
      <TextField label="Name" name="name" defaultValue={warehouse.name} required error={errors.fields.name} />
      <TextField label="Address (optional)" name="address" defaultValue={warehouse.address ?? ''} error={errors.fields.address} />
      <TextField
        label="Max weight (kg)"
        name="max_weight_kg"
        inputMode="decimal"
        defaultValue={warehouse.max_weight_kg}
        required
        error={errors.fields.max_weight_kg}
      />
      <TextField
        label="Priority"
        name="priority"
        type="number"
        inputMode="numeric"
        min={0}
        step={1}
        defaultValue={warehouse.priority}
        required
        hint="Orders take stock from priority 0 first."
        error={errors.fields.priority}
      />
      <label className="checkbox">
        <input type="checkbox" name="is_active" defaultChecked={warehouse.is_active} />
        Active
      </label>
    </FormPanel>
  );
}
