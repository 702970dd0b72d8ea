import type { Sql } from "../db/client.ts";

export interface DatasetStatus {
  dataset: string;
  submissions: number;
  rows: number;
  periods: number;
  superseded: number;
  latestPeriod: string | null;
}

export interface Status {
  institutions: number;
  licences: number;
  batches: number;
  datasets: DatasetStatus[];
  lakeFiles: number;
  lakeBytes: number;
}

/** Current submissions and row counts per dataset, as `beacon status` and GET /api/status show them. */
export async function getStatus(db: Sql): Promise<Status> {
  const [counts] = await db.query<Record<string, string>>(
    `select (select count(*) from institutions)::text as institutions, (select count(*) from licences)::text as licences,
            (select count(*) from batches)::text as batches, (select count(*) from lake_files)::text as lake_files,
            (select coalesce(sum(bytes), 0) from lake_files)::text as lake_bytes`,
  );
  const rows = await db.query<Record<string, string>>(
    `select dataset,
            count(*) filter (where superseded_at is null)::text as submissions,
            coalesce(sum(row_count) filter (where superseded_at is null), 0)::text as rows,
            count(distinct period) filter (where superseded_at is null)::text as periods,
            count(*) filter (where superseded_at is not null)::text as superseded,
            max(period) filter (where superseded_at is null) as latest_period
     from submissions group by dataset order by dataset`,
  );
  return {
    institutions: Number(counts?.institutions ?? 0),
    licences: Number(counts?.licences ?? 0),
    batches: Number(counts?.batches ?? 0),
    lakeFiles: Number(counts?.lake_files ?? 0),
    lakeBytes: Number(counts?.lake_bytes ?? 0),
    datasets: rows.map((r) => ({
      dataset: r.dataset!,
      submissions: Number(r.submissions),
      rows: Number(r.rows),
      periods: Number(r.periods),
      superseded: Number(r.superseded),
      latestPeriod: r.latest_period ?? null,
    })),
  };
}
