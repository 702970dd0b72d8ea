-- Monthly loan prime rates (percent). Shipped months are seeded at start; later months are added by command.
create table lpr (
  month text primary key check (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  one_year numeric(6, 4) not null check (one_year > 0 and one_year < 100),
  five_year numeric(6, 4) not null check (five_year > 0 and five_year < 100),
  source text not null,
  added_by text not null,
  added_at timestamptz not null default now()
);
