-- Early warning: scoring runs, risk scores per institution and month, warnings with their lifecycle and history,
-- and anomaly alerts on monitored series. Scoring weights are governed through param_proposals (rule id
-- "scoring.weights"), so each run records the parameter values it used.

-- One scoring run: which months, with which parameters (scoring and rules), as of when.
create table score_runs (
  id bigserial primary key,
  months text[] not null,
  -- {scoring: every value used, governed: param -> proposal id, rules: catalog version}
  params jsonb not null,
  created_by text not null,
  created_at timestamptz not null default now()
);

-- The latest score of each institution and month; `run_id` names the parameters that produced it.
create table risk_scores (
  institution_code char(18) not null references institutions (code),
  period text not null check (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  run_id bigint not null references score_runs (id),
  score numeric(5, 2) not null check (score between 0 and 100),
  level text not null check (level in ('green', 'blue', 'yellow', 'orange', 'red')),
  level_rank smallint not null,
  rating_grade text,
  rating_zone text,
  stale boolean not null default false,
  -- component -> points; the contributions (largest first) add up to the score.
  components jsonb not null,
  contributions jsonb not null,
  primary key (institution_code, period)
);
create index risk_scores_period on risk_scores (period, score desc);

-- A warning follows one institution across periods while its level stays above green: at most one is open.
create table warnings (
  id bigserial primary key,
  institution_code char(18) not null references institutions (code),
  -- Copied from the registry at opening, so that lists filter and scope without a join.
  type text not null,
  sector text not null,
  district text,
  status text not null default 'new' check (status in ('new', 'acknowledged', 'escalated', 'downgraded', 'closed')),
  level text not null check (level in ('green', 'blue', 'yellow', 'orange', 'red')),
  level_rank smallint not null,
  score numeric(5, 2) not null,
  peak_level text not null,
  peak_score numeric(5, 2) not null,
  opened_period text not null,
  last_period text not null,
  -- Consecutive periods back at green while open (closes at the governed count).
  green_streak smallint not null default 0,
  contributions jsonb not null,
  components jsonb not null,
  case_id bigint references cases (id),
  closed_reason text,
  -- The level when a supervisor closed it: a new warning opens only above it.
  closed_at_level text,
  opened_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  closed_at timestamptz
);
create unique index warnings_one_open on warnings (institution_code) where status <> 'closed';
create index warnings_rank on warnings (level_rank desc, score desc, id desc);
create index warnings_status on warnings (status, level_rank desc, score desc, id desc);
create index warnings_sector on warnings (sector, level_rank desc, score desc, id desc);
create index warnings_district on warnings (district, level_rank desc, score desc, id desc);
create index warnings_institution on warnings (institution_code, id desc);
create index warnings_updated on warnings (updated_at desc, id desc);

create table warning_history (
  id bigserial primary key,
  warning_id bigint not null references warnings (id),
  period text,
  event text not null check (event in ('opened', 'level_changed', 'revised', 'acknowledged', 'escalated', 'downgraded', 'closed', 'case_opened')),
  from_status text,
  to_status text,
  from_level text,
  to_level text,
  score numeric(5, 2),
  actor text not null,
  note text not null default '',
  at timestamptz not null default now()
);
create index warning_history_warning on warning_history (warning_id, id);

-- Anomaly alerts on monitored series (surrenders, payouts, margin balances, bills, deposits, complaints).
create table anomalies (
  id bigserial primary key,
  institution_code char(18) not null references institutions (code),
  series text not null,
  period text not null,
  kind text not null check (kind in ('spike', 'shift')),
  severity text not null check (severity in ('low', 'medium', 'high', 'critical')),
  value double precision not null,
  expected double precision not null,
  band_low double precision not null,
  band_high double precision not null,
  z double precision not null,
  cusum double precision not null,
  seasonal boolean not null,
  explanation_en text not null,
  explanation_zh text not null,
  run_id bigint not null references score_runs (id),
  unique (institution_code, series, period)
);
create index anomalies_period on anomalies (period, severity);
