-- revision: 20250102_change
-- down_revision: 20250101_populated

-- migrate:upgrade transaction:false
ALTER TYPE mood ADD VALUE IF NOT EXISTS 'happy';
