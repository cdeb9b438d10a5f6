-- revision: 20250102_seed_default_probe
-- down_revision: 20250101_create_probes
-- message: Seed the default probe

-- migrate:upgrade
-- Applied exactly once, however many replicas start together: a second run would fail on the primary key.
INSERT INTO probes (id, name, target) VALUES (1, 'self', 'http://127.0.0.1/');

-- migrate:downgrade
DELETE FROM probes WHERE id = 1;
