-- revision: 20250102_change
-- down_revision: 20250101_populated

-- migrate:upgrade
CREATE TABLE tmp_import (id bigint);
DROP TABLE tmp_import;
