-- Governed rule parameters (maker-checker). A change is a proposal by one user and a decision by another; neither
-- is ever edited. The set in force at an instant T is the defaults overlaid with the approved proposals effective
-- on or before T's date and decided at or before T (see packages/core/src/governance/params-in-force.ts).
create table param_proposals (
  id bigserial primary key,
  rule_id text not null,
  rule_version integer not null,
  param text not null,
  -- The value as the parameter's schema outputs it (decimal text, a cap such as "0.24/0.36", a JSON object, ...).
  value jsonb not null,
  reason text not null check (length(btrim(reason)) > 0),
  effective_from date not null,
  proposed_by text not null,
  proposed_at timestamptz not null default now(),
  audit_seq bigint references audit_log (seq)
);
create index param_proposals_rule on param_proposals (rule_id, param);

create table param_decisions (
  proposal_id bigint primary key references param_proposals (id),
  decision text not null check (decision in ('approved', 'rejected')),
  decided_by text not null,
  note text not null default '',
  decided_at timestamptz not null default now(),
  audit_seq bigint references audit_log (seq)
);
create index param_decisions_decided on param_decisions (decided_at);

-- Maker-checker holds in the database too: whoever proposed a change cannot decide it.
create function beacon_param_checker() returns trigger language plpgsql as $$
begin
  if exists (select 1 from param_proposals p where p.id = new.proposal_id and p.proposed_by = new.decided_by) then
    raise exception 'parameter proposal %: its proposer cannot decide it', new.proposal_id using errcode = 'insufficient_privilege';
  end if;
  return new;
end;
$$;
create trigger param_decisions_checker before insert on param_decisions
  for each row execute function beacon_param_checker();

create trigger param_proposals_append_only before update or delete on param_proposals
  for each row execute function beacon_refuse_change();
create trigger param_proposals_no_truncate before truncate on param_proposals
  for each statement execute function beacon_refuse_change();
create trigger param_decisions_append_only before update or delete on param_decisions
  for each row execute function beacon_refuse_change();
create trigger param_decisions_no_truncate before truncate on param_decisions
  for each statement execute function beacon_refuse_change();
