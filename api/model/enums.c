/* SPDX-License-Identifier: MIT */
/*
 * The tables behind enums.h. Each set is a static array indexed by its C
 * enum (roles: less ROLE_ADMIN, as ROLE_NONE is no role one can hold), so a
 * new value is one enum constant and one row here; static asserts keep the
 * two in step. Labels follow the seed documents'
 * wording; skill levels follow the 新八级工 scheme (ecosystem-facts §3).
 */
#include "enums.h"

#include <string.h>

struct enums_entry {
    const char *value;
    const char *label;
    const char *label_en;
};

#define N_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* clang-format off */
static const struct enums_entry roles[] = {
    [ROLE_ADMIN - ROLE_ADMIN]   = {"admin",   "系统管理员", "Administrator"},
    [ROLE_OFFICE - ROLE_ADMIN]  = {"office",  "项目办公室", "Programme office"},
    [ROLE_UNIT - ROLE_ADMIN]    = {"unit",    "推荐单位",   "Recommending unit"},
    [ROLE_EXPERT - ROLE_ADMIN]  = {"expert",  "评审专家",   "Review expert"},
    [ROLE_LEADER - ROLE_ADMIN]  = {"leader",  "领导小组",   "Leadership group"},
    [ROLE_FINANCE - ROLE_ADMIN] = {"finance", "财务",       "Finance"},
    [ROLE_AUDITOR - ROLE_ADMIN] = {"auditor", "审计",       "Auditor"},
    [ROLE_SERVICE - ROLE_ADMIN] = {"service", "服务账号",   "Service account"},
};

static const struct enums_entry skill_levels[] = {
    [SKILL_APPRENTICE]           = {"apprentice", "学徒工", "Apprentice"},
    [SKILL_JUNIOR_WORKER]        = {"junior_worker", "初级工（五级）",
                                    "Junior worker (level 5)"},
    [SKILL_INTERMEDIATE_WORKER]  = {"intermediate_worker", "中级工（四级）",
                                    "Intermediate worker (level 4)"},
    [SKILL_SENIOR_WORKER]        = {"senior_worker", "高级工（三级）",
                                    "Senior worker (level 3)"},
    [SKILL_TECHNICIAN]           = {"technician", "技师（二级）", "Technician (level 2)"},
    [SKILL_SENIOR_TECHNICIAN]    = {"senior_technician", "高级技师（一级）",
                                    "Senior technician (level 1)"},
    [SKILL_PRINCIPAL_TECHNICIAN] = {"principal_technician", "特级技师", "Principal technician"},
    [SKILL_CHIEF_TECHNICIAN]     = {"chief_technician", "首席技师", "Chief technician"},
};

static const struct enums_entry unit_kinds[] = {
    [UNIT_KIND_ENTERPRISE]  = {"enterprise",  "企业",     "Enterprise"},
    [UNIT_KIND_TOWNSHIP]    = {"township",    "乡镇",     "Township"},
    [UNIT_KIND_SUBDISTRICT] = {"subdistrict", "街道",     "Subdistrict"},
    [UNIT_KIND_AGENCY]      = {"agency",      "机关",     "Government agency"},
    [UNIT_KIND_INSTITUTION] = {"institution", "事业单位", "Public institution"},
    [UNIT_KIND_OTHER]       = {"other",       "其他",     "Other"},
};

static const struct enums_entry awards_caps[] = {
    [AWARDS_CAP_HARD] = {"hard", "硬性上限", "Hard cap"},
    [AWARDS_CAP_SOFT] = {"soft", "参考名额（超出时提示）", "Soft target (warning above)"},
};

static const struct enums_entry age_limit_kinds[] = {
    [AGE_LIMIT_SOFT] = {"soft", "一般不超过（可说明理由放宽）",
                        "Soft (may be overridden with a reason)"},
    [AGE_LIMIT_HARD] = {"hard", "不得超过", "Hard"},
};

static const struct enums_entry repeat_rules[] = {
    [REPEAT_ONCE]                    = {"once", "不重复认定", "Recognised once only"},
    [REPEAT_AFTER_MANAGEMENT_PERIOD] = {"after_management_period", "管理期满后可再次申报",
                                        "May re-apply after the management period"},
};

