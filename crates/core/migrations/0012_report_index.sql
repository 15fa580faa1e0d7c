-- The year-end paragraph's questions (0011) filter on the status and on whether a proposal was
-- handled on submission, and read the consultation's format, the monitoring platform and the
-- assistance's recipient. With those in the category index it answers them without looking
-- up each of the category's records in the table: on a province's year (100,000 records) the
-- four questions take 5 ms instead of 60, for an index 1.5 % of the file larger.
DROP INDEX activities_by_category;
CREATE INDEX activities_by_category ON activities (
    category, deleted, date, status, handled_on_submission,
    consultation_format, platform, recipient
);
