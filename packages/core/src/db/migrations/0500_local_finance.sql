-- Local finance (issue 7): fund-raising risk index, rectification campaigns, licence expiry decisions and
-- on-site inspections of the new financial institutions.

-- Governed phrase lists for the fund-raising text signals: a version is proposed by one person and approved by
-- another before any run uses it; versions are never edited, a change is a new version.
create table lf_phrase_lists (
  version integer primary key check (version > 0),
  entries jsonb not null,
  note text not null,
  status text not null default 'proposed' check (status in ('proposed', 'approved', 'rejected')),
  proposed_by text not null,
  proposed_at timestamptz not null default now(),
  decided_by text,
  decided_at timestamptz,
  decision_note text,
  check ((status = 'proposed') = (decided_by is null)),
  check (decided_by is null or decided_by <> proposed_by)
);

-- One computation of the fund-raising risk index for a period, with everything needed to repeat it.
create table lf_fundraising_runs (
  id bigserial primary key,
  period text not null check (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  as_of timestamptz not null,
  version text not null,
  params jsonb not null,
  phrase_list_version integer not null references lf_phrase_lists (version),
  lpr_month text,
  lpr_one_year numeric,
  -- view name -> submission ids it covered
  inputs jsonb not null,
  company_count integer not null,
  created_by text not null,
  created_at timestamptz not null default now()
);
create index lf_fundraising_runs_period on lf_fundraising_runs (period, id desc);

create table lf_fundraising_scores (
  run_id bigint not null references lf_fundraising_runs (id),
  company_code char(18) not null,
  name text not null,
  district text,
  kind text not null,
  rank integer not null,
  score numeric(5, 1) not null check (score between 0 and 100),
  card text not null check (card in ('red', 'yellow', 'green')),
  contributions jsonb not null,
  evidence jsonb not null,
  primary key (run_id, company_code)
);
create index lf_fundraising_scores_card on lf_fundraising_scores (run_id, card, rank);
create index lf_fundraising_scores_company on lf_fundraising_scores (company_code, run_id desc);

-- Rectification campaigns: targets move through investigation, classification and clean-up to an outcome.
create table lf_campaigns (
  id bigserial primary key,
  name text not null,
  kind text not null check (kind in ('internet_finance', 'illegal_fundraising', 'trading_venues', 'local_finance', 'other')),
  description text not null default '',
  lead_unit text not null,
  deadline date not null,
  status text not null default 'active' check (status in ('active', 'closed')),
  created_by text not null,
  created_at timestamptz not null default now(),
  closed_at timestamptz
);

create table lf_campaign_targets (
  id bigserial primary key,
  campaign_id bigint not null references lf_campaigns (id),
  subject_code char(18) not null,
  subject_name text not null,
  district text not null,
  owner_unit text not null,
  source_kind text not null check (source_kind in ('screening', 'import', 'manual')),
  source_ref text not null,
  card text check (card in ('red', 'yellow', 'green')),
  classification text check (classification in ('compliant', 'rectify', 'close_down', 'criminal')),
  stage text not null default 'listed'
    check (stage in ('listed', 'investigated', 'classified', 'cleaned_up', 'rectified', 'exited', 'referred')),
  due_on date not null,
  stage_changed_at timestamptz not null default now(),
  created_at timestamptz not null default now(),
  overdue_alerted_at timestamptz,
  unique (campaign_id, subject_code)
);
create index lf_campaign_targets_campaign on lf_campaign_targets (campaign_id, stage);
create index lf_campaign_targets_due on lf_campaign_targets (due_on) where stage not in ('rectified', 'exited', 'referred');

create table lf_campaign_history (
  id bigserial primary key,
  target_id bigint not null references lf_campaign_targets (id),
  from_stage text,
  to_stage text not null,
  classification text,
  note text not null default '',
  actor text not null,
  at timestamptz not null default now()
);
create index lf_campaign_history_target on lf_campaign_history (target_id, id);

create table lf_campaign_alerts (
  id bigserial primary key,
  campaign_id bigint not null references lf_campaigns (id),
  target_id bigint not null references lf_campaign_targets (id),
  kind text not null check (kind in ('overdue', 'campaign_overdue')),
  stage text not null,
  due_on date not null,
  days_overdue integer not null,
  raised_at timestamptz not null default now()
);
create index lf_campaign_alerts_campaign on lf_campaign_alerts (campaign_id, id desc);

-- Decisions on licences coming up for expiry: renew, or use the expiry to take the institution out of the market.
create table lf_licence_decisions (
  id bigserial primary key,
  licence_no text not null,
  institution_code char(18) not null,
  decision text not null check (decision in ('renew', 'exit', 'merge')),
  reason text not null,
  decided_by text not null,
  decided_at timestamptz not null default now()
);
create index lf_licence_decisions_licence on lf_licence_decisions (licence_no, id desc);

-- On-site inspection plans and what they found.
create table lf_inspections (
  id bigserial primary key,
  institution_code char(18) not null references institutions (code),
  kind text not null check (kind in ('routine', 'special', 'risk')),
  scope text not null,
  lead_unit text not null,
  inspectors text[] not null default '{}',
  planned_start date not null,
  planned_end date not null check (planned_end >= planned_start),
  status text not null default 'planned' check (status in ('planned', 'in_progress', 'completed', 'cancelled')),
  started_on date,
  completed_on date,
  conclusion text,
  created_by text not null,
  created_at timestamptz not null default now()
);
create index lf_inspections_institution on lf_inspections (institution_code, id desc);
create index lf_inspections_status on lf_inspections (status, planned_start);

create table lf_inspection_findings (
  id bigserial primary key,
  inspection_id bigint not null references lf_inspections (id),
  category text not null check (category in
    ('illegal_fundraising', 'unlawful_rates', 'illegal_collection', 'provisioning', 'liquidity', 'governance',
     'related_party', 'leverage', 'reporting', 'other')),
  severity text not null check (severity in ('low', 'medium', 'high')),
  description text not null,
  rectification_due date,
  created_by text not null,
  created_at timestamptz not null default now()
);
create index lf_inspection_findings_inspection on lf_inspection_findings (inspection_id);
