-- SPDX-License-Identifier: MIT
-- Issue 14: holders recognised before this system, imported by the office
-- (POST /v1/programmes/{code}/past-holders), so the repeat rules see them:
-- 岚山工匠 第六条 "不重复认定" across every document of the programme,
-- including the repealed 岚政办发〔2018〕29号, and 环翠区首席技师
-- 第十六条（二） (re-apply after the management period).
--
-- The ID number is kept as nominations keep it (0007): sealed under the PII
-- key, with the keyed hash the repeat rules match on and the masked form the
-- list shows. A certificate number is a programme's once: a re-import of the
-- same row changes nothing, and the same number with other facts is refused.
CREATE TABLE past_holders (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    programme_id        uuid NOT NULL REFERENCES programmes (id),
    name                text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
    id_number_sealed    bytea NOT NULL CHECK (octet_length(id_number_sealed) > 40),
    id_number_hash      text NOT NULL CHECK (id_number_hash ~ '^[0-9a-f]{64}$'),
    id_number_masked    text NOT NULL CHECK (length(id_number_masked) = 18),
    year                integer NOT NULL CHECK (year BETWEEN 1949 AND 9999),
    certificate_number  text NOT NULL CHECK (length(certificate_number) BETWEEN 1 AND 40),
    document_no         text NOT NULL CHECK (length(document_no) BETWEEN 1 AND 100),
    recognized_on       date CHECK (extract(year FROM recognized_on) = year),
    imported_by         uuid REFERENCES users (id),
    imported_at         timestamptz NOT NULL,
    UNIQUE (programme_id, certificate_number)
);

CREATE INDEX past_holders_person ON past_holders (programme_id, id_number_hash);

-- Imported rows are history: the runtime role adds them and never changes them.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'jiangxin_app') THEN
        REVOKE UPDATE, DELETE, TRUNCATE ON past_holders FROM jiangxin_app;
    END IF;
END
$$;
