-- 0001: the first schema of the ledger. Append-only: later changes go in 0002_*.sql and up.
-- Cross-machine identity: activities and studios carry UUIDv7 ids; members are keyed by their
-- roster code (委员编号), which is what every office spreadsheet and every laptop agrees on.
-- Nothing that travels between machines is keyed by an autoincrement.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE sectors (
    name       TEXT PRIMARY KEY CHECK (length(trim(name)) > 0),
    sort_order INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

CREATE TABLE members (
    code       TEXT PRIMARY KEY CHECK (length(trim(code)) > 0),
    name       TEXT NOT NULL CHECK (length(trim(name)) > 0),
    gender     TEXT CHECK (gender IN ('male', 'female')),
    sector     TEXT REFERENCES sectors(name) ON UPDATE CASCADE,
    unit_title TEXT,
    phone      TEXT,
    term       TEXT,
    role       TEXT NOT NULL DEFAULT 'member'
               CHECK (role IN ('member', 'standing_member', 'liaison')),
    active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) WITHOUT ROWID;

CREATE INDEX members_sector ON members(sector);

CREATE TABLE studios (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
    kind       TEXT NOT NULL CHECK (kind IN ('sector', 'featured', 'collective')),
    focus      TEXT,
    lead_code  TEXT REFERENCES members(code) ON UPDATE CASCADE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE studio_members (
    studio_id   TEXT NOT NULL REFERENCES studios(id) ON DELETE CASCADE,
    member_code TEXT NOT NULL REFERENCES members(code) ON UPDATE CASCADE,
    PRIMARY KEY (studio_id, member_code)
) WITHOUT ROWID;

CREATE TABLE activities (
    id             TEXT PRIMARY KEY,
    -- Provenance. author_code NULL means the office recorded it itself (谁组织谁记录).
    author_code    TEXT REFERENCES members(code) ON UPDATE CASCADE,
    device_id      TEXT NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    deleted        INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    status         TEXT NOT NULL DEFAULT 'submitted'
                   CHECK (status IN ('draft', 'submitted', 'accepted', 'returned')),
    review_comment TEXT,
    -- What it was.
    date           TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    category       TEXT NOT NULL CHECK (category IN (
                       'studio_activity', 'consultation', 'inspection', 'research_report',
                       'proposal', 'opinion_report', 'monitoring_intake', 'assistance',
                       'training', 'study_visit', 'other')),
    title          TEXT NOT NULL CHECK (length(trim(title)) > 0),
    studio_id      TEXT REFERENCES studios(id),
    organizer      TEXT,
    location       TEXT,
    doc_number     TEXT,
    -- Counts. people_served is 人次: a sum of headcounts, not distinct people.
    people_served  INTEGER NOT NULL DEFAULT 0 CHECK (people_served >= 0),
    items_received INTEGER NOT NULL DEFAULT 0 CHECK (items_received >= 0),
    items_resolved INTEGER NOT NULL DEFAULT 0
                   CHECK (items_resolved >= 0 AND items_resolved <= items_received),
    -- Money in integer 分 (fen), never floating point.
    funds_fen      INTEGER NOT NULL DEFAULT 0 CHECK (funds_fen >= 0),
    notes          TEXT
) WITHOUT ROWID;

CREATE INDEX activities_date ON activities(date);
CREATE INDEX activities_studio ON activities(studio_id);
CREATE INDEX activities_author ON activities(author_code);

CREATE TABLE activity_participants (
    activity_id TEXT NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
    member_code TEXT NOT NULL REFERENCES members(code) ON UPDATE CASCADE,
    PRIMARY KEY (activity_id, member_code)
) WITHOUT ROWID;

CREATE INDEX activity_participants_member ON activity_participants(member_code);

CREATE TABLE activity_services (
    activity_id TEXT NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
    service     TEXT NOT NULL CHECK (length(trim(service)) > 0),
    count       INTEGER NOT NULL CHECK (count >= 0),
    PRIMARY KEY (activity_id, service)
) WITHOUT ROWID;
