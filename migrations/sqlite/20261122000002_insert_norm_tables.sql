-- The norm tables of domain/sources.md that have a source, shipped as data
-- (DESIGN §3.2). Amounts in öre, rates in hundredths of a percent.
-- Kronofogden's normalbelopp 2025 is NOT FOUND and is not shipped; the 2026
-- normalbelopp is third-party and so PROVISIONAL. Identical for both backends.

INSERT INTO norm_tables (id, version, kind, valid_from, valid_to, status, source, loaded_by, loaded_at) VALUES ('riksnorm-2023', 1, 'riksnorm', '2023-01-01', '2023-12-31', 'official', 'Socialstyrelsen, riksnorm 2023 (förordning 2001:937 2 kap. 1 §), as reproduced by Ängelholms kommun "budgetnorm" (its 2-person shared row prints 1 150, a typo: its sub-rows add to 1 250)', 'migration', '2026-11-22T00:00:00.000000Z');
INSERT INTO norm_table_rows (table_id, version, key, value_hundredths) VALUES
    ('riksnorm-2023', 1, 'child_0', 242000),
    ('riksnorm-2023', 1, 'child_1_2', 270000),
    ('riksnorm-2023', 1, 'child_3', 241000),
    ('riksnorm-2023', 1, 'child_4_6', 270000),
    ('riksnorm-2023', 1, 'child_7_10', 338000),
    ('riksnorm-2023', 1, 'child_11_14', 389000),
    ('riksnorm-2023', 1, 'child_15_18', 439000),
    ('riksnorm-2023', 1, 'child_19_20', 443000),
    ('riksnorm-2023', 1, 'single_adult', 349000),
    ('riksnorm-2023', 1, 'cohabiting_pair', 630000),
    ('riksnorm-2023', 1, 'shared_1', 113000),
    ('riksnorm-2023', 1, 'shared_2', 125000),
    ('riksnorm-2023', 1, 'shared_3', 158000),
    ('riksnorm-2023', 1, 'shared_4', 179000),
    ('riksnorm-2023', 1, 'shared_5', 206000),
    ('riksnorm-2023', 1, 'shared_6', 233000),
    ('riksnorm-2023', 1, 'shared_7', 251000);

INSERT INTO norm_tables (id, version, kind, valid_from, valid_to, status, source, loaded_by, loaded_at) VALUES ('riksnorm-2024', 1, 'riksnorm', '2024-01-01', '2024-12-31', 'official', 'Socialstyrelsen, riksnorm 2024 (förordning 2001:937 2 kap. 1 §), as reproduced by Götene kommun "Ersättning per hushåll 2024"', 'migration', '2026-11-22T00:00:00.000000Z');
INSERT INTO norm_table_rows (table_id, version, key, value_hundredths) VALUES
    ('riksnorm-2024', 1, 'child_0', 264000),
    ('riksnorm-2024', 1, 'child_1_2', 294000),
    ('riksnorm-2024', 1, 'child_3', 262000),
    ('riksnorm-2024', 1, 'child_4_6', 294000),
    ('riksnorm-2024', 1, 'child_7_10', 368000),
    ('riksnorm-2024', 1, 'child_11_14', 423000),
    ('riksnorm-2024', 1, 'child_15_18', 478000),
    ('riksnorm-2024', 1, 'child_19_20', 482000),
    ('riksnorm-2024', 1, 'single_adult', 380000),
    ('riksnorm-2024', 1, 'cohabiting_pair', 685000),
    ('riksnorm-2024', 1, 'shared_1', 123000),
    ('riksnorm-2024', 1, 'shared_2', 136000),
    ('riksnorm-2024', 1, 'shared_3', 172000),
    ('riksnorm-2024', 1, 'shared_4', 195000),
    ('riksnorm-2024', 1, 'shared_5', 224000),
    ('riksnorm-2024', 1, 'shared_6', 254000),
    ('riksnorm-2024', 1, 'shared_7', 273000);

