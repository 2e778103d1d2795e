import { Link, useSearchParams } from 'react-router';

import { EmptyState, ErrorNote, Loading } from '@/components/Feedback';
import { SelectField } from '@/components/Field';
import { Pagination } from '@/components/Pagination';
import { usePageTitle } from '@/lib/usePageTitle';

import { useWarehouses, WAREHOUSES_PAGE_SIZE } from '../api';
import { NewWarehouseForm } from '../components/NewWarehouseForm';
import styles from '../inventory.module.css';
import { pageParam } from './params';

export function WarehousesPage() {
  usePageTitle('Warehouses');
  const [params, setParams] = useSearchParams();
  const page = pageParam(params);
  const status = params.get('status');
  const isActive = status === 'active' ? true : status === 'inactive' ? false : undefined;
  const warehouses = useWarehouses({ page, size: WAREHOUSES_PAGE_SIZE, is_active: isActive });

  return (
    <>
      <p>
        <Link to="/backoffice">← Back-office</Link>
      </p>
      <h1>Warehouses</h1>
      <p className={styles.intro}>Orders take stock from the lowest priority first.</p>
      <div className={styles.tableFilter}>
        <SelectField
          label="Show"
          value={isActive === undefined ? '' : (status ?? '')}
          onChange={(event) => setParams(event.target.value ? { status: event.target.value } : {})}
        >
          <option value="">All warehouses</option>
          <option value="active">Active warehouses</option>
          <option value="inactive">Inactive warehouses</option>
        </SelectField>
      </div>
      {warehouses.isPending ? (
        <Loading />
      ) : warehouses.isError ? (
        <ErrorNote error={warehouses.error} />
      ) : warehouses.data.items.length === 0 ? (
        <EmptyState title={isActive === undefined ? 'No warehouses yet.' : `No ${status} warehouses.`} />
      ) : (
        <>
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">Warehouses, by priority</caption>
              <thead>
                <tr>
                  <th scope="col">Code</th>
                  <th scope="col">Name</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="number">
                    Priority
                  </th>
                  <th scope="col" className="number">
                    Max weight (kg)
                  </th>
                </tr>
              </thead>
              <tbody>
                {warehouses.data.items.map((warehouse) => (
                  <tr key={warehouse.id} className={warehouse.is_active ? undefined : styles.inactive}>
                    <th scope="row">
                      <Link to={`/backoffice/warehouses/${encodeURIComponent(warehouse.code)}`}>{warehouse.code}</Link>
                    </th>
                    <td>{warehouse.name}</td>
                    <td>
                      <span className="badge">{warehouse.is_active ? 'Active' : 'Inactive'}</span>
                    </td>
                    <td className="number">{warehouse.priority}</td>
                    <td className="number">{warehouse.max_weight_kg}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pagination
            page={warehouses.data.page}
            size={warehouses.data.size}
            total={warehouses.data.total}
            onPage={(next) =>
              setParams((current) => {
                current.set('page', String(next));
                return current;
              })
            }
          />
        </>
      )}
      <div className={styles.section}>
        <NewWarehouseForm />
      </div>
    </>
  );
}
