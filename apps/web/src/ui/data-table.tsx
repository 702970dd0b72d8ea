import { type ReactNode, useMemo, useState } from "react";
import { useI18n } from "../i18n/i18n.ts";
import { type Cell, download, toCsv, toXlsx, xlsxType } from "../lib/export.ts";

export interface Column<R> {
  id: string;
  header: string;
  /** What the cell shows; defaults to the exported value. */
  cell?: (row: R) => ReactNode;
  /** The plain value, used to sort and to export. */
  value: (row: R) => Cell;
  align?: "right";
  /** Server-side sort field; with `sort` on the table, clicking the header asks for it. */
  sortKey?: string;
}

interface Props<R> {
  columns: readonly Column<R>[];
  rows: readonly R[];
  rowKey: (row: R) => string;
  /** Accessible caption and export file name. */
  caption: string;
  /** Server-side sort state; without it, headers sort the rows in the browser. */
  sort?: { key: string; order: "asc" | "desc"; onSort: (key: string, order: "asc" | "desc") => void };
  /** Rows to export when the table shows only a page (all pages fetched by the caller). */
  exportRows?: () => Promise<readonly R[]>;
  selectable?: { selected: ReadonlySet<string>; onChange: (next: Set<string>) => void };
  empty?: string;
  dense?: boolean;
}

/** A table whose headers sort and whose rows export to CSV or XLSX as shown (translated headers). */
export function DataTable<R>(props: Props<R>) {
  const { t } = useI18n();
  const { columns, rows, rowKey, sort, selectable } = props;
  const [local, setLocal] = useState<{ id: string; order: "asc" | "desc" } | null>(null);
  const shown = useMemo(() => {
    if (sort || !local) return rows;
    const col = columns.find((c) => c.id === local.id);
    if (!col) return rows;
    const dir = local.order === "asc" ? 1 : -1;
    return [...rows].sort((a, b) => {
      const x = col.value(a);
      const y = col.value(b);
      if (x === y) return 0;
      if (x === null || x === undefined || x === "") return 1;
      if (y === null || y === undefined || y === "") return -1;
      return (
        (typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y))) * dir
      );
    });
  }, [rows, columns, local, sort]);

  const exportAs = async (kind: "csv" | "xlsx") => {
    const all = props.exportRows ? await props.exportRows() : shown;
    const header = columns.map((c) => c.header);
    const data = all.map((r) => columns.map((c) => c.value(r)));
    const name = props.caption.replace(/[\\/:*?"<>|]/g, "_");
    if (kind === "csv") download(`${name}.csv`, toCsv(header, data), "text/csv;charset=utf-8");
    else download(`${name}.xlsx`, toXlsx(name, header, data), xlsxType);
  };

  const ariaSort = (c: Column<R>): "ascending" | "descending" | "none" => {
    if (sort)
      return c.sortKey && sort.key === c.sortKey
        ? sort.order === "asc"
          ? "ascending"
          : "descending"
        : "none";
    return local?.id === c.id ? (local.order === "asc" ? "ascending" : "descending") : "none";
  };
  const clickHeader = (c: Column<R>) => {
    if (sort) {
      if (!c.sortKey) return;
      sort.onSort(c.sortKey, sort.key === c.sortKey && sort.order === "asc" ? "desc" : "asc");
    } else {
      setLocal((l) => ({ id: c.id, order: l?.id === c.id && l.order === "asc" ? "desc" : "asc" }));
    }
  };
  const allKeys = shown.map(rowKey);
  const allSelected = selectable
    ? allKeys.length > 0 && allKeys.every((k) => selectable.selected.has(k))
    : false;

  return (
    <div className="table-wrap">
      <div className="table-tools">
        <button type="button" className="btn btn-small" onClick={() => void exportAs("csv")}>
          {t("common.exportCsv")}
        </button>
        <button type="button" className="btn btn-small" onClick={() => void exportAs("xlsx")}>
          {t("common.exportXlsx")}
        </button>
      </div>
      <div className="table-scroll">
        <table className={props.dense ? "table dense" : "table"}>
          <caption className="sr-only">{props.caption}</caption>
          <thead>
            <tr>
              {selectable ? (
                <th scope="col" className="col-check">
                  <input
                    type="checkbox"
                    aria-label={t("common.selectAll")}
                    checked={allSelected}
                    onChange={() => selectable.onChange(allSelected ? new Set() : new Set(allKeys))}
                  />
                </th>
              ) : null}
              {columns.map((c) => {
                const sortable = sort ? Boolean(c.sortKey) : true;
                const state = ariaSort(c);
                return (
                  <th
                    key={c.id}
                    scope="col"
                    aria-sort={state}
                    className={c.align === "right" ? "num" : undefined}
                  >
                    {sortable ? (
                      <button type="button" className="th-sort" onClick={() => clickHeader(c)}>
                        {c.header}
                        <span aria-hidden="true" className="sort-mark">
                          {state === "ascending" ? "▲" : state === "descending" ? "▼" : ""}
                        </span>
                      </button>
                    ) : (
                      c.header
                    )}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {shown.length === 0 ? (
              <tr>
                <td colSpan={columns.length + (selectable ? 1 : 0)} className="muted">
                  {props.empty ?? t("common.none")}
                </td>
              </tr>
            ) : (
              shown.map((r) => {
                const key = rowKey(r);
                return (
                  <tr key={key}>
                    {selectable ? (
                      <td className="col-check">
                        <input
                          type="checkbox"
                          aria-label={t("common.selectRow", { row: key })}
                          checked={selectable.selected.has(key)}
                          onChange={() => {
                            const next = new Set(selectable.selected);
                            if (next.has(key)) next.delete(key);
                            else next.add(key);
                            selectable.onChange(next);
                          }}
                        />
                      </td>
                    ) : null}
                    {columns.map((c) => (
                      <td key={c.id} className={c.align === "right" ? "num" : undefined}>
                        {c.cell ? c.cell(r) : (c.value(r) ?? "")}
                      </td>
                    ))}
                  </tr>
                );
              })
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}
