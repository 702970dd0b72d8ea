import { type ReactNode, useCallback, useEffect, useRef, useState } from "react";

export interface VirtualColumn {
  id: string;
  header: ReactNode;
  /** CSS width of the column (the table is laid out fixed, so rows never jump). */
  width: string;
  className?: string;
}

interface Props<R> {
  /** Rows in all (the server's total). */
  total: number;
  rowHeight: number;
  /** Visible height of the scrolling area. */
  height: number;
  columns: readonly VirtualColumn[];
  /** The row at an index, or undefined while its page is still loading. */
  rowAt: (index: number) => R | undefined;
  rowKey: (row: R | undefined, index: number) => string;
  /** Asked for the rows in [from, to) when they come into view. */
  onRange: (from: number, to: number) => void;
  /** The cells of one row, one per column (a loading row gets undefined). */
  renderCells: (row: R | undefined, index: number) => ReactNode[];
  label: string;
}

/**
 * A real table that renders only the rows in view (plus a margin) between two spacer rows, so a hundred thousand
 * rows scroll as smoothly as ten; rows arrive page by page from the server as they come into view.
 */
export function VirtualRows<R>(p: Props<R>) {
  const { total, rowHeight, height, onRange } = p;
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
  // A new filter (a new total) starts at the top.
  useEffect(() => {
    if (scroller.current && total >= 0) {
      scroller.current.scrollTop = 0;
      setTop(0);
    }
  }, [total]);
  const rows: ReactNode[] = [];
  for (let i = first; i < last; i++) {
    const row = p.rowAt(i);
    const cells = p.renderCells(row, i);
    rows.push(
      <tr
        key={p.rowKey(row, i)}
        aria-rowindex={i + 2}
        style={{ height: rowHeight }}
        className={row ? undefined : "vrow-loading"}
      >
        {cells.map((c, j) => (
          <td key={p.columns[j]?.id ?? j} className={p.columns[j]?.className}>
            {c}
          </td>
        ))}
      </tr>,
    );
  }
  return (
    <div className="vtable-scroll" ref={scroller} onScroll={onScroll} style={{ height }}>
      <table className="table vtable" aria-label={p.label} aria-rowcount={total + 1}>
        <colgroup>
          {p.columns.map((c) => (
            <col key={c.id} style={{ width: c.width }} />
          ))}
        </colgroup>
        <thead>
          <tr aria-rowindex={1}>
            {p.columns.map((c) => (
              <th key={c.id} scope="col" className={c.className}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {first > 0 ? <tr style={{ height: first * rowHeight }} /> : null}
          {rows}
          {last < total ? <tr style={{ height: (total - last) * rowHeight }} /> : null}
        </tbody>
      </table>
    </div>
  );
}
