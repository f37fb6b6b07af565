-- SPDX-License-Identifier: MIT
-- Objections (异议) to a final notice (db/migrations/0021, issue 13): what
-- the office and a leader read of one, what the objector reads with the
-- tracking number and code, and what the audit log keeps. The text and the
-- contact are in the office's form only; the audit form and the public
-- form carry neither. The rules are api/ops/objections.c's.

-- The entry number (1..n) of the objection's nomination on its notice.
CREATE OR REPLACE FUNCTION objection_entry(o objections) RETURNS integer
LANGUAGE sql STABLE AS $$
    SELECT x.i::int
      FROM notices t, jsonb_array_elements(t.entries) WITH ORDINALITY AS x (e, i)
     WHERE t.id = o.notice_id AND (x.e ->> 'nomination_id')::uuid = o.nomination_id
$$;

-- The office's (and a leader's) form: the text, the masked contact (the
-- sealed one never leaves the database), the findings.
CREATE OR REPLACE FUNCTION api_objection(o objections) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'id', o.id,
        'notice_id', o.notice_id,
        'tracking_number', o.tracking_number,
        'entry', objection_entry(o),
        'nomination_id', o.nomination_id,
        'name', (SELECT n.name FROM nominations n WHERE n.id = o.nomination_id),
        'text', o.body,
        'contact', o.contact_masked,
        'state', o.state,
        'findings', o.findings,
        'received_at', api_ts(o.received_at),
        'decided_at', api_ts(o.decided_at),
        'decided_by', (SELECT u.username FROM users u WHERE u.id = o.decided_by),
        'version', o.version)
$$;

-- What the objector reads with the right code: where it stands, nothing
-- of the text, the contact, the candidate or the findings.
CREATE OR REPLACE FUNCTION api_objection_status(o objections) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'tracking_number', o.tracking_number,
        'state', o.state,
        'received_at', api_ts(o.received_at),
        'decided_at', api_ts(o.decided_at))
$$;

-- The audit log's before/after: ids and the state only.
CREATE OR REPLACE FUNCTION audit_objection(o objections) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'id', o.id,
        'notice_id', o.notice_id,
        'entry', objection_entry(o),
        'state', o.state,
        'version', o.version)
$$;
