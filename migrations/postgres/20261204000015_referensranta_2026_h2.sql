-- The referensränta for 2026-07-01 – 2026-12-31, shipped PROVISIONAL: the
-- figure (2.00 %) is printed only by third parties; no SFS notice from
-- Riksbanken was found (docs/sources.md §4.3 and §8). Every late-interest
-- result over this half-year says it is provisional. When the SFS notice is
-- found, an operator re-imports this id with status official (version 2).
INSERT INTO norm_tables (id, version, kind, valid_from, valid_to, status, source, loaded_by, loaded_at) VALUES ('referensranta-2026-07', 1, 'referensranta', '2026-07-01', '2026-12-31', 'provisional', 'THIRD-PARTY only: 2.00 % as printed by third parties; no SFS notice by Riksbanken found (räntelagen 1975:635 9 §)', 'migration', '2026-12-04T00:00:00.000000Z');
INSERT INTO norm_table_rows (table_id, version, key, value_hundredths) VALUES
    ('referensranta-2026-07', 1, 'referensranta', 200);
