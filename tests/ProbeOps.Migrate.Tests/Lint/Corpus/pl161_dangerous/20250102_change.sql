-- revision: 20250102_change
-- down_revision: 20250101_populated

-- migrate:upgrade
ALTER TYPE mood ADD VALUE 'happy';
-- expect: PL161
CREATE TABLE feelings (m mood NOT NULL DEFAULT 'happy');
