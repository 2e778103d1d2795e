// The live stock socket of one warehouse (WS /ws/stores/{code}): the store report on connect
// and after every change. The access token is the socket's first message, not part of the
// URL (URLs end up in access logs). Reconnects with a growing delay; an expired access token
// (4401) is refreshed first, through any authenticated call (the session layer refreshes on
// 401).
import { useEffect, useRef, useState } from 'react';

import { api } from '@/api/client';
import { getTokens } from '@/lib/session';

import type { StoreReport } from './api';

export type LiveStatus = 'connecting' | 'live' | 'retrying' | 'forbidden' | 'unknown-store';

const CLOSE_UNAUTHENTICATED = 4401;
const CLOSE_FORBIDDEN = 4403;
const CLOSE_UNKNOWN_STORE = 4404;
const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 30_000;

export function liveStockUrl(code: string): string {
  const protocol = globalThis.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${protocol}//${globalThis.location.host}/ws/stores/${encodeURIComponent(code)}`;
}

/**
 * Calls `onReport` with every report of the warehouse's socket; returns how the socket is.
 * One warehouse per mount: key the component by the code.
 */
export function useLiveStock(code: string, onReport: (report: StoreReport) => void): LiveStatus {
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const reportHandler = useRef(onReport);
  useEffect(() => {
    reportHandler.current = onReport;
  });

  useEffect(() => {
    let stopped = false;
    let socket: WebSocket | null = null;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    let tokenRefused = false;

    async function connect() {
      if (tokenRefused) {
        // Any authenticated call refreshes an expired access token before it answers.
        await api.GET('/api/v1/users/me').catch(() => undefined);
        tokenRefused = false;
      }
      const tokens = getTokens();
      if (stopped) return;
      if (!tokens) {
        setStatus('forbidden');
        return;
      }
      const current = new WebSocket(liveStockUrl(code));
      socket = current;
      current.onopen = () => current.send(JSON.stringify({ token: tokens.access_token }));
      current.onmessage = (event: MessageEvent<string>) => {
        failures = 0;
        setStatus('live');
        let report: StoreReport;
        try {
          report = JSON.parse(event.data) as StoreReport;
        } catch {
          return; // not a report: the next one comes with the next change
        }
        reportHandler.current(report);
      };
      current.onclose = (event) => {
        socket = null;
        if (stopped) return;
        if (event.code === CLOSE_FORBIDDEN) return setStatus('forbidden');
        if (event.code === CLOSE_UNKNOWN_STORE) return setStatus('unknown-store');
        tokenRefused = event.code === CLOSE_UNAUTHENTICATED;
        setStatus('retrying');
        // A token that expired on a working socket is renewed at once; anything else waits.
        const delay =
          tokenRefused && failures === 0 ? 0 : Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** failures);
        failures += 1;
        // Jitter: many screens that lost the server together do not come back together.
        retryTimer = setTimeout(() => void connect(), delay * (0.75 + Math.random() / 2));
      };
    }

    void connect();
    return () => {
      stopped = true;
      clearTimeout(retryTimer);
      if (!socket) return;
      const last = socket;
      last.onmessage = null;
      if (last.readyState === WebSocket.CONNECTING) {
        // Closing before the handshake ends makes browsers log an error: close once open.
        last.onopen = () => last.close(1000);
      } else {
        last.close(1000);
      }
    };
  }, [code]);

  return status;
}
