-- The records list pages through the live records of a period, newest first. With the
-- deleted flag first and the date second (the primary key id rides along in every index of a
-- WITHOUT ROWID table), a page deep in a year is read from this index alone instead of
-- looking up every record it skips.
CREATE INDEX activities_list ON activities (deleted, date);

-- The tally's covering index, rebuilt with the deleted flag first too: every count asks for
-- live records of a period, and with both indexes leading on (deleted, date) the planner
-- keeps reading the tally from the covering one.
DROP INDEX activities_tally;
CREATE INDEX activities_tally ON activities (
    deleted, date, status, category, studio_id, author_code,
    people_served, items_received, items_resolved, funds_fen
);
