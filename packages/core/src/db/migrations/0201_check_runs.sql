-- Stored rule runs: what a run of the pack found for one period, with the pack version, the as-of instant (data and
-- parameters) and the full parameter values of every rule, so that any outcome can be traced and re-run.
create table check_runs (
  id bigserial primary key,
  period text not null,
  as_of timestamptz not null,
  pack text not null,
  pack_version text not null,
  -- rule id -> {version, params: every value used, governed: param -> proposal id}
  params jsonb not null,
  summary jsonb not null,
  created_by text not null,
  created_at timestamptz not null default now(),
  audit_seq bigint references audit_log (seq)
);
create index check_runs_period on check_runs (period, id);

-- One row per rule and institution assessed (entity rules: every outcome but not_applicable; record rules: breaches).
create table check_outcomes (
  run_id bigint not null references check_runs (id),
  rule_id text not null,
  rule_version integer not null,
  level text not null check (level in ('entity', 'record')),
  institution text not null,
  period text not null,
  kind text not null check (kind in ('pass', 'breach_warning', 'breach_regulatory', 'not_computable', 'error')),
  line text check (line in ('warning', 'regulatory')),
  severity text not null,
  value jsonb,
  thresholds jsonb not null,
  explanation_en text not null,
  explanation_zh text not null,
  provisional boolean not null default false,
  -- {citation: {en, zh}, status}: the legal basis the explanation cites.
  legal_basis jsonb not null,
  missing jsonb,
  -- Record rules: {count, regulatoryCount, warningCount, worst: [...]}.
  records jsonb,
  primary key (run_id, rule_id, institution)
);
create index check_outcomes_institution on check_outcomes (institution, run_id);

-- Every breaching record of a stored run (the detail behind a record rule's count).
create table check_record_breaches (
  run_id bigint not null references check_runs (id),
  rule_id text not null,
  institution text not null,
  subject text not null,
  line text not null check (line in ('warning', 'regulatory')),
  value double precision not null,
  warning double precision,
  regulatory double precision not null,
  param text not null,
  provisional boolean not null,
  explanation_en text not null,
  explanation_zh text not null,
  detail jsonb not null,
  primary key (run_id, rule_id, institution, subject)
);

create trigger check_runs_append_only before update or delete on check_runs
  for each row execute function beacon_refuse_change();
create trigger check_outcomes_append_only before update or delete on check_outcomes
  for each row execute function beacon_refuse_change();
create trigger check_record_breaches_append_only before update or delete on check_record_breaches
  for each row execute function beacon_refuse_change();
