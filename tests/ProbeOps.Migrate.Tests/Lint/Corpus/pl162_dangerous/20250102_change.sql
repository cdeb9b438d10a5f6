-- revision: 20250102_change
-- down_revision: 20250101_populated

-- migrate:upgrade
-- expect: PL162
ALTER TYPE mood ADD VALUE 'happy';
