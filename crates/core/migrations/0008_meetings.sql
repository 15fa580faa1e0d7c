-- Meetings and their rolls (会议考勤). A row in meeting_attendance means the member is
-- invited; its attendance is NULL until the roll is taken. Only meetings not deleted count.
CREATE TABLE meetings (
    id         TEXT PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('plenary', 'standing', 'special_committee',
                   'consultation', 'inspection', 'training', 'other')),
    date       TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    title      TEXT NOT NULL CHECK (length(trim(title)) > 0),
    location   TEXT,
    notes      TEXT,
    deleted    INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) WITHOUT ROWID;

CREATE INDEX meetings_by_date ON meetings (date) WHERE deleted = 0;

CREATE TABLE meeting_attendance (
    meeting_id   TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    member_code  TEXT NOT NULL REFERENCES members(code) ON UPDATE CASCADE,
    attendance   TEXT CHECK (attendance IN ('present', 'leave', 'absent')),
    leave_reason TEXT,
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (meeting_id, member_code),
    -- A reason belongs to a leave only.
    CHECK (leave_reason IS NULL OR attendance = 'leave')
) WITHOUT ROWID;

CREATE INDEX meeting_attendance_by_member ON meeting_attendance (member_code);
