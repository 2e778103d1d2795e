import { useUpdateWarehouse, type Warehouse } from '../api';
import { formErrors } from '../formErrors';
import { FormPanel } from './FormPanel';
import { WAREHOUSE_FIELDS, WarehouseFields, warehouseSettings } from './WarehouseFields';

/** Name, address, capacity, priority and whether orders may use it; the code never changes. */
export function WarehouseSettingsForm({ warehouse }: { warehouse: Warehouse }) {
  const update = useUpdateWarehouse(warehouse.code);
  const errors = formErrors(update.error, WAREHOUSE_FIELDS);

  return (
    <FormPanel
      title="Settings"
      submitLabel="Save settings"
      pending={update.isPending}
      error={errors.general}
      success={update.isSuccess && 'Settings saved.'}
      // A blank priority goes as NaN (null in JSON): the API's refusal lands at the field.
      onSubmit={(form) => update.mutate(warehouseSettings(form, Number.NaN))}
    >
      <WarehouseFields warehouse={warehouse} errors={errors.fields} />
    </FormPanel>
  );
}
