-- Cases: a warning, finding, breach or a supervisor's own concern, carried to a close by an owner unit.
create table cases (
  id bigserial primary key,
  title text not null,
  description text not null default '',
  source_kind text not null check (source_kind in ('warning', 'finding', 'breach', 'manual')),
  source_ref text not null,
  institution_code char(18) references institutions (code),
  -- Copied from the institution at opening: scoping reads them without a join.
  sector text not null,
  district text,
  owner_unit text not null,
  coordinating_units text[] not null default '{}',
  status text not null default 'open'
    check (status in ('open', 'investigating', 'rectification_required', 'rectified', 'closed', 'referred')),
  priority text not null default 'normal' check (priority in ('low', 'normal', 'high', 'urgent')),
  due_at timestamptz,
  referred_to text,
  created_by text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  closed_at timestamptz,
  overdue_alerted_at timestamptz
);
create index cases_sector on cases (sector, status);
create index cases_owner on cases (owner_unit, status);
create index cases_institution on cases (institution_code);
create index cases_due on cases (due_at) where status not in ('closed', 'referred');
create index cases_source on cases (source_kind, source_ref);

create table case_history (
  id bigserial primary key,
  case_id bigint not null references cases (id),
  from_status text,
  to_status text not null,
  note text not null default '',
  actor text not null,
  at timestamptz not null default now()
);
create index case_history_case on case_history (case_id);

create table case_comments (
  id bigserial primary key,
  case_id bigint not null references cases (id),
  body text not null,
  author text not null,
  author_unit text,
  created_at timestamptz not null default now()
);
create index case_comments_case on case_comments (case_id);

-- Files are content-addressed in BEACON_DATA_DIR/attachments by their SHA-256.
create table case_attachments (
  id bigserial primary key,
  case_id bigint not null references cases (id),
  file_name text not null,
  media_type text not null,
  bytes bigint not null,
  sha256 char(64) not null,
  uploaded_by text not null,
  created_at timestamptz not null default now()
);
create index case_attachments_case on case_attachments (case_id);

create table rectification_requests (
  id bigserial primary key,
  case_id bigint not null references cases (id),
  institution_code char(18) not null references institutions (code),
  requirements text not null,
  due_at timestamptz not null,
  status text not null default 'pending' check (status in ('pending', 'responded', 'accepted', 'rejected')),
  review_note text,
  created_by text not null,
  created_at timestamptz not null default now(),
  overdue_alerted_at timestamptz
);
create index rectification_requests_case on rectification_requests (case_id);
create index rectification_requests_institution on rectification_requests (institution_code, status);

create table rectification_responses (
  id bigserial primary key,
  request_id bigint not null references rectification_requests (id),
  body text not null,
  responded_by text not null,
  created_at timestamptz not null default now()
);
create index rectification_responses_request on rectification_responses (request_id);

-- The in-app feed: one row per recipient, written when the thing happens.
create table notifications (
  id bigserial primary key,
  user_id bigint not null references users (id),
  kind text not null,
  title text not null,
  body text not null default '',
  link text,
  created_at timestamptz not null default now(),
  read_at timestamptz
);
create index notifications_user on notifications (user_id, id desc);

-- Mail waits here for a sender; nothing is lost when no SMTP relay is configured.
create table email_outbox (
  id bigserial primary key,
  user_id bigint references users (id),
  to_address text not null,
  subject text not null,
  body text not null,
  created_at timestamptz not null default now(),
  sent_at timestamptz,
  attempts integer not null default 0,
  last_error text
);
create index email_outbox_pending on email_outbox (id) where sent_at is null;

-- Major-risk events, filed by an institution or a unit, escalated along a chain of units.
create table risk_events (
  id bigserial primary key,
  type text not null,
  title text not null,
  description text not null,
  institution_code char(18) references institutions (code),
  sector text not null,
  district text,
  amount numeric(24, 2),
  people_affected integer check (people_affected >= 0),
  occurred_at timestamptz not null,
  filed_by text not null,
  filed_by_unit text,
  filed_by_institution char(18),
  filed_at timestamptz not null default now(),
  report_due_at timestamptz not null,
  next_follow_up_due_at timestamptz,
  ack_due_at timestamptz not null,
  escalation_level integer not null default 0,
  status text not null default 'open' check (status in ('open', 'closed')),
  closed_at timestamptz,
  follow_up_alerted_at timestamptz
);
create index risk_events_sector on risk_events (sector, status);
create index risk_events_institution on risk_events (institution_code);

-- Units that must acknowledge an event, by the escalation level that brought them in.
create table risk_event_units (
  event_id bigint not null references risk_events (id),
  unit text not null,
  level integer not null,
  acknowledged_at timestamptz,
  acknowledged_by text,
  primary key (event_id, unit)
);
create index risk_event_units_unit on risk_event_units (unit);

create table risk_event_updates (
  id bigserial primary key,
  event_id bigint not null references risk_events (id),
  kind text not null check (kind in ('filed', 'follow_up', 'acknowledged', 'escalated', 'checklist', 'closed', 'overdue')),
  body text not null default '',
  actor text not null,
  at timestamptz not null default now()
);
create index risk_event_updates_event on risk_event_updates (event_id, id);

create table risk_event_checklist (
  event_id bigint not null references risk_events (id),
  step text not null,
  done_at timestamptz,
  done_by text,
  primary key (event_id, step)
);

-- Shared black and grey lists: organisations by credit code, people by pseudonym (never a raw identifier).
create table shared_list_entries (
  id bigserial primary key,
  kind text not null check (kind in ('black', 'grey')),
  subject_type text not null check (subject_type in ('institution', 'company', 'person')),
  subject text not null,
  subject_name text,
  reason text not null,
  source text not null,
  added_by text not null,
  added_by_unit text,
  added_at timestamptz not null default now(),
  expires_at timestamptz,
  revoked_at timestamptz,
  revoked_by text
);
create index shared_list_entries_active on shared_list_entries (kind, subject) where revoked_at is null;

-- The cross-unit feed: notes and notices units share, by sector and institution.
create table feed_items (
  id bigserial primary key,
  kind text not null,
  title text not null,
  body text not null default '',
  sector text,
  institution_code char(18),
  link text,
  author text not null,
  author_unit text,
  created_at timestamptz not null default now()
);
create index feed_items_sector on feed_items (sector, id desc);

create table subscriptions (
  id bigserial primary key,
  user_id bigint not null references users (id),
  target_kind text not null check (target_kind in ('institution', 'sector')),
  target text not null,
  created_at timestamptz not null default now(),
  unique (user_id, target_kind, target)
);
create index subscriptions_target on subscriptions (target_kind, target);
