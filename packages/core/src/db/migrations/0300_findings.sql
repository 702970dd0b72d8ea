-- Detector runs and their findings. A run reads the lake as of one instant (the submissions behind each view are
-- recorded), runs one or more detectors with their full parameter sets, and stores every finding with the detector's
-- id, version and parameters, so any finding can be traced to its inputs and re-run.
create table detection_runs (
  id bigserial primary key,
  period text not null check (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  as_of timestamptz not null,
  -- view name -> submission ids it covered
  inputs jsonb not null,
  requested_by text not null,
  started_at timestamptz not null,
  finished_at timestamptz not null default now()
);
create index detection_runs_period on detection_runs (period, id);

-- One row per detector of a run, also when it found nothing or failed: "no findings" is a result.
create table detector_runs (
  run_id bigint not null references detection_runs (id),
  detector text not null,
  version text not null,
  params jsonb not null,
  period text not null,
  status text not null check (status in ('ok', 'error')),
  error text,
  finding_count integer not null,
  millis integer not null,
  primary key (run_id, detector)
);
create index detector_runs_latest on detector_runs (detector, period, run_id) where status = 'ok';

create table findings (
  id bigserial primary key,
  run_id bigint not null references detection_runs (id),
  detector text not null,
  version text not null,
  params jsonb not null,
  period text not null,
  subject_kind text not null,
  subject_id text not null,
  member_kind text not null,
  members text[] not null,
  institutions text[] not null,
  severity text not null check (severity in ('low', 'medium', 'high', 'critical')),
  score numeric(5, 1) not null check (score between 0 and 100),
  explanation_en text not null,
  explanation_zh text not null,
  evidence jsonb not null check (octet_length(evidence::text) <= 65536),
  foreign key (run_id, detector) references detector_runs (run_id, detector)
);
create index findings_run_detector on findings (run_id, detector, score desc);
create index findings_subject on findings (subject_kind, subject_id);
create index findings_institutions on findings using gin (institutions);
create index findings_period on findings (period, detector);
