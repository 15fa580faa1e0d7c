-- The year-end paragraph asks a few questions of one category each (consultations by format,
-- proposals handled on submission, monitoring platforms, assistance's recipients and forms).
-- Led by the category, each reads its own few records of the period instead of looking up
-- every record of the period to test its category.
CREATE INDEX activities_by_category ON activities (category, deleted, date);
