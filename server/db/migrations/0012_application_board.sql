-- The board (the jobspy site, or what another tracker called it) of an
-- application's posting, kept on the application itself: an export imported
-- into another home has no stored job to take it from. Where the stored job
-- is there, its board is the one shown.
ALTER TABLE applications ADD COLUMN board TEXT;
