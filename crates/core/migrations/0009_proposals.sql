-- Proposals (提案) and opinion reports (社情民意信息) through their life. The member's words
-- stay in `activities` (a proposer group, and the co-proposers in their own table, travel in
-- the member's package); the office's stages live in tables of their own keyed by the
-- record's id, so the member's edits and the office's stage changes never overwrite each
-- other. The stages travel back to laptops in the roster package, read-only there.
ALTER TABLE activities ADD COLUMN proposer_group TEXT;

-- 联名 co-proposers, in order (the author is the first proposer and is not listed here).
CREATE TABLE activity_coproposers (
    activity_id TEXT NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
    member_code TEXT NOT NULL REFERENCES members(code) ON UPDATE CASCADE,
    position INTEGER NOT NULL,
    PRIMARY KEY (activity_id, member_code)
) WITHOUT ROWID;
CREATE INDEX activity_coproposers_member ON activity_coproposers (member_code, activity_id);

-- The office's stage of a proposal: 提案号, 立案 / 不立案（转意见） / 并案, 重点提案, 办复 and
-- the proposer's satisfaction.
CREATE TABLE proposal_stages (
    activity_id TEXT PRIMARY KEY REFERENCES activities(id) ON DELETE CASCADE,
    serial TEXT,
    filing TEXT NOT NULL DEFAULT 'pending'
           CHECK (filing IN ('pending', 'filed', 'not_filed', 'merged')),
    merged_into TEXT,
    key_proposal INTEGER NOT NULL DEFAULT 0 CHECK (key_proposal IN (0, 1)),
    answered_on TEXT,
    satisfaction TEXT CHECK (satisfaction IN ('satisfied', 'basically_satisfied', 'unsatisfied')),
    updated_at TEXT NOT NULL,
    CHECK (satisfaction IS NULL OR answered_on IS NOT NULL),
    CHECK (answered_on IS NULL OR filing = 'filed'),
    CHECK (merged_into IS NULL OR filing = 'merged')
) WITHOUT ROWID;

-- 承办单位: the host (主办) and assisting (会办) units of a filed proposal.
CREATE TABLE proposal_units (
    activity_id TEXT NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
    unit TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('host', 'assist')),
    PRIMARY KEY (activity_id, unit)
) WITHOUT ROWID;

-- An opinion report adopted (采用) or instructed on by a leader (领导批示), at each level once.
CREATE TABLE opinion_adoptions (
    activity_id TEXT NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('adopted', 'instruction')),
    level TEXT NOT NULL CHECK (level IN ('national', 'provincial', 'city', 'local')),
    leader TEXT,
    date TEXT,
    note TEXT,
    PRIMARY KEY (activity_id, kind, level)
) WITHOUT ROWID;

-- On a member's laptop: the proposals other members wrote that name the owner as a
-- co-proposer, as the office's last roster package showed them (record and stage, a
-- `Proposal` as JSON), to read only. They are not records of this ledger: never edited,
-- counted or sent back.
CREATE TABLE co_proposed_copies (
    activity_id TEXT PRIMARY KEY,
    proposal TEXT NOT NULL
) WITHOUT ROWID;
