-- PLACEHOLDER on branch scores, replaced by the meetings branch's file at merge.
CREATE TABLE meetings (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('plenary','standing','special_committee',
             'consultation','inspection','training','other')),
    date TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    title TEXT NOT NULL CHECK (length(trim(title)) > 0),
    location TEXT, notes TEXT,
    deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0,1)),
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE meeting_attendance (
    meeting_id TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    member_code TEXT NOT NULL REFERENCES members(code) ON UPDATE CASCADE,
    attendance TEXT CHECK (attendance IN ('present','leave','absent')),
    leave_reason TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (meeting_id, member_code)
) WITHOUT ROWID;
