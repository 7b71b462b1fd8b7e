-- What the insights read fast over a large store.

-- Salary insights read every posting with pay: these columns alone, from
-- this index, never the postings' rows with their long descriptions.
CREATE INDEX jobs_pay ON jobs (annual_max, currency, annual_min, cluster_id, last_seen, id, site, salary_source,
                               city, location, date_posted, first_seen)
WHERE annual_max IS NOT NULL;

-- Resume matching names the store's version by its latest change.
CREATE INDEX jobs_updated ON jobs (updated_at);

-- The company list shows each company by the spelling most of its jobs use.
CREATE INDEX clusters_company_names ON clusters (company_key, company);

-- Resume matching scores the most recently seen jobs: read in that order, no sort.
CREATE INDEX clusters_last_seen ON clusters (last_seen DESC, id);
