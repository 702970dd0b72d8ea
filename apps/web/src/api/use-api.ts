import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, apiGet, type Query } from "./client.ts";

export interface ApiState<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => void;
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
    apiGet<T>(path, queryRef.current, ctl.signal).then(
      (data) => setState({ data, loading: false }),
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
