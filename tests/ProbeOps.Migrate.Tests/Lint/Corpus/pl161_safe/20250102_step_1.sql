-- revision: 20250102_step_1
-- down_revision: 20250101_populated

-- migrate:upgrade transaction:false
ALTER TYPE mood ADD VALUE IF NOT EXISTS 'happy';
