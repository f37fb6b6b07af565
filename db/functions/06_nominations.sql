-- SPDX-License-Identifier: MIT
-- The representations of nominations (list item, summary and full form)
-- and of their evidence files.

-- The list form: what a table row in a front end shows. `entry`: who
-- entered the nomination, its unit or the office on the unit's behalf (a
-- paper submission, migration 0016), and the user's id. No deeds, no
-- nested lists, no personal data beyond the masked forms. Written as JSON
-- text by concatenation because lists render thousands of these: it costs
-- about a tenth of json(b)_build_object, which looks up every argument's
-- type on every row. Only free text goes through to_json (escaping); the
-- other values are UUIDs, enum values, digits, masks and dates, which need
-- none. Every response is checked against the contract in the tests.
CREATE OR REPLACE FUNCTION api_nomination_list_item(n nominations, unit_name text) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT '{"id":"' || n.id
        || '","round_id":"' || n.round_id
        || '","unit_id":"' || n.unit_id
        || '","unit_name":' || to_json(unit_name)
        || ',"state":"' || n.state
        || '","channel":"' || n.channel
        || '","name":' || to_json(n.name)
        || ',"id_number":"' || n.id_number_masked
        || '","gender":"' || n.gender
        || '","birth_month":"' || to_char(n.birth_date, 'YYYY-MM')
        || '","age":' || n.age
        || ',"phone":' || coalesce('"' || n.phone_masked || '"', 'null')
        || ',"occupation":' || coalesce(to_json(n.occupation)::text, 'null')
        || ',"skill_level":' || coalesce('"' || n.skill_level || '"', 'null')
        || ',"eligibility_outcome":' || coalesce('"' || (n.eligibility ->> 'outcome') || '"', 'null')
        || ',"publicity_start":' || coalesce('"' || n.publicity_start || '"', 'null')
        || ',"publicity_end":' || coalesce('"' || n.publicity_end || '"', 'null')
        || ',"submitted_at":' || coalesce('"' || api_ts(n.submitted_at) || '"', 'null')
        || ',"entry":{"by":"' || CASE WHEN n.entered_by_office THEN 'office' ELSE 'unit' END
        || '","user":' || coalesce('"' || n.entered_by || '"', 'null') || '}'
        || ',"version":' || n.version
        || ',"created_at":"' || api_ts(n.created_at)
        || '","updated_at":"' || api_ts(n.updated_at) || '"}'
$$;

CREATE OR REPLACE FUNCTION api_nomination_summary(n nominations) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT api_nomination_list_item(n, (SELECT u.name FROM units u WHERE u.id = n.unit_id))::jsonb
$$;

-- The full form: the summary plus everything the unit entered (with the
-- employer and any competition result), the checklist, the office's notes
-- and the history.
CREATE OR REPLACE FUNCTION api_nomination(n nominations) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT api_nomination_summary(n) || jsonb_build_object(
        'skill_certificate_no', n.skill_certificate_no,
        'front_line', n.front_line,
        'post', n.post,
        'innovation_studio_lead', n.innovation_studio_lead,
        'honours', n.honours,
        'patents', n.patents,
        'competitions', n.competitions,
        'apprentices', n.apprentices,
        'deeds', n.deeds,
        'deeds_chars', length(n.deeds),
        -- 用人单位 (migration 0015), apart from the recommending unit; null
        -- until the unit fills it in (required before submission).
        'employer', CASE WHEN n.employer_name IS NOT NULL THEN jsonb_build_object(
                        'name', n.employer_name, 'code', n.employer_code,
                        'kind', n.employer_kind) END,
        -- Channel `competition` (环翠 第十条（二）): the result it rests on.
        'competition_result', n.competition_result,
        'publicity_workdays', n.publicity_workdays,
        'eligibility', n.eligibility,
        'overrides', n.overrides,
        'return_comment', n.return_comment,
        'decision_reason', n.decision_reason,
        'decided_at', api_ts(n.decided_at),
        'attachments', (SELECT count(*) FROM attachments a WHERE a.nomination_id = n.id),
        'history', coalesce((SELECT jsonb_agg(jsonb_build_object(
                                 'from', t.from_state, 'to', t.to_state, 'actor', t.actor,
                                 'role', t.role, 'note', t.note, 'at', api_ts(t.at),
                                 'on_behalf_of', t.on_behalf_of)
                                 ORDER BY t.id)
                               FROM nomination_transitions t
                              WHERE t.nomination_id = n.id), '[]'::jsonb))
$$;

CREATE OR REPLACE FUNCTION api_attachment(a attachments) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'id', a.id,
        'nomination_id', a.nomination_id,
        'kind', a.kind,
        'filename', a.filename,
        'media_type', a.media_type,
        'size_bytes', a.size_bytes,
        'sha256', a.sha256,
        'created_at', api_ts(a.created_at))
$$;

-- Trigger of migration 0014: a nomination's creation day. The API writes
-- the service clock's date; a row written by other means (an import, a
-- test) takes the date of its row timestamp.
CREATE OR REPLACE FUNCTION nominations_created_on() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.created_on := coalesce(NEW.created_on,
                               (NEW.created_at AT TIME ZONE 'Asia/Shanghai')::date);
    RETURN NEW;
END
$$;
