-- The rule outcomes behind the monthly report and the console's overview, one row per month, data version (the
-- latest batch when computed) and pack version, so that a report reads them instead of evaluating the pack over
-- months of returns on every first request. A cache of what the data and the pack determine: rows of older data
-- versions are deleted once a newer one is stored.
create table report_outcomes (
  period text not null check (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  batch_id bigint not null,
  pack_version text not null,
  outcomes integer not null,
  -- Compact JSON (packages/core/src/reports/report-outcomes.ts); text, not jsonb: it is only ever read whole.
  body text not null,
  created_at timestamptz not null default now(),
  primary key (period, batch_id, pack_version)
);

-- The report's per-month submission counts and its latest month read current submissions by period.
create index submissions_current_period on submissions (period) where superseded_at is null;

-- Whole monthly reports (JSON, without their workflow part, which is read afresh) per scope and query, data
-- version and pack version: the console's overview reads one row. Older data versions are deleted likewise.
create table report_snapshots (
  -- The caller's read scope and the query, as JSON.
  key text not null,
  batch_id bigint not null,
  pack_version text not null,
  body text not null,
  created_at timestamptz not null default now(),
  primary key (key, batch_id, pack_version)
);
