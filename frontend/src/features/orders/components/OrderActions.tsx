import { useEffect, useRef, useState } from 'react';

import { ErrorNote, SuccessNote } from '@/components/Feedback';
import { SubmitButton } from '@/components/SubmitButton';

import { useOrderStep, type Order } from '../api';
import { isCancellable, NEXT_STEP, STATUS_LABELS } from '../status';
import styles from '../orders.module.css';

/**
 * What may happen to the order now: staff move it on one step; its owner and staff may cancel
 * it while the goods are in the warehouse, after a confirmation.
 */
export function OrderActions({ order, staff }: { order: Order; staff: boolean }) {
  const step = useOrderStep(order.id);
  const [confirmingCancel, setConfirmingCancel] = useState(false);
  const next = staff ? NEXT_STEP[order.status] : undefined;
  const cancellable = isCancellable(order.status);

  // The question takes the focus, so that keyboard and screen-reader users land on it;
  // "keep the order" gives it back to the button that asked.
  const section = useRef<HTMLElement>(null);
  const question = useRef<HTMLDivElement>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
  const wasConfirming = useRef(false);
  useEffect(() => {
    if (confirmingCancel) question.current?.focus();
    else if (wasConfirming.current) cancelButton.current?.focus();
    wasConfirming.current = confirmingCancel;
  }, [confirmingCancel]);

  // A step can remove the focused button (nothing left to do): the focus stays here, not lost.
  const shownStatus = useRef(order.status);
  useEffect(() => {
    if (shownStatus.current !== order.status && document.activeElement === document.body) {
      section.current?.focus();
    }
    shownStatus.current = order.status;
  }, [order.status]);

  // Kept after the last step, to say how it went.
  if (!next && !cancellable && step.isIdle) return null;

  return (
    <section ref={section} className={styles.section} aria-labelledby="order-actions" tabIndex={-1}>
      <h2 id="order-actions" className={staff ? undefined : 'visually-hidden'}>
        {staff ? 'Status' : 'Change this order'}
      </h2>
      {step.isSuccess && <SuccessNote>Order {order.number} is now {STATUS_LABELS[order.status].toLowerCase()}.</SuccessNote>}
      <ErrorNote error={step.error} />
      {confirmingCancel && cancellable ? (
        <div
          ref={question}
          className={`card ${styles.confirm}`}
          role="group"
          aria-labelledby="cancel-question"
          tabIndex={-1}
        >
          <p id="cancel-question">
            Cancel order {order.number}? Its items go back to stock. This cannot be undone.
          </p>
          <div className={styles.actions}>
            <SubmitButton
              type="button"
              className="button danger"
              pending={step.isPending}
              pendingLabel="Cancelling…"
              onClick={() => step.mutate('cancel', { onSettled: () => setConfirmingCancel(false) })}
            >
              Yes, cancel the order
            </SubmitButton>
            <button type="button" className="button" disabled={step.isPending} onClick={() => setConfirmingCancel(false)}>
              Keep the order
            </button>
          </div>
        </div>
      ) : (
        (next || cancellable) && (
          <div className={styles.actions}>
            {next && (
              <SubmitButton
                type="button"
                pending={step.isPending}
                pendingLabel="Saving…"
                onClick={() => step.mutate(next.step)}
              >
                {next.label}
              </SubmitButton>
            )}
            {cancellable && (
              <button
                ref={cancelButton}
                type="button"
                className="button danger"
                disabled={step.isPending}
                onClick={() => {
                  step.reset();
                  setConfirmingCancel(true);
                }}
              >
                Cancel order
              </button>
            )}
          </div>
        )
      )}
    </section>
  );
}
