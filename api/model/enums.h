/* SPDX-License-Identifier: MIT */
/*
 * Every enumeration the API speaks, in one place: the lowercase snake_case
 * value used in JSON and SQL, a Chinese display label and an English one.
 * `GET /v1/enums` renders them all (enums_to_json); C code maps values to
 * the C enums below and back. The C enum of roles is common/auth.h's.
 */
#ifndef JIANGXIN_ENUMS_H
#define JIANGXIN_ENUMS_H

#include <stdbool.h>

#include <jansson.h>

#include "auth.h" /* enum role: roles live with the principal in common/ */

/*
 * 职业技能等级, ordered lowest to highest: compare with < and >. The national
 * 五级…一级 numbering runs the other way (一级 is highest), so it appears only
 * in labels, never in arithmetic. The top level 首席技师 is the skill level of
 * the new eight-level scheme, not the Huancui programme title of that name.
 */
enum skill_level {
    SKILL_APPRENTICE = 0,       /* 学徒工 */
    SKILL_JUNIOR_WORKER,        /* 初级工（五级） */
    SKILL_INTERMEDIATE_WORKER,  /* 中级工（四级） */
    SKILL_SENIOR_WORKER,        /* 高级工（三级） */
    SKILL_TECHNICIAN,           /* 技师（二级） */
    SKILL_SENIOR_TECHNICIAN,    /* 高级技师（一级） */
    SKILL_PRINCIPAL_TECHNICIAN, /* 特级技师 */
    SKILL_CHIEF_TECHNICIAN,     /* 首席技师 */
    SKILL__COUNT
};

/* Kinds of recommending unit; the same values as the SQL type unit_kind. */
enum unit_kind {
    UNIT_KIND_ENTERPRISE = 0, /* 企业 */
    UNIT_KIND_TOWNSHIP,       /* 乡镇 */
    UNIT_KIND_SUBDISTRICT,    /* 街道 */
    UNIT_KIND_AGENCY,         /* 机关 */
    UNIT_KIND_INSTITUTION,    /* 事业单位 */
    UNIT_KIND_OTHER,          /* 其他 */
    UNIT_KIND__COUNT
};

/* Policy member awards_cap: whether awards_per_round may be exceeded. */
enum awards_cap {
    AWARDS_CAP_HARD = 0, /* never more (岚山: 不超过10名) */
    AWARDS_CAP_SOFT,     /* a target; more is a warning (环翠: 5人左右) */
    AWARDS_CAP__COUNT
};

/* Policy member age_max_kind. */
enum age_limit_kind {
    AGE_LIMIT_SOFT = 0, /* 一般不超过: a warning the office may override with a reason */
    AGE_LIMIT_HARD,     /* rejects */
    AGE_LIMIT__COUNT
};

/* Policy member repeat_rule. */
enum repeat_rule {
    REPEAT_ONCE = 0,                /* 不重复认定 */
    REPEAT_AFTER_MANAGEMENT_PERIOD, /* 管理期满可再次申报 */
    REPEAT__COUNT
};

/* Policy member fraud_at_intake: the consequence of fraudulent nomination material. */
enum fraud_rule {
    FRAUD_CANCEL_RECOGNITION = 0, /* 取消认定命名 */
    FRAUD_DISQUALIFY_ROUND,       /* 取消当年申报资格 */
    FRAUD__COUNT
};

/* Policy member reward. */
enum reward_kind {
    REWARD_ONE_TIME = 0,      /* 一次性奖励 */
    REWARD_MONTHLY_ALLOWANCE, /* 按月发放政府津贴 */
    REWARD__COUNT
};

/* Policy member allowance_start: the first month of the management period. */
enum allowance_start {
    ALLOWANCE_START_MONTH_AFTER_RECOGNITION = 0, /* 认定次月 */
    ALLOWANCE_START__COUNT
};

/* Policy member assessment. */
enum assessment_kind {
    ASSESSMENT_ANNUAL = 0,    /* 年度考核 */
    ASSESSMENT_YEAR2_RECHECK, /* 第二年复核认定 */
    ASSESSMENT__COUNT
};

/*
 * Revocation (取消/撤销) reasons used by the seed policies. A policy lists the
 * ones it allows; a third district may add codes of its own (any snake_case
 * value), which then show without a label until they are added here.
 */
