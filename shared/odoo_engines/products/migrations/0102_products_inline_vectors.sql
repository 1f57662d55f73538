-- Vectors stay in the row (MAIN: out of line only when a row would not fit a page).
-- pgvector's default (EXTERNAL) puts every vector over ~2 KB, 512 dimensions and up, in
-- the TOAST table: a scan that reads vectors from the rows (a catalogue small enough for
-- the planner to prefer it, an exact check) then costs about five buffer reads per
-- product, 21 ms instead of a few at 5,000 products. Rows move in as they are rewritten.
ALTER TABLE products ALTER COLUMN embedding SET STORAGE MAIN;
