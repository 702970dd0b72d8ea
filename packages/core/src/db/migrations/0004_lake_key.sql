-- A granular submission's rows are the rows of its batch's lake files that carry its lake key: intake writes each
-- source file to Parquet once, while it validates, before the submission has an id.
alter table submissions add column lake_key bigint;
create index submissions_lake_key on submissions (dataset, lake_key) where lake_key is not null;
