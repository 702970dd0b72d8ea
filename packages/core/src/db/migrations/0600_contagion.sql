-- Contagion: stored runs of the network engine on a stored period, and the systemic importance they rank.
-- A run records the method, the engine version, every parameter and how the network was built (estimated links
-- included), so each stored impact can be traced and re-run. Scoring reads the latest debtrank run per period.
create table contagion_runs (
  id bigserial primary key,
  period text not null check (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  as_of timestamptz,
  method text not null,
  version integer not null,
  -- {method parameters..., estimate: max-entropy | min-density | none}
  params jsonb not null,
  -- {nodes, exposures, exposureSubmissions, estimated: [{market, method, lenders, links, unallocated}]}
  network jsonb not null,
  created_by text not null,
  created_at timestamptz not null default now()
);
create index contagion_runs_period on contagion_runs (period, method, id);

-- One row per institution of a run with a single-default scenario for each: the damage its own default does.
create table systemic_importance (
  run_id bigint not null references contagion_runs (id),
  institution_code text not null,
  period text not null,
  rank integer not null,
  -- Weighted share of the rest of the system put in stress by the institution's default (DebtRank impact).
  impact double precision not null,
  losses double precision not null,
  defaults integer not null,
  primary key (run_id, institution_code)
);
create index systemic_importance_institution on systemic_importance (institution_code, period);

create trigger contagion_runs_append_only before update or delete on contagion_runs
  for each row execute function beacon_refuse_change();
create trigger systemic_importance_append_only before update or delete on systemic_importance
  for each row execute function beacon_refuse_change();
