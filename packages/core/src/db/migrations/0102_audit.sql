-- The audit log: every state-changing action, append-only and hash-chained. Each entry's hash covers its content
-- and the previous entry's hash; checkpoints hold the Merkle root of a run of entries and chain to each other.
create table audit_log (
  seq bigint primary key check (seq > 0),
  at timestamptz not null,
  actor text not null,
  action text not null,
  subject_kind text not null,
  subject_id text,
  -- Canonical JSON (sorted keys), kept as text so the hashed bytes are the stored bytes.
  detail text not null,
  prev_hash char(64) not null,
  hash char(64) not null
);
create index audit_log_action on audit_log (action, seq);
create index audit_log_subject on audit_log (subject_kind, subject_id);

create table audit_checkpoints (
  id bigint primary key check (id > 0),
  from_seq bigint not null,
  to_seq bigint not null,
  root char(64) not null,
  at timestamptz not null,
  prev_hash char(64) not null,
  hash char(64) not null
);

-- Product filings (the financial-innovation filing ledger); amendments are new filings, never edits.
create table product_filings (
  id bigserial primary key,
  institution_code char(18) not null references institutions (code),
  product_code text not null,
  product_name text not null,
  product_kind text not null,
  description text not null default '',
  launch_date date,
  amends bigint references product_filings (id),
  filed_by text not null,
  filed_at timestamptz not null default now(),
  audit_seq bigint not null references audit_log (seq)
);
create index product_filings_institution on product_filings (institution_code, product_code);

-- The database refuses to change the past, whoever asks; only a superuser who disables the triggers could.
create function beacon_refuse_change() returns trigger language plpgsql as $$
begin
  raise exception 'table % is append-only: % refused', tg_table_name, tg_op using errcode = 'insufficient_privilege';
end;
$$;
create trigger audit_log_append_only before update or delete on audit_log
  for each row execute function beacon_refuse_change();
create trigger audit_log_no_truncate before truncate on audit_log
  for each statement execute function beacon_refuse_change();
create trigger audit_checkpoints_append_only before update or delete on audit_checkpoints
  for each row execute function beacon_refuse_change();
create trigger audit_checkpoints_no_truncate before truncate on audit_checkpoints
  for each statement execute function beacon_refuse_change();
create trigger product_filings_append_only before update or delete on product_filings
  for each row execute function beacon_refuse_change();
create trigger product_filings_no_truncate before truncate on product_filings
  for each statement execute function beacon_refuse_change();
