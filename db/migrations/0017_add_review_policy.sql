-- SPDX-License-Identifier: MIT
-- Issue 12, expert review: the policy members the review reads
-- (api/model/policy.h; the rules themselves are api/model/review_rules.h and
-- review_draw.h, the README's "Review and ranking rules"). All optional, so a
-- version a round has pinned keeps its rules and reads the defaults:
--   * review_experts (absent = 5): experts drawn per nomination;
--   * review_disagreement_stdev (absent = 15): a nomination whose review
--     totals' standard deviation exceeds it (points of 100) is flagged;
--   * shortlist_size (absent = null): null lets vote_nominees size the
--     shortlist, or, without a public vote, the office sets it when it
--     freezes the list; non-null only without a vote, >= awards_per_round;
--   * a scored rubric criterion's max_score (absent = 100): an expert scores
--     it from 0 to max_score; a gate has none (pass/fail).
--
-- The two seeded programmes, on the versions no round has pinned (a pinned
-- version never changes, 0009):
--   岚山 第五条（三） "抽调业务骨干和部分专家组成评审组" and 环翠 第十条（四）
--   "组织有关专家成立…评审委员会" fix no panel size. Choice: 5 experts, the
--   smallest panel whose trimmed mean (one highest and one lowest dropped)
--   still averages three reviews.
--   Neither document knows a disagreement flag. Choice: 15 points of 100.
--   岚山: the shortlist is the 20 vote nominees (第五条（三） "确定20名提名人选"),
--   so shortlist_size stays null. 环翠 has no public vote and 第十条（四）
--   "提出环翠区首席技师人选名单" fixes no length (第四条 "5人左右" is the
--   target). Choice: null, the office sets it when it freezes the list.
--   Neither document has score ranges (岚山 第四条, 环翠 第七条 list the
--   conditions only). Choice: each scored criterion out of its weight, as on
--   a paper score sheet (评分表), so a review's total is the sum of its scores.
UPDATE policy_versions v
   SET policy = v.policy
                || jsonb_build_object('review_experts', 5,
                                      'review_disagreement_stdev', 15,
                                      'shortlist_size', NULL)
                || jsonb_build_object('rubric', (
                       SELECT jsonb_agg(CASE WHEN (c ->> 'gate')::boolean THEN c
                                             ELSE c || jsonb_build_object('max_score',
                                                                          (c ->> 'weight')::int)
                                        END ORDER BY i)
                         FROM jsonb_array_elements(v.policy -> 'rubric') WITH ORDINALITY AS r (c, i))),
       version = v.version + 1, updated_at = now()
  FROM programmes p
 WHERE p.id = v.programme_id
   AND p.code IN ('lanshan-craftsman', 'huancui-chief-technician')
   AND NOT v.policy ? 'review_experts'
   AND NOT EXISTS (SELECT 1 FROM rounds r WHERE r.policy_version_id = v.id);
