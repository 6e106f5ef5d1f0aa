-- The runtime limits an operator changed (PUT /api/admin/limits), each by its name in the limits' JSON: every
-- node puts them over its configured limits at start and at each re-read. A reset removes them all.
CREATE TABLE changed_limit (
    name        VARCHAR(32) NOT NULL,
    limit_value INTEGER     NOT NULL,
    CONSTRAINT changed_limit_pk PRIMARY KEY (name)
);
