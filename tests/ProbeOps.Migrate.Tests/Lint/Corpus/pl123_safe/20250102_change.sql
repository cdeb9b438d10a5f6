-- revision: 20250102_change
-- down_revision: 20250101_populated

-- migrate:upgrade
ALTER TABLE accounts ADD CONSTRAINT balance_positive CHECK (balance >= 0) NOT VALID;
