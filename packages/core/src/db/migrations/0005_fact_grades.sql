-- Grade-valued items (the insurers' integrated risk rating, AAA..D) are stored as their letters beside the numeric
-- value rather than coded as numbers: a fact holds exactly one of the two, and readers that only handle numbers
-- read `value` unchanged (null for a grade).
alter table facts alter column value drop not null;
alter table facts add column grade text;
alter table facts add constraint facts_value_or_grade check ((value is null) <> (grade is null));
