"""The body's own quorum under the Flask client (AMB-Q): shown on the body page, set through its form with
refusals that name what to fix and the rule, and used by a meeting whose attendance names none."""

from __future__ import annotations

import re
from datetime import date, time

from flask import Flask

from tests.ui.conftest import TODAY, csrf_token, signed_in
from tests.ui.test_meeting_life_pages import OFFICER, _caught_up, _events, _new_body, _services


def test_the_officer_sets_the_quorum_and_a_meeting_is_measured_against_it(app: Flask) -> None:
    hub = _services(app).hub
    group = _new_body(app, "Quorum Test Group", "consultative_group")
    for member_id, person in (("ann", "Ann Carer"), ("bo", "Bo Carer"), ("cy", "Cy Carer"), ("di", "Di Carer")):
        hub.add_member(
            OFFICER,
            group,
            member_id=member_id,
            person=person,
            role="member",
            representation="carer",
            effective_date=date(2026, 1, 5),
        )
    client = signed_in(app, "officer")
    _caught_up(app)
    page = client.get(f"/bodies/{group}").get_data(as_text=True)
    assert "The usual quorum: a third of the voting members, and at least 3" in page
    path = f"/bodies/{group}/set-quorum"
    assert f'href="{path}"' in page
    assert f'href="{path}"' not in signed_in(app, "care-holder").get(f"/bodies/{group}").get_data(as_text=True)

    form = client.get(path)
    assert form.status_code == 200 and 'name="quorum"' in form.get_data(as_text=True)
    version = hub.body(group).version
    fields = {"csrf_token": csrf_token(client, path), "expected_version": str(version), "reason": "Agreed by the group"}
    before = _events(app)
    too_many = client.post(path, data={**fields, "quorum": "5"})
    html = too_many.get_data(as_text=True)
    assert too_many.status_code == 400
    assert "from 1 to the 4 voting members Quorum Test Group has now" in html and "AMB-Q" in html
    assert 'href="#quorum"' in html  # the error summary points at the field
    not_a_number = client.post(path, data={**fields, "quorum": "two"})
    assert not_a_number.status_code == 400 and "The quorum must be a whole number" in not_a_number.get_data(
        as_text=True
    )
    no_reason = client.post(path, data={**fields, "quorum": "2", "reason": ""})
    assert no_reason.status_code == 400
    assert _events(app) == before  # nothing half-saved

    done = client.post(path, data={**fields, "quorum": "2"})
    assert done.status_code == 302, done.get_data(as_text=True)
    page = client.get(f"/bodies/{group}").get_data(as_text=True)
    assert re.search(r"<dd[^>]*>\s*2 voting members present\s*</dd>", page), page
    history = client.get(f"/bodies/{group}/history").get_data(as_text=True)
    assert "Quorum set from the usual third of the voting members to 2 voting members" in history
    assert "Agreed by the group" in history
    day = TODAY.date()
    as_at = client.get(
        f"/bodies/{group}/as-at?date-day={day.day}&date-month={day.month}&date-year={day.year}&basis=recorded"
    ).get_data(as_text=True)
    assert re.search(r"<dd[^>]*>\s*2 voting members present\s*</dd>", as_at), as_at

    # A meeting whose attendance names no quorum: 2 of the 4 present is quorate by the body's own quorum
    # (the usual one would have needed 3).
    meeting = hub.schedule_meeting(OFFICER, group, meeting_date=TODAY.date(), start_time=time(18), place="Hall")
    hub.record_attendance(OFFICER, meeting, present=["Ann Carer", "Bo Carer"], absent=["Cy Carer", "Di Carer"])
    _caught_up(app)
    turnout = client.get(f"/meetings/{meeting}").get_data(as_text=True)
    turnout = turnout[turnout.index('id="turnout"') :]
    assert "2 of 4" in turnout and "Quorate" in turnout and "Not quorate" not in turnout