static const struct enums_entry fraud_rules[] = {
    [FRAUD_CANCEL_RECOGNITION] = {"cancel_recognition", "取消认定命名", "Recognition cancelled"},
    [FRAUD_DISQUALIFY_ROUND]   = {"disqualify_round", "取消当年申报资格",
                                  "Disqualified for the round"},
};

static const struct enums_entry reward_kinds[] = {
    [REWARD_ONE_TIME]          = {"one_time", "一次性奖励", "One-time reward"},
    [REWARD_MONTHLY_ALLOWANCE] = {"monthly_allowance", "按月发放政府津贴", "Monthly allowance"},
};

static const struct enums_entry allowance_starts[] = {
    [ALLOWANCE_START_MONTH_AFTER_RECOGNITION] = {"month_after_recognition", "认定次月起",
                                                 "From the month after recognition"},
};

static const struct enums_entry assessment_kinds[] = {
    [ASSESSMENT_ANNUAL]        = {"annual", "年度考核", "Annual assessment"},
    [ASSESSMENT_YEAR2_RECHECK] = {"year2_recheck", "第二年复核认定", "Year-2 re-check"},
};

static const struct enums_entry revocation_reasons[] = {
    [REVOCATION_FRAUD] = {"fraud", "弄虚作假骗取认定", "Fraud in obtaining the title"},
    [REVOCATION_CRIMINAL_PENALTY] = {"criminal_penalty", "受到刑事处罚", "Criminal penalty"},
    [REVOCATION_DISMISSAL] = {"dismissal", "受到开除处分", "Dismissal"},
    [REVOCATION_CONSECUTIVE_FAILED_ASSESSMENTS] = {"consecutive_failed_assessments",
        "连续两年考核不合格", "Failed assessment two years running"},
    [REVOCATION_VIOLATION_OR_GROSS_NEGLIGENCE] = {"violation_or_gross_negligence",
        "违法违纪或重大过失", "Violation of law or discipline, or gross negligence"},
    [REVOCATION_REFUSING_DUTIES] = {"refusing_duties", "无正当理由拒不履行职责义务",
        "Refusing duties without good reason"},
    [REVOCATION_OTHER] = {"other", "其他应当取消的情形", "Other grounds"},
};

static const struct enums_entry suspension_reasons[] = {
    [SUSPENSION_LEFT_SKILLED_POST] = {"left_skilled_post", "不再从事技能或技术岗位工作",
                                      "Left the skilled post"},
    [SUSPENSION_MOVED_OUT_OF_DISTRICT] = {"moved_out_of_district", "调往区外",
                                          "Moved out of the district"},
};
static const struct enums_entry revocation_steps[] = {
    [RSTEP_VERIFICATION] = {"verification", "办公室核实", "Verification by the office"},
    [RSTEP_DECISION] = {"decision", "领导小组决定", "Decision of the leadership group"},
    [RSTEP_PRELIMINARY] = {"preliminary_finding", "办公室初步认定",
                           "Preliminary finding of the office"},
    [RSTEP_RATIFICATION] = {"ratification", "领导小组审定", "Ratification by the leadership group"},
    [RSTEP_APPROVAL] = {"approval", "区政府批准", "Approval of the district government"},
};

static const struct enums_entry round_phases[] = {
    [PHASE_PREPARING]     = {"preparing", "部署申报", "Preparing"},
    [PHASE_ACCEPTING]     = {"accepting", "组织推荐（受理申报）", "Accepting nominations"},
    [PHASE_QUALIFICATION] = {"qualification", "资格审查", "Qualification review"},
    [PHASE_REVIEW]        = {"review", "专家评审", "Expert review"},
    [PHASE_VOTING]        = {"voting", "网络投票", "Public vote"},
    [PHASE_DECIDING]      = {"deciding", "研究确定", "Leadership decision"},
    [PHASE_NOTICE]        = {"notice", "社会公示", "Final notice"},
    [PHASE_CONCLUDED]     = {"concluded", "已结束", "Concluded"},
};

