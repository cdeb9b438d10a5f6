-- revision: 20250102_change
-- down_revision: 20250101_populated

-- migrate:upgrade
CREATE SCHEMA audit;
CREATE TABLE audit."Events" (id bigint, "Kind" text);
CREATE INDEX ix_events_kind ON "audit"."Events" ("Kind");
ALTER TABLE audit."Events" ADD COLUMN token uuid NOT NULL DEFAULT gen_random_uuid(), ADD CONSTRAINT events_kind_check CHECK ("Kind" <> '');
