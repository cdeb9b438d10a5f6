-- revision: 20250102_change
-- down_revision: 20250101_populated

-- migrate:upgrade
CREATE TABLE events (id bigint PRIMARY KEY);
CLUSTER events USING events_pkey;
