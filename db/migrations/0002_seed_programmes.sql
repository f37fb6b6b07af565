-- SPDX-License-Identifier: MIT
-- The two programmes of shared/seeds/ with their policies (api/model/policy.h
-- lists the members). Each policy is built from one row per member:
-- (member, JSON value, article). The comment above a row quotes the article,
-- or says why the value is our choice where the document leaves it open; the
-- third column becomes the policy's `articles` object. tests/unit/test_policy.c
-- reads these rows and runs policy_validate() on the result, so keep the
-- shape: SELECT '<code>', then VALUES rows of three literals (NULL allowed).

-- 岚山工匠: 日照市岚山区人民政府办公室《"岚山工匠"认定管理办法》(岚政办字〔2022〕8号).
INSERT INTO programmes (code, name, name_en, policy)
SELECT 'lanshan-craftsman', '岚山工匠', 'Lanshan Craftsman',
       jsonb_object_agg(member, value::jsonb)
       || jsonb_build_object('articles',
              jsonb_object_agg(member, article) FILTER (WHERE article IS NOT NULL))
  FROM (VALUES
    -- 文头与落款: 日照市岚山区人民政府办公室 (no article)
    ('authority', '"日照市岚山区人民政府办公室"', NULL),
    -- 文头: 岚政办字〔2022〕8号 (no article)
    ('document_no', '"岚政办字〔2022〕8号"', NULL),
    -- 第十三条: 本办法自公布之日起施行; 公布 = 印发日期 2022年3月25日 (落款)
    ('in_force_from', '"2022-03-25"', '第十三条'),
    -- 第十三条: 有效期至2027年3月25日
    ('in_force_to', '"2027-03-25"', '第十三条'),
    -- 第二条: 全区每两年认定一次"岚山工匠"
    ('cycle_years', '2', '第二条'),
    -- 第二条: 每次不超过10名
    ('awards_per_round', '10', '第二条'),
    -- 第二条: "不超过" is a ceiling, so the cap is hard
    ('awards_cap', '"hard"', '第二条'),
    -- 第五条（三）: 对候选人进行综合评审，确定20名提名人选;
    -- （四）对确定的提名人选在网络进行公开投票
    ('vote_nominees', '20', '第五条（三）'),
    -- 第五条（四）: 网络投票"广泛征求社会意见"; （五）领导小组研究确定. The vote informs the
    -- decision and is not scored: weight 0 (advisory)
    ('vote_weight', '0', '第五条（四）'),
    -- 第五条（一）: 将推荐结果在本乡镇（街道）、本系统、本单位公示
    ('unit_publicity_required', 'true', '第五条（一）'),
    -- 第五条（一）: 公示时间不少于3个工作日
    ('unit_publicity_min_workdays', '3', '第五条（一）'),
    -- 第五条（六）: 将认定结果在区级媒体或网站上进行公示，公示时间为5个工作日
    ('final_notice_workdays', '5', '第五条（六）'),
    -- Not fixed by the document. Choice: false, counting starts on the next
    -- working day after publication (民法典 第二百零一条 default; ecosystem-facts §7)
    ('notice_counts_publication_day', 'false', NULL),
    -- 第五条（五）研究确定"岚山工匠"候选人, then （六）社会公示: decision before notice
    ('notice_before_decision', 'false', '第五条（五）（六）'),
    -- 第四条 lists no 职业技能等级 certificate: 掌握高超技能 （二） is judged in review
    ('min_skill_level', 'null', NULL),
    -- 第二条: "岚山工匠"是我区各行各业在生产服务一线从事岗位操作的高技能职工
    ('front_line_required', 'true', '第二条'),
    -- 第二条: 认定面向全区各行各业职工; 第五条（一） nominations come through
    -- 乡镇（街道）、系统、单位, so not only enterprises
    ('enterprise_only', 'false', '第二条'),
    -- 第四条（五）: 注重荣誉基础 — 获得区级及以上职工技术创新奖、科技成果奖、国家发明专利、
    -- 技能类奖项或称号的，区级及以上表彰奖励获得者
    ('honours_considered', 'true', '第四条（五）'),
    -- 第四条 sets no age condition
    ('age_max', 'null', NULL),
    ('age_max_kind', 'null', NULL),
    ('age_preferred_max', 'null', NULL),
    -- 第六条: 区政府认定的"岚山工匠"享受区级劳动模范待遇，不重复认定
    ('repeat_rule', '"once"', '第六条'),
    -- 第十二条（一）: 弄虚作假，骗取推荐认定的 → 取消"岚山工匠"认定命名
    ('fraud_at_intake', '"cancel_recognition"', '第十二条（一）'),
    -- 第五条（一）至（七） is the whole procedure and has no on-site skill test
    ('skill_test', 'false', '第五条'),
    ('skill_test_weight', 'null', NULL),
    -- 第四条（一）至（五）: the five basic conditions. （一）优秀品格 is a pass/fail gate
    -- (SPEC §3). The document gives no weights; choice: the four scored
    -- conditions weigh equally (25 each) until the office decides otherwise
    ('rubric', '[
        {"criterion": "character", "label": "优秀品格", "label_en": "Character",
         "weight": 0, "gate": true},
        {"criterion": "skill", "label": "高超技能", "label_en": "Outstanding skill",
         "weight": 25, "gate": false},
        {"criterion": "innovation", "label": "创新创造", "label_en": "Innovation",
         "weight": 25, "gate": false},
        {"criterion": "leadership", "label": "领军作用", "label_en": "Leading role",
         "weight": 25, "gate": false},
        {"criterion": "honours", "label": "荣誉基础", "label_en": "Honours",
         "weight": 25, "gate": false}
    ]', '第四条'),
    -- 第五条（七）: 区政府颁发"岚山工匠"证书、奖牌，并给予一次性奖励
    ('reward', '"one_time"', '第五条（七）'),
    -- No allowance, so no allowance amount, management period or start rule
    ('allowance_monthly_fen', 'null', NULL),
    ('management_period_months', 'null', NULL),
    ('allowance_start', 'null', NULL),
    -- 第十一条: 所在单位负责日常管理和年度考核考评 … 领导小组办公室组织有关人员进行复核
    ('assessment', '"annual"', '第十一条'),
    -- 第十二条（四）: 连续两年考核不合格的 → 取消认定命名
    ('assessment_fail_limit', '2', '第十二条（四）'),
    -- 第九条 encourages 名师带徒 but sets no count; there is no year-2 re-check
    ('recheck_min_apprentices', 'null', NULL),
    ('recheck_apprentice_min_level', 'null', NULL),
    -- The document knows no suspension: 第十二条 ends the title and its 待遇 together
    ('suspension_reasons', '[]', NULL),
    -- 第十二条: （一）弄虚作假，骗取推荐认定; （二）受到刑事处罚; （三）受到开除处分;
    -- （四）连续两年考核不合格; （五）其他不符合推荐认定条件
    ('revocation_reasons',
     '["fraud", "criminal_penalty", "dismissal", "consecutive_failed_assessments", "other"]',
     '第十二条'),
    -- The 办法 does not mention 事迹材料; each round's 认定通知 (第五条（一）) may. Choice:
    -- no bounds here (the request body limit still applies), so the policy does not
    -- reject material a round's notice asks for
    ('deeds_min_chars', 'null', NULL),
    ('deeds_max_chars', 'null', NULL)
  ) AS m (member, value, article);