enum revocation_reason {
    /* 岚山 第十二条（一）, 环翠 第十七条（三） */
    REVOCATION_FRAUD = 0,
    /* 岚山 第十二条（二） */
    REVOCATION_CRIMINAL_PENALTY,
    /* 岚山 第十二条（三） */
    REVOCATION_DISMISSAL,
    /* 岚山 第十二条（四） */
    REVOCATION_CONSECUTIVE_FAILED_ASSESSMENTS,
    /* 环翠 第十七条（一） */
    REVOCATION_VIOLATION_OR_GROSS_NEGLIGENCE,
    /* 环翠 第十七条（二） */
    REVOCATION_REFUSING_DUTIES,
    /* 岚山 第十二条（五）, 环翠 第十七条（四） */
    REVOCATION_OTHER,
    REVOCATION__COUNT
};

/* Suspension (title kept, allowance stopped) reasons: 环翠 第十六条（一）. */
enum suspension_reason {
    SUSPENSION_LEFT_SKILLED_POST = 0, /* 不再从事技能或者技术岗位工作 */
    SUSPENSION_MOVED_OUT_OF_DISTRICT, /* 调往区外 */
    SUSPENSION__COUNT
};

/* The approval steps of a revocation case, as a policy's revocation_steps
 * lists them; who records each is holder_rules.h's. */
enum revocation_step {
    RSTEP_VERIFICATION = 0, /* 岚山 第十二条 "经核实后": the office verifies */
    RSTEP_DECISION,         /* 岚山 "按程序取消": the leadership group decides */
    RSTEP_PRELIMINARY, /* 环翠 第十七条 "报区首席技师选拔管理办公室初步认定" */
    RSTEP_RATIFICATION, /* 环翠 "由区委人才工作领导小组审定" */
    RSTEP_APPROVAL,     /* 环翠 "经区政府批准": the office records the document */
    RSTEP__COUNT
};

/* Round phases, in order; the values of SQL type round_phase. */
enum round_phase {
    PHASE_PREPARING = 0, /* 部署申报: set up, not yet open */
    PHASE_ACCEPTING,     /* 组织推荐: units nominate */
    PHASE_QUALIFICATION, /* 资格审查/复核 */
    PHASE_REVIEW,        /* 评审 */
    PHASE_VOTING,        /* 网络投票 */
    PHASE_DECIDING,      /* 研究确定 */
    PHASE_NOTICE,        /* 社会公示 */
    PHASE_CONCLUDED,
    PHASE__COUNT
};

/* Nomination states, in lifecycle order; the values of SQL type nomination_state. */
enum nomination_state {
    NOM_DRAFT = 0,        /* 草稿 */
    NOM_UNIT_PUBLICITY,   /* 单位公示中 */
    NOM_UNIT_APPROVED,    /* 单位公示期满 */
    NOM_SUBMITTED,        /* 已报送 */
    NOM_RETURNED,         /* 退回补正 */
    NOM_QUALIFIED,        /* 资格审查通过 */
    NOM_REJECTED,         /* 资格审查未通过 */
    NOM_DISQUALIFIED,     /* 弄虚作假，取消资格 */
    NOM_WITHDRAWN,        /* 撤回 */
    NOM_IN_REVIEW,        /* 评审中 */
    NOM_SHORTLISTED,      /* 入围 */
    NOM_NOT_SHORTLISTED,  /* 未入围 */
    NOM_SELECTED,         /* 拟认定 */
    NOM_NOT_SELECTED,     /* 未入选 */
    NOM_FINAL_NOTICE,     /* 结果公示中 */
    NOM_RECOGNIZED,       /* 已认定 */
    NOM_OBJECTION_UPHELD, /* 异议成立 */
    NOM__COUNT
};

/* Evidence file kinds (证明材料); SQL type evidence_kind. 环翠 第十条（二）1–3. */
enum evidence_kind {
    EVIDENCE_APPLICATION_FORM = 0, /* 申报表 */
    EVIDENCE_SKILL_CERTIFICATE,    /* 职业资格/技能等级证书 */
    EVIDENCE_HONOUR,               /* 荣誉、获奖证明 */
    EVIDENCE_PATENT,               /* 专利、技术成果 */
    EVIDENCE_COMPETITION,          /* 技能竞赛成绩 */
    EVIDENCE_UNIT_PUBLICITY,       /* 推荐单位公示材料 */
    EVIDENCE_OTHER,                /* 其他 */
    EVIDENCE__COUNT
};

/* The level of an honour or a competition (岚山 第四条（五） counts 区级及以上). */
enum honour_level {
    HONOUR_NATIONAL = 0, /* 国家级 */
    HONOUR_PROVINCIAL,   /* 省级 */
    HONOUR_MUNICIPAL,    /* 市级 */
    HONOUR_DISTRICT,     /* 区（县）级 */
    HONOUR_ENTERPRISE,   /* 企业（单位）级 */
    HONOUR__COUNT
};