static const struct enums_entry nomination_states[] = {
    [NOM_DRAFT]            = {"draft", "草稿", "Draft"},
    [NOM_UNIT_PUBLICITY]   = {"unit_publicity", "单位公示中", "Unit publicity"},
    [NOM_UNIT_APPROVED]    = {"unit_approved", "单位公示期满", "Approved by the unit"},
    [NOM_SUBMITTED]        = {"submitted", "已报送", "Submitted"},
    [NOM_RETURNED]         = {"returned", "退回补正", "Returned for correction"},
    [NOM_QUALIFIED]        = {"qualified", "资格审查通过", "Qualified"},
    [NOM_REJECTED]         = {"rejected", "资格审查未通过", "Rejected"},
    [NOM_DISQUALIFIED]     = {"disqualified", "弄虚作假，取消资格", "Disqualified (fraud)"},
    [NOM_WITHDRAWN]        = {"withdrawn", "已撤回", "Withdrawn"},
    [NOM_IN_REVIEW]        = {"in_review", "评审中", "In review"},
    [NOM_SHORTLISTED]      = {"shortlisted", "入围提名", "Shortlisted"},
    [NOM_NOT_SHORTLISTED]  = {"not_shortlisted", "未入围", "Not shortlisted"},
    [NOM_SELECTED]         = {"selected", "拟认定", "Selected"},
    [NOM_NOT_SELECTED]     = {"not_selected", "未入选", "Not selected"},
    [NOM_FINAL_NOTICE]     = {"final_notice", "结果公示中", "Final notice"},
    [NOM_RECOGNIZED]       = {"recognized", "已认定", "Recognised"},
    [NOM_OBJECTION_UPHELD] = {"objection_upheld", "异议成立", "Objection upheld"},
};

static const struct enums_entry evidence_kinds[] = {
    [EVIDENCE_APPLICATION_FORM]  = {"application_form", "申报表", "Application form"},
    [EVIDENCE_SKILL_CERTIFICATE] = {"skill_certificate", "职业资格（技能等级）证书",
                                    "Skill certificate"},
    [EVIDENCE_HONOUR]            = {"honour", "荣誉获奖证明", "Honour or award"},
    [EVIDENCE_PATENT]            = {"patent", "专利及技术成果", "Patent or technical result"},
    [EVIDENCE_COMPETITION]       = {"competition", "技能竞赛成绩", "Competition result"},
    [EVIDENCE_UNIT_PUBLICITY]    = {"unit_publicity", "推荐单位公示材料（公示照片或文件）",
                                    "Unit publicity evidence (photo or document of the notice)"},
    [EVIDENCE_OTHER]             = {"other", "其他证明材料", "Other evidence"},
};

static const struct enums_entry honour_levels[] = {
    [HONOUR_NATIONAL]   = {"national", "国家级", "National"},
    [HONOUR_PROVINCIAL] = {"provincial", "省级", "Provincial"},
    [HONOUR_MUNICIPAL]  = {"municipal", "市级", "Municipal"},
    [HONOUR_DISTRICT]   = {"district", "区（县）级", "District"},
    [HONOUR_ENTERPRISE] = {"enterprise", "企业（单位）级", "Enterprise"},
};

static const struct enums_entry patent_kinds[] = {
    [PATENT_INVENTION]     = {"invention", "发明专利", "Invention"},
    [PATENT_UTILITY_MODEL] = {"utility_model", "实用新型专利", "Utility model"},
    [PATENT_DESIGN]        = {"design", "外观设计专利", "Design"},
};

static const struct enums_entry nomination_channels[] = {
    [CHANNEL_UNIT]        = {"unit", "单位推荐", "Nominated by the unit"},
    [CHANNEL_COMPETITION] = {"competition", "技能竞赛成绩优异者推荐",
                             "Competition winner"},
};

static const struct enums_entry relation_kinds[] = {
    [RELATION_MASTER_APPRENTICE] = {"master_apprentice", "师徒关系", "Master and apprentice"},
    [RELATION_FAMILY]            = {"family", "亲属关系", "Family"},
    [RELATION_FORMER_COLLEAGUE]  = {"former_colleague", "曾经同事", "Former colleague"},
    [RELATION_OTHER]             = {"other", "其他利害关系", "Other"},
};
/* clang-format on */

