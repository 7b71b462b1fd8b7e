-- Market trends over a year of sightings, read from compact facts instead of
-- re-deriving them on every request.

-- Each sighting carries the seconds since the same posting's previous
-- sighting (in order of time, then run), NULL for its first. For a job seen
-- through one posting, its span and its reposts (gaps of at least N days) are
-- then plain aggregates of its sightings: no window function, no sort.
-- Triggers keep the column right on every insert, delete and change, in the
-- writing statement's own transaction, so it cannot disagree with the rows.
ALTER TABLE sightings ADD COLUMN gap INTEGER;

UPDATE sightings SET gap = seen_at - (
    SELECT p.seen_at FROM sightings p
    WHERE p.job_id = sightings.job_id AND (p.seen_at, p.run_id) < (sightings.seen_at, sightings.run_id)
    ORDER BY p.seen_at DESC, p.run_id DESC LIMIT 1);

CREATE TRIGGER sightings_gap_insert AFTER INSERT ON sightings BEGIN
    UPDATE sightings SET gap = seen_at - (
        SELECT p.seen_at FROM sightings p
        WHERE p.job_id = new.job_id AND (p.seen_at, p.run_id) < (new.seen_at, new.run_id)
        ORDER BY p.seen_at DESC, p.run_id DESC LIMIT 1)
    WHERE job_id = new.job_id AND run_id = new.run_id;
    -- The posting's next sighting (if this one came in out of order) now follows this one.
    UPDATE sightings SET gap = seen_at - new.seen_at
    WHERE job_id = new.job_id AND run_id = (
        SELECT n.run_id FROM sightings n
        WHERE n.job_id = new.job_id AND (n.seen_at, n.run_id) > (new.seen_at, new.run_id)
        ORDER BY n.seen_at, n.run_id LIMIT 1);
END;

CREATE TRIGGER sightings_gap_delete AFTER DELETE ON sightings BEGIN
    UPDATE sightings SET gap = seen_at - (
        SELECT p.seen_at FROM sightings p
        WHERE p.job_id = old.job_id AND (p.seen_at, p.run_id) < (old.seen_at, old.run_id)
        ORDER BY p.seen_at DESC, p.run_id DESC LIMIT 1)
    WHERE job_id = old.job_id AND run_id = (
        SELECT n.run_id FROM sightings n
        WHERE n.job_id = old.job_id AND (n.seen_at, n.run_id) > (old.seen_at, old.run_id)
        ORDER BY n.seen_at, n.run_id LIMIT 1);
END;

-- Rare (nothing in JobDeck moves a sighting today): recompute both postings' gaps whole.
CREATE TRIGGER sightings_gap_update AFTER UPDATE OF job_id, run_id, seen_at ON sightings BEGIN
    UPDATE sightings SET gap = seen_at - (
        SELECT p.seen_at FROM sightings p
        WHERE p.job_id = sightings.job_id AND (p.seen_at, p.run_id) < (sightings.seen_at, sightings.run_id)
        ORDER BY p.seen_at DESC, p.run_id DESC LIMIT 1)
    WHERE job_id IN (old.job_id, new.job_id);
END;

-- Trends and company pages read every posting of the jobs they cover by
-- cluster: these columns (the shared filters' among them) from this index
-- alone, never the postings' rows with their long descriptions.
CREATE INDEX jobs_cluster_seen ON jobs (cluster_id, first_seen, last_seen, site, is_remote, date_posted, location);
DROP INDEX jobs_cluster;

-- Trends select the jobs first seen in a window, with what each week shows of them.
CREATE INDEX clusters_first_seen_summary ON clusters (first_seen, is_remote, location, title, company);
DROP INDEX clusters_first_seen;