INSERT INTO norm_tables (id, version, kind, valid_from, valid_to, status, source, loaded_by, loaded_at) VALUES ('riksnorm-2025', 1, 'riksnorm', '2025-01-01', '2025-12-31', 'official', 'SFS 2025:468 12 kap. 2 § (socialtjänstförordningen, from 2025-07-01); January–June 2025 assumed equal under SFS 2024:1016', 'migration', '2026-11-22T00:00:00.000000Z');
INSERT INTO norm_table_rows (table_id, version, key, value_hundredths) VALUES
    ('riksnorm-2025', 1, 'child_0', 272000),
    ('riksnorm-2025', 1, 'child_1_2', 303000),
    ('riksnorm-2025', 1, 'child_3', 270000),
    ('riksnorm-2025', 1, 'child_4_6', 303000),
    ('riksnorm-2025', 1, 'child_7_10', 379000),
    ('riksnorm-2025', 1, 'child_11_14', 435000),
    ('riksnorm-2025', 1, 'child_15_18', 492000),
    ('riksnorm-2025', 1, 'child_19_20', 496000),
    ('riksnorm-2025', 1, 'child_0_no_lunch', 254000),
    ('riksnorm-2025', 1, 'child_1_2_no_lunch', 278000),
    ('riksnorm-2025', 1, 'child_3_no_lunch', 248000),
    ('riksnorm-2025', 1, 'child_4_6_no_lunch', 270000),
    ('riksnorm-2025', 1, 'single_adult', 391000),
    ('riksnorm-2025', 1, 'cohabiting_pair', 705000),
    ('riksnorm-2025', 1, 'shared_1', 127000),
    ('riksnorm-2025', 1, 'shared_2', 140000),
    ('riksnorm-2025', 1, 'shared_3', 177000),
    ('riksnorm-2025', 1, 'shared_4', 201000),
    ('riksnorm-2025', 1, 'shared_5', 231000),
    ('riksnorm-2025', 1, 'shared_6', 262000),
    ('riksnorm-2025', 1, 'shared_7', 281000);

INSERT INTO norm_tables (id, version, kind, valid_from, valid_to, status, source, loaded_by, loaded_at) VALUES ('riksnorm-2026', 1, 'riksnorm', '2026-01-01', '2026-12-31', 'official', 'SFS 2025:1046 (socialtjänstförordningen 2025:468 12 kap. 2 §, in force 2026-01-01)', 'migration', '2026-11-22T00:00:00.000000Z');
INSERT INTO norm_table_rows (table_id, version, key, value_hundredths) VALUES
    ('riksnorm-2026', 1, 'child_0', 274000),
    ('riksnorm-2026', 1, 'child_1_2', 306000),
    ('riksnorm-2026', 1, 'child_3', 272000),
    ('riksnorm-2026', 1, 'child_4_6', 306000),
    ('riksnorm-2026', 1, 'child_7_10', 382000),
    ('riksnorm-2026', 1, 'child_11_14', 439000),
    ('riksnorm-2026', 1, 'child_15_18', 496000),
    ('riksnorm-2026', 1, 'child_19_20', 500000),
    ('riksnorm-2026', 1, 'child_0_no_lunch', 256000),
    ('riksnorm-2026', 1, 'child_1_2_no_lunch', 280000),
    ('riksnorm-2026', 1, 'child_3_no_lunch', 250000),
    ('riksnorm-2026', 1, 'child_4_6_no_lunch', 272000),
    ('riksnorm-2026', 1, 'single_adult', 394000),
    ('riksnorm-2026', 1, 'cohabiting_pair', 710000),
    ('riksnorm-2026', 1, 'shared_1', 128000),
    ('riksnorm-2026', 1, 'shared_2', 141000),
    ('riksnorm-2026', 1, 'shared_3', 179000),
    ('riksnorm-2026', 1, 'shared_4', 203000),
    ('riksnorm-2026', 1, 'shared_5', 233000),
    ('riksnorm-2026', 1, 'shared_6', 264000),
    ('riksnorm-2026', 1, 'shared_7', 283000);

INSERT INTO norm_tables (id, version, kind, valid_from, valid_to, status, source, loaded_by, loaded_at) VALUES ('normalbelopp-2023', 1, 'normalbelopp', '2023-01-01', '2023-12-31', 'official', 'Kronofogden, KFMFS 2022:1', 'migration', '2026-11-22T00:00:00.000000Z');
INSERT INTO norm_table_rows (table_id, version, key, value_hundredths) VALUES
    ('normalbelopp-2023', 1, 'single_adult', 571700),
    ('normalbelopp-2023', 1, 'cohabiting_pair', 944500),
    ('normalbelopp-2023', 1, 'child_0_6', 305500),
    ('normalbelopp-2023', 1, 'child_7_10', 366700),
    ('normalbelopp-2023', 1, 'child_11_14', 427900),
    ('normalbelopp-2023', 1, 'child_15_plus', 488900);

