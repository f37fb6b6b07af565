-- SPDX-License-Identifier: MIT
-- Issue 12, "corrections to intake first":
--   * a nomination records the candidate's employer (用人单位: name,
--     统一社会信用代码, kind) apart from the recommending unit. 环翠 第六条
--     ("全区各类所有制经济企业中…的高技能人才") is judged on the employer, and a
--     competition winner (环翠 第十条（二） "从各类职业技能竞赛成绩优异者中推荐")
--     may be recommended by a body that is not an enterprise. Optional in a
--     draft, required before submission (api/model/nomination_guards.c).
--     The kind takes the unit kinds (unit_kind).
--   * a nomination of channel `competition` carries the competition result
--     it rests on (name, level, rank, year: the shape of a `competitions`
--     element), required before submission.
--   * "1000字左右" (环翠 第十条（二）) is soft: the policy's bounds on the deeds
--     are a warning of the checklist; only the storage limit is hard, and
--     the table now says so too (NOMINATION_DEEDS_HARD_MAX code points).

ALTER TABLE nominations
    ADD COLUMN employer_name text CHECK (length(employer_name) BETWEEN 1 AND 200),
    ADD COLUMN employer_code text CHECK (employer_code ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'),
    ADD COLUMN employer_kind unit_kind,
    ADD COLUMN competition_result jsonb CHECK (jsonb_typeof(competition_result) = 'object'),
    ADD CONSTRAINT nominations_employer_triple CHECK (
        (employer_name IS NULL) = (employer_code IS NULL) AND
        (employer_name IS NULL) = (employer_kind IS NULL)),
    ADD CONSTRAINT nominations_deeds_storage CHECK (length(deeds) <= 100000);

-- Rows before this migration: a unit's own nomination (channel `unit`,
-- 由各企业推荐) names the recommending unit as the employer. A competition
-- nomination's recommender need not employ the candidate: left empty, for
-- the unit to fill in before it submits.
UPDATE nominations n
   SET employer_name = u.name, employer_code = u.code, employer_kind = u.kind
  FROM units u
 WHERE u.id = n.unit_id AND n.channel = 'unit';
