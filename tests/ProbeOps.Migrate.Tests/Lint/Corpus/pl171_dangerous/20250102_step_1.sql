-- revision: 20250102_step_1
-- down_revision: 20250101_populated

-- migrate:upgrade
-- expect: PL171
ALTER TABLE orders ADD COLUMN note text;