/* Patent kinds (专利法 第二条). */
enum patent_kind {
    PATENT_INVENTION = 0, /* 发明 */
    PATENT_UTILITY_MODEL, /* 实用新型 */
    PATENT_DESIGN,        /* 外观设计 */
    PATENT__COUNT
};

/* How a nomination came: a unit's own, or a competition winner (环翠 第十条（二）). */
enum nomination_channel {
    CHANNEL_UNIT = 0,    /* 企业推荐 */
    CHANNEL_COMPETITION, /* 职业技能竞赛成绩优异者 */
    CHANNEL__COUNT
};

/* What ties a review expert to a candidate (declared; the SQL type
 * expert_relation_kind). */
enum expert_relation_kind {
    RELATION_MASTER_APPRENTICE = 0, /* 师徒 */
    RELATION_FAMILY,                /* 亲属 */
    RELATION_FORMER_COLLEAGUE,      /* 曾经同事 */
    RELATION_OTHER,                 /* 其他利害关系 */
    RELATION__COUNT
};

/* The enumerations, by the key they have in `GET /v1/enums`. */
enum enums_set {
    ENUMS_ROLES = 0,           /* "roles": enum role of auth.h, ROLE_ADMIN..ROLE_SERVICE */
    ENUMS_SKILL_LEVELS,        /* "skill_levels" (entries also carry "rank") */
    ENUMS_UNIT_KINDS,          /* "unit_kinds" */
    ENUMS_AWARDS_CAPS,         /* "awards_caps" */
    ENUMS_AGE_LIMIT_KINDS,     /* "age_limit_kinds" */
    ENUMS_REPEAT_RULES,        /* "repeat_rules" */
    ENUMS_FRAUD_RULES,         /* "fraud_rules" */
    ENUMS_REWARD_KINDS,        /* "reward_kinds" */
    ENUMS_ALLOWANCE_STARTS,    /* "allowance_starts" */
    ENUMS_ASSESSMENT_KINDS,    /* "assessment_kinds" */
    ENUMS_REVOCATION_REASONS,  /* "revocation_reasons" */
    ENUMS_SUSPENSION_REASONS,  /* "suspension_reasons" */
    ENUMS_REVOCATION_STEPS,    /* "revocation_steps" */
    ENUMS_ROUND_PHASES,        /* "round_phases" */
    ENUMS_NOMINATION_STATES,   /* "nomination_states" */
    ENUMS_EVIDENCE_KINDS,      /* "evidence_kinds" */
    ENUMS_HONOUR_LEVELS,       /* "honour_levels" */
    ENUMS_PATENT_KINDS,        /* "patent_kinds" */
    ENUMS_NOMINATION_CHANNELS, /* "nomination_channels" */
    ENUMS_RELATION_KINDS,      /* "expert_relation_kinds" */
    ENUMS__COUNT
};

/* The JSON key of `set` ("roles", ...), or NULL for a bad set. */
const char *enums_set_name(enum enums_set set);

/* Number of values in `set` (0 for a bad set). They are the C enum values
 * enums_first(set) .. enums_first(set) + enums_count(set) - 1: the first is
 * 0 except for ENUMS_ROLES, where it is ROLE_ADMIN. */
int enums_count(enum enums_set set);
int enums_first(enum enums_set set);

/*
 * The C enum value of `value` in `set` (for ENUMS_ROLES an enum role, so
 * never ROLE_NONE), or -1 when `value` is NULL or unknown. Matching is
 * exact (case-sensitive).
 */
int enums_from_value(enum enums_set set, const char *value);

/* The JSON value / Chinese label / English label of C enum value `v`, or
 * NULL when `v` is not in `set`. */
const char *enums_value(enum enums_set set, int v);
const char *enums_label(enum enums_set set, int v);
const char *enums_label_en(enum enums_set set, int v);

/* Shorthands. Role names map with auth_role_from_name() and auth_role_name(). */
int skill_level_from_value(const char *value); /* enum skill_level or -1 */
const char *skill_level_value(enum skill_level level);
bool enums_unit_kind_valid(const char *value);

/*
 * New reference: {"roles":[{"value","label","label_en"},...], "skill_levels":
 * [{"value","label","label_en","rank"},...], ...} with one key per enums_set,
 * entries in enum order. NULL only when out of memory.
 */
json_t *enums_to_json(void);

#endif
