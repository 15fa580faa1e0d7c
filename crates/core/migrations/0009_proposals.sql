-- PLACEHOLDER on branch scores, replaced by the proposals branch's file at merge.
ALTER TABLE activities ADD COLUMN proposer_group TEXT;
CREATE TABLE activity_coproposers (
    activity_id TEXT NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
    member_code TEXT NOT NULL REFERENCES members(code) ON UPDATE CASCADE,
    position INTEGER NOT NULL,
    PRIMARY KEY (activity_id, member_code)
) WITHOUT ROWID;
CREATE TABLE proposal_stages (
    activity_id TEXT PRIMARY KEY REFERENCES activities(id) ON DELETE CASCADE,
    serial TEXT,
    filing TEXT NOT NULL DEFAULT 'pending'
           CHECK (filing IN ('pending','filed','not_filed','merged')),
    merged_into TEXT,
    key_proposal INTEGER NOT NULL DEFAULT 0 CHECK (key_proposal IN (0,1)),
    answered_on TEXT,
    satisfaction TEXT CHECK (satisfaction IN ('satisfied','basically_satisfied','unsatisfied')),
    updated_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE proposal_units (
    activity_id TEXT NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
    unit TEXT NOT NULL, role TEXT NOT NULL CHECK (role IN ('host','assist')),
    PRIMARY KEY (activity_id, unit)
) WITHOUT ROWID;
CREATE TABLE opinion_adoptions (
    activity_id TEXT NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('adopted','instruction')),
    level TEXT NOT NULL CHECK (level IN ('national','provincial','city','local')),
    leader TEXT, date TEXT, note TEXT,
    PRIMARY KEY (activity_id, kind, level)
) WITHOUT ROWID;
