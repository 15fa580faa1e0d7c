-- 0003: what office rosters carry about a member beyond 0001's columns. The ID number is kept
-- for matching and checking only: it is never listed, exported or logged.
ALTER TABLE members ADD COLUMN ethnicity TEXT;
ALTER TABLE members ADD COLUMN birth_month TEXT CHECK (birth_month IS NULL OR birth_month GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]');
ALTER TABLE members ADD COLUMN id_number TEXT;
