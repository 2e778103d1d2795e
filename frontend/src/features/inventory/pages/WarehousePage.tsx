import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useId, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';

import { EmptyState, ErrorNote, Loading } from '@/components/Feedback';
import { ApiError } from '@/lib/errors';
import { usePageTitle } from '@/lib/usePageTitle';

import { inventoryKeys, useWarehouse, type StockLine, type StoreReport } from '../api';
import { LiveIndicator } from '../components/LiveIndicator';
import { StockTable } from '../components/StockTable';
import { AdjustForm, DemandForm, SupplyForm, TransferForm } from '../components/StockForms';
import { WarehouseSettingsForm } from '../components/WarehouseSettingsForm';
import { StockReportButton, WeightTask } from '../components/WarehouseTools';
import styles from '../inventory.module.css';
import { useLiveStock } from '../useLiveStock';

/** On hand by SKU from the socket's last report, and when it came. */
interface LiveReport {
  receivedAt: number;
  onHand: ReadonlyMap<string, number>;
}

export function WarehouseRoute() {
  const { code = '' } = useParams();
  // A new warehouse, a new page: its socket, its forms and its highlights start afresh.
  return <WarehousePage key={code} code={code.toUpperCase()} />;
}

function WarehousePage({ code }: { code: string }) {
  usePageTitle(`Warehouse ${code}`);
  const queryClient = useQueryClient();
  const warehouse = useWarehouse(code);
  const skuListId = useId();
  const [live, setLive] = useState<LiveReport | null>(null);

  const onReport = useCallback(
    (report: StoreReport) => {
      setLive({
        receivedAt: Date.now(),
        onHand: new Map(report.store.report.map((line) => [line.item_id, line.quantity])),
      });
      // The report has on hand only: reserved and available come with the warehouse.
      void queryClient.invalidateQueries({ queryKey: inventoryKeys.warehouse(code) });
    },
    [code, queryClient],
  );
  const status = useLiveStock(code, onReport);

  const fetchedAt = warehouse.dataUpdatedAt;
  const stock = warehouse.data?.stock;
  const lines = useMemo<StockLine[]>(() => {
    if (!stock) return [];
    // The report shows on hand at once; the refetch it started brings the rest, and wins.
    if (!live || live.receivedAt <= fetchedAt) return stock;
    return stock.map((line) => {
      const onHand = live.onHand.get(line.sku);
      return onHand === undefined || onHand === line.on_hand
        ? line
        : { ...line, on_hand: onHand, available: onHand - line.reserved };
    });
  }, [stock, live, fetchedAt]);

  if (warehouse.isPending) return <Loading />;
  if (warehouse.isError) {
    if (warehouse.error instanceof ApiError && warehouse.error.status === 404) {
      return (
        <EmptyState title={`No warehouse has the code ${code}.`}>
          <Link to="/backoffice/warehouses">All warehouses</Link>
        </EmptyState>
      );
    }
    return <ErrorNote error={warehouse.error} />;
  }

  const detail = warehouse.data;
  return (
    <>
      <p>
        <Link to="/backoffice/warehouses">← Warehouses</Link>
      </p>
      <h1>
        Warehouse {detail.code} — {detail.name}
      </h1>
      <dl className={styles.summary}>
        <div>
          <dt>Status</dt>
          <dd>{detail.is_active ? 'Active' : 'Inactive'}</dd>
        </div>
        <div>
          <dt>Priority</dt>
          <dd>{detail.priority}</dd>
        </div>
        <div>
          <dt>Stored weight</dt>
          <dd>{detail.total_weight_kg} kg</dd>
        </div>
        <div>
          <dt>Max weight</dt>
          <dd>{detail.max_weight_kg} kg</dd>
        </div>
        {detail.address && (
          <div>
            <dt>Address</dt>
            <dd>{detail.address}</dd>
          </div>
        )}
      </dl>
      <div className={styles.actions}>
        <StockReportButton code={detail.code} />
        <WeightTask code={detail.code} />
      </div>

      <section className={styles.section} aria-labelledby="stock-heading">
        <div className={styles.sectionHeader}>
          <h2 id="stock-heading">Stock</h2>
          <LiveIndicator status={status} />
        </div>
        <StockTable code={detail.code} lines={lines} />
        <datalist id={skuListId}>
          {detail.stock.map((line) => (
            <option key={line.sku} value={line.sku}>
              {line.name}
            </option>
          ))}
        </datalist>
      </section>

      <section className={styles.section} aria-labelledby="operations-heading">
        <h2 id="operations-heading">Stock operations</h2>
        <p className={styles.intro}>The table above updates by itself once an operation is done.</p>
        <div className={styles.panels}>
          <SupplyForm code={detail.code} skuListId={skuListId} />
          <DemandForm code={detail.code} skuListId={skuListId} />
          <AdjustForm code={detail.code} skuListId={skuListId} />
          <TransferForm code={detail.code} skuListId={skuListId} />
        </div>
      </section>

      <section className={styles.section} aria-labelledby="settings-heading">
        <h2 id="settings-heading">Warehouse settings</h2>
        <div className={styles.panels}>
          <WarehouseSettingsForm warehouse={detail} />
        </div>
      </section>
    </>
  );
}
