-- SPDX-License-Identifier: MIT
-- Issue 12, experts and panels: the review experts' profiles (岚山 第五条（三）
-- "抽调业务骨干和部分专家组成评审组"; 环翠 第十条（四） "组织有关专家成立…评审
-- 委员会") and the relations to candidates they declare. An expert is a
-- user with role `expert`; the profile holds what the draw's conflict check
-- needs (db/functions/08_experts.sql, expert_pool):
--   * fields: the 职业（工种） the expert may judge, short labels compared
--     with a nomination's `occupation` as written (api/ops/experts.c);
--   * the employer (用人单位): its 统一社会信用代码 (GB 32100, checked in
--     api/model/unit_code.c), optionally linked to a known unit;
--   * the programmes the expert may review for;
--   * declared relations (master–apprentice, family, former colleague,
--     other), identified by the candidate's ID number and stored as its
--     keyed hash ONLY (the nominations' id_number_hash, same key and
--     context), never the number nor a mask of it.
-- No phone is stored.

CREATE TYPE expert_relation_kind AS ENUM (
    'master_apprentice', 'family', 'former_colleague', 'other'
);

CREATE TABLE expert_profiles (
    user_id           uuid PRIMARY KEY REFERENCES users (id),
    name              text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
    fields            text[] NOT NULL
                          CHECK (cardinality(fields) BETWEEN 1 AND 20
                                 AND array_position(fields, NULL) IS NULL),
    employer_name     text NOT NULL CHECK (length(employer_name) BETWEEN 1 AND 200),
    employer_code     text NOT NULL CHECK (employer_code ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'),
    employer_unit_id  uuid REFERENCES units (id),
    title             text CHECK (length(title) BETWEEN 1 AND 100),
    specialty         text CHECK (length(specialty) BETWEEN 1 AND 500),
    active            boolean NOT NULL DEFAULT true,
    version           integer NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX expert_profiles_fields ON expert_profiles USING gin (fields);
CREATE INDEX expert_profiles_employer ON expert_profiles (employer_code);

CREATE TABLE expert_programmes (
    user_id       uuid NOT NULL REFERENCES expert_profiles (user_id),
    programme_id  uuid NOT NULL REFERENCES programmes (id),
    PRIMARY KEY (user_id, programme_id)
);

CREATE INDEX expert_programmes_programme ON expert_programmes (programme_id);

CREATE TABLE expert_relations (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    expert_id       uuid NOT NULL REFERENCES expert_profiles (user_id),
    kind            expert_relation_kind NOT NULL,
    id_number_hash  text NOT NULL CHECK (id_number_hash ~ '^[0-9a-f]{64}$'),
    note            text CHECK (length(note) BETWEEN 1 AND 500),
    version         integer NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT expert_relations_once UNIQUE (expert_id, id_number_hash)
);

CREATE INDEX expert_relations_hash ON expert_relations (id_number_hash);
