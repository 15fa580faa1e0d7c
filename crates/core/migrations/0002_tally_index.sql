-- 0002: a covering index for the tally. Every year query (totals, breakdowns, drill-down)
-- filters on date, status and deleted and reads only these columns, so with this index it
-- never has to look rows up in the table itself.
CREATE INDEX activities_tally ON activities (
    date, deleted, status, category, studio_id, author_code,
    people_served, items_received, items_resolved, funds_fen
);
