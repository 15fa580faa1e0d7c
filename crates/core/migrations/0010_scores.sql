-- 履职积分: the office's rules, kept per year, and the office's scores as a member's laptop
-- received them.
--
-- A rule is one line of the year's table: what people read (item), what it counts (basis, a
-- code of lvzhi-core's score module such as 'attend:present:plenary', 'proposal:filed',
-- 'opinion:adopted:provincial', 'activity:studio_activity'), its points and its cap for the
-- year, both in hundredths of a point (+5 → 500, −5 → −500), and the share of the points a
-- co-proposer (联名) gets, in percent. Rules of one year never touch another year's.
CREATE TABLE score_rules (
    year          INTEGER NOT NULL CHECK (year BETWEEN 1949 AND 2100),
    position      INTEGER NOT NULL CHECK (position >= 0),
    item          TEXT NOT NULL CHECK (length(trim(item)) > 0),
    basis         TEXT NOT NULL,
    points        INTEGER NOT NULL CHECK (points BETWEEN -100000 AND 100000 AND points <> 0),
    cap           INTEGER CHECK (cap IS NULL OR cap BETWEEN 1 AND 10000000),
    co_share      INTEGER NOT NULL DEFAULT 100 CHECK (co_share BETWEEN 0 AND 100),
    updated_at    TEXT NOT NULL,
    PRIMARY KEY (year, position)
) WITHOUT ROWID;

-- On a member's laptop: the office's score of the laptop's owner for a year, as the last
-- roster package carried it (JSON of lvzhi-core's MemberScore). Read-only there.
CREATE TABLE score_received (
    member_code TEXT NOT NULL,
    year        INTEGER NOT NULL,
    score       TEXT NOT NULL,
    computed_at TEXT NOT NULL,
    PRIMARY KEY (member_code, year)
) WITHOUT ROWID;
