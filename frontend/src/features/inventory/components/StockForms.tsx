// The stock operations of one warehouse, each a small form. None updates the table itself:
// every change comes back through the live socket (and the invalidated queries).
import { SelectField, TextField } from '@/components/Field';

import { useAdjust, useDemand, useSupply, useTransfer, useWarehouses } from '../api';
import { formErrors } from '../formErrors';
import { FormPanel, text, wholeNumber } from './FormPanel';

interface StockFormProps {
  code: string;
  /** A <datalist> of the warehouse's SKUs, to suggest from. */
  skuListId: string;
}

function SkuField({ skuListId, error }: { skuListId: string; error?: string }) {
  return (
    <TextField
      label="SKU"
      name="sku"
      list={skuListId}
      autoComplete="off"
      spellCheck={false}
      required
      error={error}
    />
  );
}

function QuantityField({
  label = 'Quantity',
  name = 'quantity',
  min = 1,
  error,
  hint,
}: {
  label?: string;
  name?: string;
  min?: number;
  error?: string;
  hint?: string;
}) {
  return (
    <TextField
      label={label}
      name={name}
      type="number"
      inputMode="numeric"
      min={min}
      step={1}
      required
      error={error}
      hint={hint}
    />
  );
}

export function SupplyForm({ code, skuListId }: StockFormProps) {
  const supply = useSupply(code);
  const errors = formErrors(
    supply.error,
    { 'items.0.sku': 'sku', 'items.0.quantity': 'quantity', 'items.0.unit_cost': 'unit_cost', note: 'note' },
    { item_not_found: 'sku', capacity_exceeded: 'quantity' },
  );
  const line = supply.data?.[0];

  return (
    <FormPanel
      title="Supply"
      submitLabel="Add supply"
      pending={supply.isPending}
      error={errors.general}
      success={line && `Received. ${line.sku} on hand: ${line.on_hand}.`}
      onSubmit={(form) => {
        const unitCost = text(form, 'unit_cost');
        const note = text(form, 'note');
        supply.mutate(
          {
            items: [
              {
                sku: text(form, 'sku'),
                quantity: wholeNumber(form, 'quantity'),
                unit_cost: unitCost === '' ? null : unitCost,
              },
            ],
            note: note === '' ? null : note,
          },
          { onSuccess: () => form.reset() },
        );
      }}
    >
      <SkuField skuListId={skuListId} error={errors.fields.sku} />
      <QuantityField error={errors.fields.quantity} />
      <TextField label="Unit cost (optional)" name="unit_cost" inputMode="decimal" error={errors.fields.unit_cost} hint="The purchase price of one unit." />
      <TextField label="Note (optional)" name="note" error={errors.fields.note} />
    </FormPanel>
  );
}

export function DemandForm({ code, skuListId }: StockFormProps) {
  const demand = useDemand(code);
  const errors = formErrors(
    demand.error,
    { item_id: 'sku', quantity: 'quantity' },
    { item_not_found: 'sku', insufficient_stock: 'quantity' },
  );
  const sku = demand.variables?.item_id.toUpperCase();
  const left = demand.data?.store.report.find((line) => line.item_id === sku)?.quantity;

  return (
    <FormPanel
      title="Demand"
      submitLabel="Take from stock"
      pending={demand.isPending}
      error={errors.general}
      success={demand.isSuccess && `Taken. ${sku} on hand: ${left ?? 0}.`}
      onSubmit={(form) =>
        demand.mutate(
          { item_id: text(form, 'sku'), quantity: wholeNumber(form, 'quantity') },
          { onSuccess: () => form.reset() },
        )
      }
    >
      <SkuField skuListId={skuListId} error={errors.fields.sku} />
      <QuantityField error={errors.fields.quantity} hint="At most what is available." />
    </FormPanel>
  );
}

export function AdjustForm({ code, skuListId }: StockFormProps) {
  const adjust = useAdjust(code);
  const errors = formErrors(
    adjust.error,
    { sku: 'sku', counted: 'counted', reason: 'reason' },
    { item_not_found: 'sku', below_reserved: 'counted' },
  );

  return (
    <FormPanel
      title="Stock count"
      submitLabel="Record count"
      pending={adjust.isPending}
      error={errors.general}
      success={adjust.data && `Counted. ${adjust.data.sku} on hand: ${adjust.data.on_hand}.`}
      onSubmit={(form) =>
        adjust.mutate(
          { sku: text(form, 'sku'), counted: wholeNumber(form, 'counted'), reason: text(form, 'reason') },
          { onSuccess: () => form.reset() },
        )
      }
    >
      <SkuField skuListId={skuListId} error={errors.fields.sku} />
      <QuantityField
        label="Counted quantity"
        name="counted"
        min={0}
        error={errors.fields.counted}
        hint="On hand becomes this; not less than what is reserved."
      />
      <TextField label="Reason" name="reason" required error={errors.fields.reason} />
    </FormPanel>
  );
}

export function TransferForm({ code, skuListId }: StockFormProps) {
  const transfer = useTransfer(code);
  // Stock moves only into active warehouses.
  const warehouses = useWarehouses({ is_active: true });
  const targets = warehouses.data?.items.filter((warehouse) => warehouse.code !== code) ?? [];
  const errors = formErrors(
    transfer.error,
    { to_warehouse: 'to_warehouse', 'items.0.sku': 'sku', 'items.0.quantity': 'quantity', note: 'note' },
    {
      item_not_found: 'sku',
      insufficient_stock: 'quantity',
      capacity_exceeded: 'quantity',
      warehouse_not_found: 'to_warehouse',
      same_warehouse: 'to_warehouse',
    },
  );
  const moved = transfer.data;

  return (
    <FormPanel
      title="Transfer"
      submitLabel="Transfer stock"
      pending={transfer.isPending}
      error={errors.general ?? warehouses.error}
      success={
        moved &&
        moved.items.map((line) => `Moved ${line.quantity} × ${line.sku} to ${moved.to_warehouse}.`).join(' ')
      }
      onSubmit={(form) => {
        const note = text(form, 'note');
        transfer.mutate(
          {
            to_warehouse: text(form, 'to_warehouse'),
            items: [{ sku: text(form, 'sku'), quantity: wholeNumber(form, 'quantity') }],
            note: note === '' ? null : note,
          },
          { onSuccess: () => form.reset() },
        );
      }}
    >
      <SkuField skuListId={skuListId} error={errors.fields.sku} />
      <QuantityField error={errors.fields.quantity} />
      <SelectField label="To warehouse" name="to_warehouse" required defaultValue="" error={errors.fields.to_warehouse}>
        <option value="" disabled>
          {warehouses.isPending ? 'Loading warehouses…' : 'Choose a warehouse'}
        </option>
        {targets.map((warehouse) => (
          <option key={warehouse.code} value={warehouse.code}>
            {warehouse.code} — {warehouse.name}
          </option>
        ))}
      </SelectField>
      <TextField label="Note (optional)" name="note" error={errors.fields.note} />
    </FormPanel>
  );
}