INSERT INTO norm_tables (id, version, kind, valid_from, valid_to, status, source, loaded_by, loaded_at) VALUES ('normalbelopp-2024', 1, 'normalbelopp', '2024-01-01', '2024-12-31', 'official', 'Kronofogden, kronofogden.se "Vad du får behålla i en löneutmätning" (från den 1 januari 2024)', 'migration', '2026-11-22T00:00:00.000000Z');
INSERT INTO norm_table_rows (table_id, version, key, value_hundredths) VALUES
    ('normalbelopp-2024', 1, 'single_adult', 609000),
    ('normalbelopp-2024', 1, 'cohabiting_pair', 1006100),
    ('normalbelopp-2024', 1, 'child_0_6', 325500),
    ('normalbelopp-2024', 1, 'child_7_10', 390600),
    ('normalbelopp-2024', 1, 'child_11_14', 455800),
    ('normalbelopp-2024', 1, 'child_15_plus', 520800);

INSERT INTO norm_tables (id, version, kind, valid_from, valid_to, status, source, loaded_by, loaded_at) VALUES ('normalbelopp-2026', 1, 'normalbelopp', '2026-01-01', '2026-12-31', 'provisional', 'THIRD-PARTY: public repository Offrix/Swedish-ERP (each value about 2024 × 1.025); official source: Kronofogdens allmänna råd om bestämmande av förbehållsbeloppet vid löneutmätning under år 2026', 'migration', '2026-11-22T00:00:00.000000Z');
INSERT INTO norm_table_rows (table_id, version, key, value_hundredths) VALUES
    ('normalbelopp-2026', 1, 'single_adult', 624300),
    ('normalbelopp-2026', 1, 'cohabiting_pair', 1031400),
    ('normalbelopp-2026', 1, 'child_0_6', 333600),
    ('normalbelopp-2026', 1, 'child_7_10', 400400),
    ('normalbelopp-2026', 1, 'child_11_14', 467200),
    ('normalbelopp-2026', 1, 'child_15_plus', 533900);

INSERT INTO norm_tables (id, version, kind, valid_from, valid_to, status, source, loaded_by, loaded_at) VALUES ('referensranta-2023-07', 1, 'referensranta', '2023-07-01', '2023-12-31', 'official', 'Riksbanken, riksbank.se (räntelagen 1975:635 9 §)', 'migration', '2026-11-22T00:00:00.000000Z');
INSERT INTO norm_table_rows (table_id, version, key, value_hundredths) VALUES
    ('referensranta-2023-07', 1, 'referensranta', 350);

INSERT INTO norm_tables (id, version, kind, valid_from, valid_to, status, source, loaded_by, loaded_at) VALUES ('referensranta-2024-01', 1, 'referensranta', '2024-01-01', '2024-06-30', 'official', 'SFS 2023:954 (räntelagen 1975:635 9 §)', 'migration', '2026-11-22T00:00:00.000000Z');
INSERT INTO norm_table_rows (table_id, version, key, value_hundredths) VALUES
    ('referensranta-2024-01', 1, 'referensranta', 400);

INSERT INTO norm_tables (id, version, kind, valid_from, valid_to, status, source, loaded_by, loaded_at) VALUES ('referensranta-2024-07', 1, 'referensranta', '2024-07-01', '2024-12-31', 'official', 'SFS 2024:613 (räntelagen 1975:635 9 §)', 'migration', '2026-11-22T00:00:00.000000Z');
INSERT INTO norm_table_rows (table_id, version, key, value_hundredths) VALUES
    ('referensranta-2024-07', 1, 'referensranta', 400);

INSERT INTO norm_tables (id, version, kind, valid_from, valid_to, status, source, loaded_by, loaded_at) VALUES ('referensranta-2025-01', 1, 'referensranta', '2025-01-01', '2025-06-30', 'official', 'SFS 2024:1373 (räntelagen 1975:635 9 §)', 'migration', '2026-11-22T00:00:00.000000Z');
INSERT INTO norm_table_rows (table_id, version, key, value_hundredths) VALUES
    ('referensranta-2025-01', 1, 'referensranta', 300);

INSERT INTO norm_tables (id, version, kind, valid_from, valid_to, status, source, loaded_by, loaded_at) VALUES ('referensranta-2025-07', 1, 'referensranta', '2025-07-01', '2025-12-31', 'official', 'SFS 2025:809 (räntelagen 1975:635 9 §)', 'migration', '2026-11-22T00:00:00.000000Z');
INSERT INTO norm_table_rows (table_id, version, key, value_hundredths) VALUES
    ('referensranta-2025-07', 1, 'referensranta', 200);

INSERT INTO norm_tables (id, version, kind, valid_from, valid_to, status, source, loaded_by, loaded_at) VALUES ('referensranta-2026-01', 1, 'referensranta', '2026-01-01', '2026-06-30', 'official', 'SFS 2025:1582 (räntelagen 1975:635 9 §)', 'migration', '2026-11-22T00:00:00.000000Z');
INSERT INTO norm_table_rows (table_id, version, key, value_hundredths) VALUES
    ('referensranta-2026-01', 1, 'referensranta', 200);
