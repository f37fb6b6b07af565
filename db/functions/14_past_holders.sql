-- SPDX-License-Identifier: MIT
-- Issue 14: past holders (0023), imported from before this system. Their
-- management period, where the repeat rule needs one, is management_period()
-- of 13_holders.sql over the programme's current policy (nomination_store_facts).

-- A past holder as the office and the auditor read it: the ID number masked.
CREATE OR REPLACE FUNCTION api_past_holder(h past_holders) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'id', h.id,
        'programme', (SELECT p.code FROM programmes p WHERE p.id = h.programme_id),
        'name', h.name,
        'id_number_masked', h.id_number_masked,
        'year', h.year,
        'certificate_number', h.certificate_number,
        'document_no', h.document_no,
        'recognized_on', h.recognized_on,
        'imported_by', (SELECT u.username FROM users u WHERE u.id = h.imported_by),
        'imported_at', api_ts(h.imported_at))
$$;

-- Imports `rows` (a JSON array of {i, name, id_number_sealed (hex),
-- id_number_hash, id_number_masked, year, certificate_number, document_no,
-- recognized_on}) into `programme`: {"imported": n, "unchanged": n,
-- "conflicts": [i, ...]}. A row whose certificate number the programme
-- already holds with the same facts is unchanged; with other facts it is a
-- conflict (the caller rolls back: nothing is imported from such a file).
CREATE OR REPLACE FUNCTION past_holders_import(programme text, rows jsonb, actor uuid,
                                               at timestamptz) RETURNS jsonb
LANGUAGE sql VOLATILE AS $$
    WITH prog AS (SELECT id FROM programmes WHERE code = programme),
    r AS (
        SELECT x.*
          FROM jsonb_to_recordset(rows) AS x(i int, name text, id_number_sealed text,
               id_number_hash text, id_number_masked text, year int, certificate_number text,
               document_no text, recognized_on date)
    ),
    old AS (
        SELECT r.i, (h.name, h.id_number_hash, h.year, h.document_no, h.recognized_on)
                    IS NOT DISTINCT FROM
                    (r.name, r.id_number_hash, r.year, r.document_no, r.recognized_on) AS same
          FROM r JOIN past_holders h ON h.certificate_number = r.certificate_number
         WHERE h.programme_id = (SELECT id FROM prog)
    ),
    ins AS (
        INSERT INTO past_holders (programme_id, name, id_number_sealed, id_number_hash,
                                  id_number_masked, year, certificate_number, document_no,
                                  recognized_on, imported_by, imported_at)
        SELECT (SELECT id FROM prog), r.name, decode(r.id_number_sealed, 'hex'),
               r.id_number_hash, r.id_number_masked, r.year, r.certificate_number,
               r.document_no, r.recognized_on, actor, at
          FROM r WHERE r.i NOT IN (SELECT i FROM old)
        RETURNING 1
    )
    SELECT jsonb_build_object(
        'imported', (SELECT count(*) FROM ins),
        'unchanged', (SELECT count(*) FROM old WHERE same),
        'conflicts', (SELECT coalesce(jsonb_agg(i ORDER BY i), '[]'::jsonb) FROM old
                       WHERE NOT same))
$$;
