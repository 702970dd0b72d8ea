import { type ReactNode, useCallback, useEffect, useRef, useState } from "react";

interface Props<R> {
  /** Rows in all (the server's total). */
  total: number;
  rowHeight: number;
  /** Visible height of the scrolling area. */
  height: number;
  /** The row at an index, or undefined while its page is still loading. */
  rowAt: (index: number) => R | undefined;
  /** Asked for the rows in [from, to) when they come into view. */
  onRange: (from: number, to: number) => void;
  renderRow: (row: R | undefined, index: number) => ReactNode;
  header: ReactNode;
  label: string;
}

/**
 * A table body that renders only the rows in view (plus a margin), so a hundred thousand rows scroll as smoothly
 * as ten; rows arrive page by page from the server as they come into view.
 */
export function VirtualRows<R>({
  total,
  rowHeight,
  height,
  rowAt,
  onRange,
  renderRow,
  header,
  label,
}: Props<R>) {
  const scroller = useRef<HTMLDivElement>(null);
  const [top, setTop] = useState(0);
  const overscan = 8;
  const first = Math.max(0, Math.floor(top / rowHeight) - overscan);
  const last = Math.min(total, Math.ceil((top + height) / rowHeight) + overscan);
  useEffect(() => onRange(first, last), [first, last, onRange]);
  const onScroll = useCallback(() => {
    const el = scroller.current;
    if (el) setTop(el.scrollTop);
  }, []);
  // A new filter starts at the top.
  useEffect(() => {
    if (scroller.current && total >= 0) {
      scroller.current.scrollTop = 0;
      setTop(0);
    }
  }, [total]);
  const rows: ReactNode[] = [];
  for (let i = first; i < last; i++) rows.push(renderRow(rowAt(i), i));
  return (
    <div className="vtable" role="table" aria-label={label} aria-rowcount={total + 1}>
      <div className="vtable-head" role="rowgroup">
        {header}
      </div>
      <div className="vtable-scroll" ref={scroller} onScroll={onScroll} style={{ height }} role="rowgroup">
        <div style={{ height: total * rowHeight, position: "relative" }}>
          <div style={{ position: "absolute", top: first * rowHeight, left: 0, right: 0 }}>{rows}</div>
        </div>
      </div>
    </div>
  );
}
