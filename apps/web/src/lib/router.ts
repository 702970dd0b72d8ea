import { useEffect, useState } from "react";

/** Client-side navigation over the History API; the server answers every console path with index.html. */
const listeners = new Set<() => void>();

export function navigate(to: string, replace = false): void {
  if (to === currentPath()) return;
  if (replace) history.replaceState(null, "", to);
  else history.pushState(null, "", to);
  for (const l of listeners) l();
  window.scrollTo(0, 0);
}

export function currentPath(): string {
  return location.pathname + location.search;
}

/** The current path and search, re-rendering on navigation and on back/forward. */
export function useLocation(): { path: string; search: URLSearchParams } {
  const [, setTick] = useState(0);
  useEffect(() => {
    const update = () => setTick((n) => n + 1);
    listeners.add(update);
    window.addEventListener("popstate", update);
    return () => {
      listeners.delete(update);
      window.removeEventListener("popstate", update);
    };
  }, []);
  return { path: location.pathname, search: new URLSearchParams(location.search) };
}

/** Replaces the query string (filters, sort, page) without a new history entry per keystroke. */
export function setSearch(params: Record<string, string | number | null | undefined>): void {
  const q = new URLSearchParams(location.search);
  for (const [k, v] of Object.entries(params)) {
    if (v === null || v === undefined || v === "") q.delete(k);
    else q.set(k, String(v));
  }
  const s = q.toString();
  navigate(`${location.pathname}${s ? `?${s}` : ""}`, true);
}

/** Matches "/institutions/:code" against a path; the parameters, or null. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const trim = (x: string) => x.replace(/\/+$/, "") || "/";
  const p = trim(pattern).split("/");
  const a = trim(path).split("/");
  if (p.length !== a.length) return null;
  const out: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    const seg = p[i]!;
    if (seg.startsWith(":")) out[seg.slice(1)] = decodeURIComponent(a[i]!);
    else if (seg !== a[i]) return null;
  }
  return out;
}