-- 环翠区首席技师: 威海市环翠区人力资源和社会保障局《环翠区首席技师选拔管理办法》
-- (威环人社字〔2022〕26号).
INSERT INTO programmes (code, name, name_en, policy)
SELECT 'huancui-chief-technician', '环翠区首席技师', 'Huancui District Chief Technician',
       jsonb_object_agg(member, value::jsonb)
       || jsonb_build_object('articles',
              jsonb_object_agg(member, article) FILTER (WHERE article IS NOT NULL))
  FROM (VALUES
    -- 文头与落款: 威海市环翠区人力资源和社会保障局, 经区委人才工作领导小组同意 (no article)
    ('authority', '"威海市环翠区人力资源和社会保障局"', NULL),
    -- 文头: 威环人社字〔2022〕26号 (no article)
    ('document_no', '"威环人社字〔2022〕26号"', NULL),
    -- 第十八条: 自2022年12月1日起施行
    ('in_force_from', '"2022-12-01"', '第十八条'),
    -- 第十八条: 有效期至2027年11月30日
    ('in_force_to', '"2027-11-30"', '第十八条'),
    -- 第四条: 环翠区首席技师每2年选拔一次
    ('cycle_years', '2', '第四条'),
    -- 第四条: 每次选拔5人左右
    ('awards_per_round', '5', '第四条'),
    -- 第四条: "左右" is a target, not a ceiling: soft (warn above)
    ('awards_cap', '"soft"', '第四条'),
    -- 第十条（一）至（六） is the whole procedure and has no public vote
    ('vote_nominees', 'null', '第十条'),
    ('vote_weight', 'null', NULL),
    -- 第十条（二）: 由各企业推荐…，经公示后上报环翠区人力资源和社会保障局
    ('unit_publicity_required', 'true', '第十条（二）'),
    -- 第十条（二） fixes no length for the unit's publicity: not fixed (null)
    ('unit_publicity_min_workdays', 'null', NULL),
    -- 第十条（五）: 将建议人选名单在有关网站和申报单位公示，公示期为5个工作日
    ('final_notice_workdays', '5', '第十条（五）'),
    -- Not fixed by the document. Choice: false, counting starts on the next
    -- working day after publication (民法典 第二百零一条 default; ecosystem-facts §7)
    ('notice_counts_publication_day', 'false', NULL),
    -- 第十条（五）考察公示, then （六）公示无异议的，提交区委人才工作领导小组研究审定:
    -- the notice comes before the leadership decision
    ('notice_before_decision', 'true', '第十条（五）（六）'),
    -- 第六条: 具有技师（国家职业资格/职业技能等级二级）以上职业资格
    ('min_skill_level', '"technician"', '第六条'),
    -- 第六条: 在一线岗位上直接从事技术技能工作
    ('front_line_required', 'true', '第六条'),
    -- 第六条: 选拔范围为全区各类所有制经济企业中…的高技能人才
    ('enterprise_only', 'true', '第六条'),
    -- 第七条（二）市级一、二类职业技能竞赛成绩优异者; （三）技术创新革新成果或者专利;
    -- 第十条（二）3 申报材料含获奖情况
    ('honours_considered', 'true', '第七条（二）（三）'),
    -- 第七条（五）: 年龄一般不超过55周岁. "一般" makes it soft: a warning the office may
    -- override with a recorded reason
    ('age_max', '55', '第七条（五）'),
    ('age_max_kind', '"soft"', '第七条（五）'),
    -- 第七条（五）: 同等条件下优先从45周岁（含45周岁）以下的高技能人才中选拔
    ('age_preferred_max', '45', '第七条（五）'),
    -- 第十六条（二）: 管理期满、符合选拔条件的可以申报参加新一届环翠区首席技师评选
    ('repeat_rule', '"after_management_period"', '第十六条（二）'),
    -- 第十条（三）: 材料弄虚作假者，取消当年的申报资格
    ('fraud_at_intake', '"disqualify_round"', '第十条（三）'),
    -- 第十条（四）: 对人选进行综合评审，并组织进行现场技能考查
    ('skill_test', 'true', '第十条（四）'),
    -- 第十条（四） names 综合评审 and 现场技能考查 side by side and gives no weights.
    -- Choice: equal (the test is 50 % of the combined score)
    ('skill_test_weight', '50', NULL),
    -- 第七条（一）至（四）: （一）职业道德 is a pass/fail gate (SPEC §3); （五）age is an
    -- eligibility rule, not scored. No weights in the document; choice: as equal as
    -- integers allow, the odd point to skill, the title's core (第二条 高超技能水平)
    ('rubric', '[
        {"criterion": "character", "label": "职业道德", "label_en": "Professional ethics",
         "weight": 0, "gate": true},
        {"criterion": "skill", "label": "技能水平", "label_en": "Skill level",
         "weight": 34, "gate": false},
        {"criterion": "innovation", "label": "绝招绝技与创新成果",
         "label_en": "Mastery and innovation", "weight": 33, "gate": false},
        {"criterion": "mentoring", "label": "带徒成绩", "label_en": "Mentoring apprentices",
         "weight": 33, "gate": false}
    ]', '第七条'),
    -- 第四条: 管理期内，每人每月发放政府津贴500元; 第十二条
    ('reward', '"monthly_allowance"', '第四条'),
    -- 第四条, 第十二条: 每人每月享受区政府津贴500元 = 50000 fen
    ('allowance_monthly_fen', '50000', '第四条'),
    -- 第四条: 管理期为2年
    ('management_period_months', '24', '第四条'),
    -- Not fixed by the document. Choice: the month after recognition (SPEC §4 default)
    ('allowance_start', '"month_after_recognition"', NULL),
    -- 第八条 复核认定的条件; 第十二条: 第二年复核认定为环翠区首席技师的，每月仍享受津贴
    ('assessment', '"year2_recheck"', '第八条'),
    -- Only the year-2 re-check, no consecutive annual assessments
    ('assessment_fail_limit', 'null', NULL),
    -- 第八条（五）: 每年所带徒弟至少有2人取得高级工以上职业技能等级证书
    ('recheck_min_apprentices', '2', '第八条（五）'),
    ('recheck_apprentice_min_level', '"senior_worker"', '第八条（五）'),
    -- 第十六条（一）: 不再从事技能或者技术岗位工作，或者调往区外的，可以继续保留资格，
    -- 但是不再享受有关待遇
    ('suspension_reasons', '["left_skilled_post", "moved_out_of_district"]', '第十六条（一）'),
    -- 第十七条: （一）违法违纪行为或者重大过失; （二）无正当理由拒不承担职责和义务;
    -- （三）弄虚作假、谎报成果骗取资格; （四）其他应当取消资格的行为
    ('revocation_reasons',
     '["violation_or_gross_negligence", "refusing_duties", "fraud", "other"]', '第十七条'),
    -- 第十条（二）2: 1000字左右的事迹材料. "左右" is approximate; choice: 500..1500 code
    -- points (±50 %), so only material far from the asked length is refused
    ('deeds_min_chars', '500', '第十条（二）'),
    ('deeds_max_chars', '1500', '第十条（二）')
  ) AS m (member, value, article);
