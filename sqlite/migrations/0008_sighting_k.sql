-- k of the web UI's sighting counts, per community (0: the default, 3).
ALTER TABLE communities ADD COLUMN sighting_k INTEGER NOT NULL DEFAULT 0;
