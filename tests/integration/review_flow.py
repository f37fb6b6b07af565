# SPDX-License-Identifier: MIT
"""The expert review through its real routes only, for tests that need a
round past it (the vote, the end-to-end tests): experts with profiles
(PUT /v1/experts/{id}), the office's draw (POST /v1/rounds/{id}/review-
assignments), each expert's review (PUT /v1/review-assignments/{id}/review)
and the freeze (POST /v1/rounds/{id}/shortlist). Scores fall with a
nomination's place in the list the caller gives, so the automatic shortlist
is that list's head, in that order."""

import support

FIELDS = ("数控车工",)


def add_experts(api, factory, programme, count, *, fields=FIELDS):
    """`count` expert users, each with a profile naming `programme` (by the
    admin); their employers are their own, so no conflict with a candidate."""
    out = []
    for i in range(count):
        user = factory.user("expert")
        body = {"name": f"评审专家{i + 1}", "fields": list(fields),
                "employer_name": f"专家单位-{support.rand_hex(6)}",
                "employer_code": support.new_uscc(), "programmes": [programme]}
        api.put(f"/v1/experts/{user.id}", token=factory.admin.get(), json=body, expect=201)
        out.append(user)
    return out


def draw(api, office, round_id, **body):
    """The office's draw; moves the round's qualified nominations to in_review."""
    return api.post(f"/v1/rounds/{round_id}/review-assignments", token=office.token,
                    json=body, expect=201).body


def scores(rubric, fraction):
    """Every gate passed, every score at `fraction` of its maximum."""
    return {c["criterion"]: True if c["gate"] else round(c["max_score"] * fraction, 2)
            for c in rubric}


def review_all(api, experts, items, rubric, fraction_of):
    """Each assignment of the draw (`items`) reviewed by its expert with
    scores at fraction_of(nomination_id). Returns the reviews."""
    token = {e.id: e.token for e in experts}
    return [api.put(f"/v1/review-assignments/{a['id']}/review", token=token[a["expert_id"]],
                    json={"scores": scores(rubric, fraction_of(a["nomination_id"]))},
                    expect=200).body
            for a in items if a["state"] == "active"]


def freeze(api, office, round_id, body=None, expect=201):
    return api.post(f"/v1/rounds/{round_id}/shortlist", token=office.token,
                    json=body or {}, expect=expect).body


def rubric_of(api, programme):
    return api.get(f"/v1/programmes/{programme}", expect=200).body["policy"]["rubric"]


def shortlist(api, factory, programme, office, round_id, ids, *, experts=1):
    """Takes a round in phase review whose nominations `ids` are qualified
    through the draw, `experts` reviews each (the programme's review_experts
    must be `experts`), and the freeze. The i-th id scores
    95% − 2%·i of every maximum (never below 10%), so the shortlist is the
    head of `ids` in order. Returns the frozen shortlist."""
    panel = add_experts(api, factory, programme, experts)
    items = draw(api, office, round_id)["items"]
    place = {nid: i for i, nid in enumerate(ids)}
    review_all(api, panel, items, rubric_of(api, programme),
               lambda nid: max(0.10, 0.95 - 0.02 * place[nid]))
    return freeze(api, office, round_id)
