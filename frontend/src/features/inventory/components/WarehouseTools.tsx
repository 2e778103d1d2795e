// The warehouse page's two background jobs: the xlsx stock report and the weight task.
import { useMutation } from '@tanstack/react-query';

import { ErrorNote } from '@/components/Feedback';

import { fetchStockReport, isFinished, useInventoryTask, useStartWeightTask, type InventoryTask } from '../api';
import styles from '../inventory.module.css';

/** Hands a downloaded file to the browser to save, under the server's file name. */
function saveFile(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked on the next turn: the click has started the download by then.
  setTimeout(() => URL.revokeObjectURL(url));
}

export function StockReportButton({ code }: { code: string }) {
  const download = useMutation({
    mutationFn: () => fetchStockReport(code),
    onSuccess: ({ blob, filename }) => saveFile(blob, filename),
  });
  return (
    <div className={styles.action}>
      <button
        type="button"
        className="button"
        onClick={() => download.mutate()}
        disabled={download.isPending}
        aria-busy={download.isPending || undefined}
      >
        {download.isPending ? 'Preparing the report…' : 'Download stock report (xlsx)'}
      </button>
      <ErrorNote error={download.error} />
    </div>
  );
}

function describe(task: InventoryTask): string {
  switch (task.status) {
    case 'pending':
      return 'Weight task pending…';
    case 'running':
      return 'Weight task running…';
    case 'success': {
      const weight = task.result?.total_weight_kg;
      return `Weight task succeeded: total weight ${typeof weight === 'string' ? weight : '?'} kg.`;
    }
    case 'failure': {
      const error = task.result?.error;
      return `Weight task failed: ${typeof error === 'string' ? error : 'unknown error'}.`;
    }
  }
}

/** Starts the weight task and follows it until it has finished (polling ends on unmount). */
export function WeightTask({ code }: { code: string }) {
  const start = useStartWeightTask(code);
  const task = useInventoryTask(start.data?.task_id ?? null);
  const running = start.isPending || (start.isSuccess && !isFinished(task.data));

  return (
    <div className={styles.action}>
      <button
        type="button"
        className="button"
        onClick={() => start.mutate()}
        disabled={running}
        aria-busy={running || undefined}
      >
        Compute total weight
      </button>
      <p aria-live="polite">{task.data ? describe(task.data) : start.isPending ? 'Starting the weight task…' : ''}</p>
      <ErrorNote error={start.error ?? task.error} />
    </div>
  );
}
