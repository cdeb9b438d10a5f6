-- A file of a deeper folder: embedded, but no migration (only the folder's top level and repeatable/ are read).
this is not SQL
