import { Link } from 'react-router';

import { TextField } from '@/components/Field';

import { useCreateWarehouse } from '../api';
import { formErrors } from '../formErrors';
import { FormPanel, text } from './FormPanel';
import { WAREHOUSE_FIELDS, WarehouseFields, warehouseSettings } from './WarehouseFields';

const FIELDS = { code: 'code', ...WAREHOUSE_FIELDS };

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
        create.mutate(
          { code: text(form, 'code'), ...warehouseSettings(form, 0) },
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
      <WarehouseFields errors={errors.fields} />
    </FormPanel>
  );
}
