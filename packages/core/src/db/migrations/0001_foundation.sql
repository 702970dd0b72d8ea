-- Registry: institutions keyed by the 18-character Unified Social Credit Code (GB 32100-2015).
create table institutions (
  code char(18) primary key,
  name_zh text not null,
  name_en text not null,
  type text not null,
  sector text not null,
  district text not null,
  bank_tier smallint check (bank_tier between 1 and 5),
  total_assets numeric(24, 2),
  parent_code char(18),
  group_code char(18),
  status text not null default 'active' check (status in ('active', 'under_watch', 'exited', 'taken_over', 'revoked')),
  registered_at timestamptz not null default now()
);
create index institutions_type on institutions (type);
create index institutions_district on institutions (district);

create table licences (
  licence_no text primary key,
  institution_code char(18) not null references institutions (code),
  kind text not null,
  issued_on date not null,
  expires_on date,
  status text not null check (status in ('active', 'suspended', 'revoked', 'expired'))
);
create index licences_institution on licences (institution_code);

-- One ingest call. Its submissions become visible together, or not at all.
create table batches (
  id bigserial primary key,
  dataset text not null,
  source_name text not null,
  file_checksum text not null,
  row_count bigint not null,
  received_at timestamptz not null default now(),
  submitted_by text
);
create index batches_checksum on batches (dataset, file_checksum);

-- A submission is one institution's data for one dataset and period; a later one supersedes it.
create table submissions (
  id bigserial primary key,
  batch_id bigint not null references batches (id),
  institution_code char(18) not null references institutions (code),
  dataset text not null,
  period text not null,
  row_count bigint not null,
  content_hash text not null,
  received_at timestamptz not null,
  superseded_at timestamptz,
  superseded_by bigint references submissions (id)
);
create unique index submissions_current on submissions (institution_code, dataset, period) where superseded_at is null;
create index submissions_batch on submissions (batch_id);

-- Every intake attempt, accepted or rejected, with its validation report; rejected ones store no data.
create table intake_reports (
  id bigserial primary key,
  received_at timestamptz not null default now(),
  source_name text not null,
  dataset text,
  status text not null check (status in ('accepted', 'rejected', 'unchanged')),
  batch_id bigint references batches (id),
  error_count bigint not null default 0,
  report jsonb not null
);

-- Periodic returns as long-format facts; exact decimals.
create table facts (
  submission_id bigint not null references submissions (id),
  institution_code char(18) not null,
  period text not null,
  item text not null,
  value numeric not null,
  unit text not null,
  primary key (submission_id, item)
);
create index facts_institution_period on facts (institution_code, period);

-- Manifest of the granular lake: a Parquet file is visible only once its row here has committed.
create table lake_files (
  id bigserial primary key,
  batch_id bigint not null references batches (id),
  dataset text not null,
  period text not null,
  path text not null unique,
  checksum text not null,
  row_count bigint not null,
  bytes bigint not null
);
create index lake_files_dataset on lake_files (dataset, period);
