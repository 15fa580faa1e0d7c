-- What the year-end paragraph says beyond the counts: a consultation's format, assistance's
-- recipient and forms, the monitoring platform's name, and whether a proposal was handled on
-- submission (即交即办) and when it was answered (办复).
ALTER TABLE activities ADD COLUMN consultation_format TEXT;
ALTER TABLE activities ADD COLUMN recipient TEXT;
ALTER TABLE activities ADD COLUMN assistance_forms TEXT NOT NULL DEFAULT '[]';
ALTER TABLE activities ADD COLUMN platform TEXT;
ALTER TABLE activities ADD COLUMN handled_on_submission INTEGER NOT NULL DEFAULT 0
    CHECK (handled_on_submission IN (0, 1));
ALTER TABLE activities ADD COLUMN answered_on TEXT;
