-- revision: 20250102_change
-- down_revision: 20250101_populated

-- migrate:upgrade
ALTER TABLE accounts
    ADD COLUMN seen_at timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN note text DEFAULT 'random()',
    ALTER COLUMN email TYPE text,
    ALTER COLUMN name SET DEFAULT '';
