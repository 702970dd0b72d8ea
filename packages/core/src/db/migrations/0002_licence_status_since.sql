-- The date a licence's status took effect, so that a licence revoked in 2025 still covers 2024 submissions.
alter table licences add column status_since date;
