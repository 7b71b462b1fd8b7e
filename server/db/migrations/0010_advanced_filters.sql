-- The advanced filters (Pro) test each board's posting: one small index per
-- column, each carrying the cluster, so a filter never reads the postings'
-- rows with their long descriptions.
CREATE INDEX jobs_level ON jobs (job_level, cluster_id) WHERE job_level IS NOT NULL;
CREATE INDEX jobs_industry ON jobs (company_industry, cluster_id) WHERE company_industry IS NOT NULL;
CREATE INDEX jobs_rating ON jobs (company_rating, cluster_id) WHERE company_rating IS NOT NULL;
CREATE INDEX jobs_direct_apply ON jobs (cluster_id) WHERE job_url_direct IS NOT NULL;
