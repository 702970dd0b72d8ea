-- Sorting warnings by score alone (either direction) reads this index instead of sorting every match.
create index warnings_score on warnings (score desc, id desc);
