-- Identity: users with one role each, browser sessions, API tokens, sign-in attempts.
-- Secrets are never stored: passwords as Argon2id hashes, session ids, CSRF and API tokens as SHA-256 digests.
create table users (
  id bigserial primary key,
  username text not null check (username ~ '^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$'),
  display_name text,
  email text,
  password_hash text not null,
  role text not null check (role in ('admin', 'auditor', 'lead_supervisor', 'coordinating_supervisor', 'finance_office', 'institution')),
  unit text,
  institution_code char(18) references institutions (code),
  -- A district office sees only institutions in these districts; null is every district.
  districts text[],
  created_at timestamptz not null default now(),
  created_by text not null,
  disabled_at timestamptz,
  failed_logins integer not null default 0,
  locked_until timestamptz,
  last_login_at timestamptz,
  password_changed_at timestamptz not null default now(),
  constraint users_institution_role check ((role = 'institution') = (institution_code is not null)),
  constraint users_unit_role check ((role in ('lead_supervisor', 'coordinating_supervisor', 'finance_office')) = (unit is not null)),
  constraint users_finance_office_unit check (role <> 'finance_office' or unit = 'finance_office')
);
create unique index users_username on users (lower(username));
create index users_unit on users (unit) where disabled_at is null;
create index users_institution on users (institution_code) where disabled_at is null;

create table sessions (
  id bigserial primary key,
  token_hash text not null unique,
  csrf_hash text not null,
  user_id bigint not null references users (id),
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz,
  client text
);
create index sessions_user on sessions (user_id) where revoked_at is null;

create table api_tokens (
  id bigserial primary key,
  user_id bigint not null references users (id),
  name text not null,
  -- The first characters of the token, shown in lists so its holder can tell tokens apart.
  prefix text not null,
  token_hash text not null unique,
  scopes text[] not null,
  created_at timestamptz not null default now(),
  created_by text not null,
  expires_at timestamptz not null,
  revoked_at timestamptz,
  last_used_at timestamptz
);
create index api_tokens_user on api_tokens (user_id);

-- Failed and successful sign-ins per client address: the rate limit counts these.
create table login_attempts (
  id bigserial primary key,
  client text not null,
  username text not null,
  at timestamptz not null default now(),
  succeeded boolean not null
);
create index login_attempts_client on login_attempts (client, at);