/* Staff roles only: ROLE_VOTER (a voter token) is no role a user can hold. */
_Static_assert(sizeof(roles) / sizeof(roles[0]) == ROLE_VOTER - ROLE_ADMIN, "roles");
_Static_assert(sizeof(skill_levels) / sizeof(skill_levels[0]) == SKILL__COUNT, "skill levels");
_Static_assert(sizeof(unit_kinds) / sizeof(unit_kinds[0]) == UNIT_KIND__COUNT, "unit kinds");
_Static_assert(sizeof(awards_caps) / sizeof(awards_caps[0]) == AWARDS_CAP__COUNT, "caps");
_Static_assert(sizeof(age_limit_kinds) / sizeof(age_limit_kinds[0]) == AGE_LIMIT__COUNT, "ages");
_Static_assert(sizeof(repeat_rules) / sizeof(repeat_rules[0]) == REPEAT__COUNT, "repeat");
_Static_assert(sizeof(fraud_rules) / sizeof(fraud_rules[0]) == FRAUD__COUNT, "fraud");
_Static_assert(sizeof(reward_kinds) / sizeof(reward_kinds[0]) == REWARD__COUNT, "reward");
_Static_assert(sizeof(allowance_starts) / sizeof(allowance_starts[0]) == ALLOWANCE_START__COUNT,
               "allowance start");
_Static_assert(sizeof(assessment_kinds) / sizeof(assessment_kinds[0]) == ASSESSMENT__COUNT,
               "assessment");
_Static_assert(sizeof(revocation_reasons) / sizeof(revocation_reasons[0]) == REVOCATION__COUNT,
               "revocation reasons");
_Static_assert(sizeof(suspension_reasons) / sizeof(suspension_reasons[0]) == SUSPENSION__COUNT,
               "suspension reasons");
_Static_assert(N_OF(revocation_steps) == RSTEP__COUNT, "revocation steps");
_Static_assert(N_OF(round_phases) == PHASE__COUNT, "round phases");
_Static_assert(N_OF(nomination_states) == NOM__COUNT, "nomination states");
_Static_assert(N_OF(evidence_kinds) == EVIDENCE__COUNT, "evidence kinds");
_Static_assert(N_OF(honour_levels) == HONOUR__COUNT, "honour levels");
_Static_assert(N_OF(patent_kinds) == PATENT__COUNT, "patent kinds");
_Static_assert(N_OF(nomination_channels) == CHANNEL__COUNT, "channels");
_Static_assert(N_OF(relation_kinds) == RELATION__COUNT, "relation kinds");

/* Entry i of a set is C enum value base + i. */
static const struct enums_table {
    const char *name;
    const struct enums_entry *entries;
    int n;
    int base;
} tables[ENUMS__COUNT] = {
    [ENUMS_ROLES] = {"roles", roles, N_OF(roles), ROLE_ADMIN},
    [ENUMS_SKILL_LEVELS] = {"skill_levels", skill_levels, N_OF(skill_levels)},
    [ENUMS_UNIT_KINDS] = {"unit_kinds", unit_kinds, N_OF(unit_kinds)},
    [ENUMS_AWARDS_CAPS] = {"awards_caps", awards_caps, N_OF(awards_caps)},
    [ENUMS_AGE_LIMIT_KINDS] = {"age_limit_kinds", age_limit_kinds, N_OF(age_limit_kinds)},
    [ENUMS_REPEAT_RULES] = {"repeat_rules", repeat_rules, N_OF(repeat_rules)},
    [ENUMS_FRAUD_RULES] = {"fraud_rules", fraud_rules, N_OF(fraud_rules)},
    [ENUMS_REWARD_KINDS] = {"reward_kinds", reward_kinds, N_OF(reward_kinds)},
    [ENUMS_ALLOWANCE_STARTS] = {"allowance_starts", allowance_starts, N_OF(allowance_starts)},
    [ENUMS_ASSESSMENT_KINDS] = {"assessment_kinds", assessment_kinds, N_OF(assessment_kinds)},
    [ENUMS_REVOCATION_REASONS] = {"revocation_reasons", revocation_reasons,
                                  N_OF(revocation_reasons)},
    [ENUMS_SUSPENSION_REASONS] = {"suspension_reasons", suspension_reasons,
                                  N_OF(suspension_reasons)},
    [ENUMS_REVOCATION_STEPS] = {"revocation_steps", revocation_steps, N_OF(revocation_steps)},
    [ENUMS_ROUND_PHASES] = {"round_phases", round_phases, N_OF(round_phases)},
    [ENUMS_NOMINATION_STATES] = {"nomination_states", nomination_states, N_OF(nomination_states)},
    [ENUMS_EVIDENCE_KINDS] = {"evidence_kinds", evidence_kinds, N_OF(evidence_kinds)},
    [ENUMS_HONOUR_LEVELS] = {"honour_levels", honour_levels, N_OF(honour_levels)},
    [ENUMS_PATENT_KINDS] = {"patent_kinds", patent_kinds, N_OF(patent_kinds)},
    [ENUMS_NOMINATION_CHANNELS] = {"nomination_channels", nomination_channels,
                                   N_OF(nomination_channels)},
    [ENUMS_RELATION_KINDS] = {"expert_relation_kinds", relation_kinds, N_OF(relation_kinds)},
};

