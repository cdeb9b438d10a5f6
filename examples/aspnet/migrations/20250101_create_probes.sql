-- revision: 20250101_create_probes
-- down_revision: none
-- message: Create probes

-- migrate:upgrade
CREATE TABLE probes (
    id integer PRIMARY KEY,
    name text NOT NULL,
    target text NOT NULL
);

-- migrate:downgrade
DROP TABLE probes;
