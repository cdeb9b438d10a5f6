-- message: Note titles

-- migrate:upgrade
DROP VIEW IF EXISTS note_titles;
CREATE VIEW note_titles AS SELECT id, title FROM notes;