/* Casting through unsigned makes one comparison reject negative values too. */
static const struct enums_table *table_of(enum enums_set set)
{
    return (unsigned)set < ENUMS__COUNT ? &tables[set] : NULL;
}

static const struct enums_entry *entry_of(enum enums_set set, int v)
{
    const struct enums_table *t = table_of(set);

    return t != NULL && v >= t->base && v - t->base < t->n ? &t->entries[v - t->base] : NULL;
}

const char *enums_set_name(enum enums_set set)
{
    const struct enums_table *t = table_of(set);

    return t != NULL ? t->name : NULL;
}

int enums_count(enum enums_set set)
{
    const struct enums_table *t = table_of(set);

    return t != NULL ? t->n : 0;
}

int enums_first(enum enums_set set)
{
    const struct enums_table *t = table_of(set);

    return t != NULL ? t->base : 0;
}

/* Linear search: the largest set has eight entries. */
int enums_from_value(enum enums_set set, const char *value)
{
    const struct enums_table *t = table_of(set);

    if (t == NULL || value == NULL) {
        return -1;
    }
    for (int i = 0; i < t->n; i++) {
        if (strcmp(t->entries[i].value, value) == 0) {
            return t->base + i;
        }
    }
    return -1;
}

const char *enums_value(enum enums_set set, int v)
{
    const struct enums_entry *e = entry_of(set, v);

    return e != NULL ? e->value : NULL;
}

const char *enums_label(enum enums_set set, int v)
{
    const struct enums_entry *e = entry_of(set, v);

    return e != NULL ? e->label : NULL;
}

const char *enums_label_en(enum enums_set set, int v)
{
    const struct enums_entry *e = entry_of(set, v);

    return e != NULL ? e->label_en : NULL;
}

int skill_level_from_value(const char *value)
{
    return enums_from_value(ENUMS_SKILL_LEVELS, value);
}

const char *skill_level_value(enum skill_level level)
{
    return enums_value(ENUMS_SKILL_LEVELS, (int)level);
}

bool enums_unit_kind_valid(const char *value)
{
    return enums_from_value(ENUMS_UNIT_KINDS, value) >= 0;
}

/* One set as an array; skill levels add their rank so clients can compare. */
static json_t *set_to_json(enum enums_set set)
{
    const struct enums_table *t = &tables[set];
    json_t *arr = json_array();

    if (arr == NULL) {
        return NULL;
    }
    for (int i = 0; i < t->n; i++) {
        const struct enums_entry *e = &t->entries[i];
        json_t *item = json_pack("{s:s, s:s, s:s}", "value", e->value, "label", e->label,
                                 "label_en", e->label_en);

        if (item != NULL && set == ENUMS_SKILL_LEVELS &&
            json_object_set_new(item, "rank", json_integer(i)) != 0) {
            json_decref(item);
            item = NULL;
        }
        if (item == NULL || json_array_append_new(arr, item) != 0) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

json_t *enums_to_json(void)
{
    json_t *root = json_object();

    if (root == NULL) {
        return NULL;
    }
    for (int s = 0; s < ENUMS__COUNT; s++) {
        json_t *arr = set_to_json((enum enums_set)s);

        if (arr == NULL || json_object_set_new(root, tables[s].name, arr) != 0) {
            json_decref(root);
            return NULL;
        }
    }
    return root;
}
