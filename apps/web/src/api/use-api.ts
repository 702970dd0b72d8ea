import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, apiGet, type Query } from "./client.ts";

export interface ApiState<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => void;
}

/** Requests started before their page's code has loaded, each taken by the first useApi that asks for it. */
const early = new Map<string, Promise<unknown>>();

/** Starts a GET that a page will make as soon as its code arrives (the first page's data, in parallel with it). */
export function prefetch(path: string, query?: Query): void {
  const key = JSON.stringify([path, query ?? {}]);
  if (early.has(key)) return;
  const p = apiGet(path, query);
  p.catch(() => {}); // a failure is reported to the page that takes it
  early.set(key, p);
}

/** GETs a path (null: nothing yet) and keeps the answer; a newer request cancels the older one. */
export function useApi<T>(path: string | null, query?: Query): ApiState<T> {
  const [state, setState] = useState<{ data?: T; error?: ApiError; loading: boolean }>({
    loading: path !== null,
  });
  const [tick, setTick] = useState(0);
  const key = path === null ? null : JSON.stringify([path, query ?? {}]);
  const queryRef = useRef(query);
  queryRef.current = query;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the key stands for path and query; tick forces a reload.
  useEffect(() => {
    if (path === null) {
      setState({ loading: false });
      return;
    }
    const ctl = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    const started = key ? (early.get(key) as Promise<T> | undefined) : undefined;
    if (started) early.delete(key!);
    (started ?? apiGet<T>(path, queryRef.current, ctl.signal)).then(
      (data) => {
        if (!ctl.signal.aborted) setState({ data, loading: false });
      },
      (e: unknown) => {
        if (ctl.signal.aborted) return;
        setState({
          error: e instanceof ApiError ? e : new ApiError(0, "NETWORK", String(e)),
          loading: false,
        });
      },
    );
    return () => ctl.abort();
  }, [key, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}
