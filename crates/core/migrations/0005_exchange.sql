-- Members' laptops to the office and back: the keys the office has seen, the packages it has
-- merged, the conflicts and the quarantined records waiting for a secretary, and the member's
-- original of every record the office corrected.

-- A member's laptop key, recorded on the first package accepted from that member. A package
-- signed by another key for the same member is quarantined, not merged.
CREATE TABLE member_keys (
    member_code TEXT PRIMARY KEY REFERENCES members(code) ON UPDATE CASCADE,
    public_key  TEXT NOT NULL,
    first_seen  TEXT NOT NULL,
    -- Set when a secretary has compared the fingerprint with the member (phone, in person).
    trusted_at  TEXT
) WITHOUT ROWID;

-- Every package merged, by the SHA-256 of the whole file: importing it again changes nothing.
CREATE TABLE package_imports (
    package_sha256 TEXT PRIMARY KEY,
    member_code    TEXT NOT NULL,
    device_id      TEXT NOT NULL,
    sequence       INTEGER NOT NULL,
    record_count   INTEGER NOT NULL,
    imported_at    TEXT NOT NULL,
    -- The device id of the office ledger that merged it.
    imported_by    TEXT NOT NULL,
    new_count      INTEGER NOT NULL,
    updated_count  INTEGER NOT NULL,
    unchanged_count INTEGER NOT NULL,
    conflict_count INTEGER NOT NULL,
    rejected_count INTEGER NOT NULL
) WITHOUT ROWID;

-- Same record, same version, different content (or a member's change to a record the office
-- corrected): kept here for a secretary to resolve; nothing is overwritten meanwhile.
CREATE TABLE merge_conflicts (
    id            INTEGER PRIMARY KEY,
    activity_id   TEXT NOT NULL,
    -- The member's record as the package carried it (JSON), and a hash of its content.
    incoming      TEXT NOT NULL,
    content_hash  TEXT NOT NULL,
    package_sha256 TEXT NOT NULL,
    reason        TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    resolved_at   TEXT,
    -- 'office' (the office's record stands) or 'member' (the member's was taken).
    resolution    TEXT CHECK (resolution IN ('office', 'member')),
    UNIQUE (activity_id, content_hash)
);

-- Records (or whole packages, record_id NULL) that could not be merged, with the reason.
CREATE TABLE quarantine (
    id             INTEGER PRIMARY KEY,
    package_sha256 TEXT NOT NULL,
    member_code    TEXT,
    record_id      TEXT,
    record         TEXT,
    reason         TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    UNIQUE (package_sha256, record_id)
);

-- The member's version of a record as it was when the office first corrected it. The office's
-- revision is the record; this keeps the original visible, and a later package from the
-- member that changes the record again becomes a conflict instead of undoing the correction.
CREATE TABLE office_originals (
    activity_id TEXT PRIMARY KEY REFERENCES activities(id),
    version     INTEGER NOT NULL,
    record      TEXT NOT NULL,
    kept_at     TEXT NOT NULL
) WITHOUT ROWID;
