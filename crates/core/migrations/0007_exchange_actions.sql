-- The exchange you can act on: what kind of problem holds each quarantined record or package,
-- the whole package kept so that a secretary can merge it again once the problem is sorted
-- out (a member's new laptop, a roster that lacked them), and the members whose accepted
-- records the roster package carries back to a new laptop.

-- 'record': one record failed its checks; 'key_changed': the package was signed on another
-- laptop than the one the office knows for the member; 'not_on_roster': its member is not on
-- the office's roster. Rows from before this migration are sorted by their reason.
ALTER TABLE quarantine ADD COLUMN problem TEXT NOT NULL DEFAULT 'record'
    CHECK (problem IN ('record', 'key_changed', 'not_on_roster'));
-- A package refused whole: its manifest (JSON) to describe it, and the file itself to retry.
ALTER TABLE quarantine ADD COLUMN manifest TEXT;
ALTER TABLE quarantine ADD COLUMN package BLOB;
UPDATE quarantine SET problem = 'key_changed'
 WHERE record_id IS NULL AND reason LIKE '签名密钥%';
UPDATE quarantine SET problem = 'not_on_roster'
 WHERE record_id IS NULL AND reason LIKE '名单中没有委员编号%';

-- A member who changed laptops (换电脑): the office cleared their old key, and every roster
-- package it writes carries the member's accepted records back until a package from the
-- member shows that their laptop took a roster package written after the mark
-- (manifest.roster_taken > since_sequence, the office's package sequence at the mark).
CREATE TABLE carry_back (
    member_code    TEXT PRIMARY KEY REFERENCES members(code) ON UPDATE CASCADE,
    since_sequence INTEGER NOT NULL,
    marked_at      TEXT NOT NULL
) WITHOUT ROWID;
