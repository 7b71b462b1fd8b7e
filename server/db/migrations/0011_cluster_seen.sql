-- What the sightings say of each job (cluster), kept: how often and from when
-- to when runs saw any of its postings, and how often it came back after 14
-- days or more without a sighting (a repost, at the trends' default gap).
-- Market trends and company pages read these instead of every sighting of
-- every posting. Only jobs some run saw have a row.
CREATE TABLE cluster_seen (
    cluster_id  INTEGER PRIMARY KEY,
    sightings   INTEGER NOT NULL,
    first_seen  INTEGER NOT NULL,
    last_seen   INTEGER NOT NULL,
    reposts     INTEGER NOT NULL
);

-- Inserting a cluster id here recomputes its row from its sightings: the one
-- place that knows how, for every trigger below. A job has a handful of
-- sightings, so recomputing whole is cheap and cannot drift.
CREATE VIEW cluster_seen_refresh (cluster_id) AS SELECT cluster_id FROM cluster_seen WHERE 0;

CREATE TRIGGER cluster_seen_recompute INSTEAD OF INSERT ON cluster_seen_refresh BEGIN
    DELETE FROM cluster_seen WHERE cluster_id = new.cluster_id;
    INSERT INTO cluster_seen (cluster_id, sightings, first_seen, last_seen, reposts)
    SELECT * FROM (
        SELECT new.cluster_id, count(*) AS sightings, min(seen_at), max(seen_at), coalesce(sum(gap >= 14 * 86400), 0)
        FROM (SELECT s.seen_at, s.seen_at - lag(s.seen_at) OVER (ORDER BY s.seen_at) AS gap
              FROM jobs j JOIN sightings s ON s.job_id = j.id WHERE j.cluster_id = new.cluster_id))
    WHERE sightings > 0;
END;

CREATE TRIGGER cluster_seen_sighting_insert AFTER INSERT ON sightings BEGIN
    INSERT INTO cluster_seen_refresh SELECT cluster_id FROM jobs WHERE id = new.job_id;
END;

CREATE TRIGGER cluster_seen_sighting_delete AFTER DELETE ON sightings BEGIN
    INSERT INTO cluster_seen_refresh SELECT cluster_id FROM jobs WHERE id = old.job_id;
END;

CREATE TRIGGER cluster_seen_sighting_update AFTER UPDATE OF job_id, seen_at ON sightings BEGIN
    INSERT INTO cluster_seen_refresh SELECT DISTINCT cluster_id FROM jobs WHERE id IN (old.job_id, new.job_id);
END;

-- A posting moved to another job (an import merging duplicates), or deleted
-- (its sightings go with it): both jobs' rows are recomputed.
CREATE TRIGGER cluster_seen_job_moved AFTER UPDATE OF cluster_id ON jobs BEGIN
    INSERT INTO cluster_seen_refresh VALUES (old.cluster_id);
    INSERT INTO cluster_seen_refresh SELECT new.cluster_id WHERE new.cluster_id IS NOT old.cluster_id;
END;

CREATE TRIGGER cluster_seen_job_delete AFTER DELETE ON jobs BEGIN
    INSERT INTO cluster_seen_refresh VALUES (old.cluster_id);
END;

INSERT INTO cluster_seen (cluster_id, sightings, first_seen, last_seen, reposts)
SELECT cluster_id, count(*), min(seen_at), max(seen_at), coalesce(sum(gap >= 14 * 86400), 0)
FROM (SELECT j.cluster_id, s.seen_at,
             s.seen_at - lag(s.seen_at) OVER (PARTITION BY j.cluster_id ORDER BY s.seen_at) AS gap
      FROM jobs j JOIN sightings s ON s.job_id = j.id)
GROUP BY cluster_id;

-- Trends also read each posting's updated_at (the key its skills are kept by):
-- from the index they already read, not from the postings' rows.
DROP INDEX jobs_cluster_seen;
CREATE INDEX jobs_cluster_seen ON jobs (cluster_id, first_seen, last_seen, site, is_remote, date_posted, location,
                                        updated_at);
