-- SPDX-License-Identifier: MIT
-- The representations of expert profiles and declared relations, and the
-- expert pool of a programme for the review draw (issue 12).

-- A profile as the API returns it. `programmes` are codes, sorted.
CREATE OR REPLACE FUNCTION api_expert(e expert_profiles) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'user_id', e.user_id,
        'username', (SELECT u.username FROM users u WHERE u.id = e.user_id),
        'name', e.name,
        'fields', to_jsonb(e.fields),
        'employer_name', e.employer_name,
        'employer_code', e.employer_code,
        'employer_unit_id', e.employer_unit_id,
        'title', e.title,
        'specialty', e.specialty,
        'active', e.active,
        'programmes', coalesce((SELECT jsonb_agg(p.code ORDER BY p.code)
                                  FROM expert_programmes ep
                                  JOIN programmes p ON p.id = ep.programme_id
                                 WHERE ep.user_id = e.user_id), '[]'::jsonb),
        'version', e.version,
        'created_at', api_ts(e.created_at),
        'updated_at', api_ts(e.updated_at))
$$;

-- A declared relation: never the hash (nor, since it is not stored, the
-- number), and nothing about whether it matches a nomination.
CREATE OR REPLACE FUNCTION api_expert_relation(r expert_relations) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'id', r.id,
        'expert_id', r.expert_id,
        'kind', r.kind,
        'note', r.note,
        'version', r.version,
        'created_at', api_ts(r.created_at),
        'updated_at', api_ts(r.updated_at))
$$;

-- The expert pool of a programme, for the review draw (POST
-- /v1/rounds/{id}/review-assignments): one row per expert who may be drawn
-- for rounds of `programme` (its id), ordered by expert_id so a seeded draw
-- sees the same order every time. An expert is in the pool when the
-- profile is active, names the programme, and the user still exists, is
-- enabled and holds role `expert`. Columns, all the conflict check needs:
--   expert_id        the expert's user id;
--   fields           职业（工种） labels, compared with nominations.occupation
--                    as written (prefer matching fields);
--   employer_code    the employer's 统一社会信用代码: conflicted when it equals
--                    the candidate's employer code (nominations.employer_code)
--                    or the code of the nomination's recommending unit
--                    (units.code);
--   employer_unit_id the linked unit, or else the unit with that code (NULL
--                    when none): conflicted when it is nominations.unit_id;
--   relation_hashes  keyed hashes of the declared relations' ID numbers
--                    (sorted): conflicted when one equals
--                    nominations.id_number_hash.
CREATE OR REPLACE FUNCTION expert_pool(programme uuid)
RETURNS TABLE (expert_id uuid, fields text[], employer_code text, employer_unit_id uuid,
               relation_hashes text[])
LANGUAGE sql STABLE AS $$
    SELECT e.user_id,
           e.fields,
           e.employer_code,
           coalesce(e.employer_unit_id,
                    (SELECT un.id FROM units un WHERE un.code = e.employer_code)),
           coalesce((SELECT array_agg(r.id_number_hash ORDER BY r.id_number_hash)
                       FROM expert_relations r
                      WHERE r.expert_id = e.user_id), '{}'::text[])
      FROM expert_profiles e
      JOIN expert_programmes ep ON ep.user_id = e.user_id AND ep.programme_id = programme
      JOIN users u ON u.id = e.user_id
     WHERE e.active AND u.role = 'expert' AND u.deleted_at IS NULL AND NOT u.disabled
     ORDER BY e.user_id
$$;
