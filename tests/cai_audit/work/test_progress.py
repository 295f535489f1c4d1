"""The one progress value and the one progress partial of queued work."""

import pytest
from django.test import RequestFactory
from django_htmx.middleware import HtmxDetails

from cai_audit.work.progress import Progress
from cai_audit.work.views import progress_response


def _progress(**changes) -> Progress:
    values = {"done": 4, "total": 8, "status": "running", "status_label": "Running",
              "finished": False, "label": "4 done"}  # fmt: skip
    return Progress(**{**values, **changes})


def test_percent_counts_failed_units_as_over_and_stays_within_the_bar():
    assert _progress().percent == 50.0
    assert _progress(failed=2).percent == 75.0
    assert _progress(done=9, total=8).percent == 100.0


def test_work_with_nothing_to_do_is_empty_until_it_finishes_and_full_after():
    assert _progress(done=0, total=0).percent == 0.0
    assert _progress(done=0, total=0, finished=True, status="done").percent == 100.0


def test_the_bar_value_has_one_decimal_and_a_full_bar_reads_100():
    assert _progress().bar_value == "50.0"
    assert _progress(done=1, total=3).bar_value == "33.3"
    assert _progress(done=8).bar_value == "100"


def test_as_dict_rounds_the_percent_and_puts_the_details_beside_the_counts():
    data = _progress(done=1, total=3, details={"batches_done": 1}).as_dict()
    assert data["percent"] == 33.3 and data["done"] == 1 and data["batches_done"] == 1
    assert "details" not in data


def _request(htmx: bool):
    request = RequestFactory().get("/progress/", **({"HTTP_HX_REQUEST": "true"} if htmx else {}))
    request.htmx = HtmxDetails(request)
    return request


def test_the_partial_polls_while_the_work_runs():
    response = progress_response(
        _request(htmx=True), progress=_progress(), progress_url="/progress/", every_s=1
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'hx-get="/progress/"' in html and 'hx-trigger="every 1s"' in html
    assert 'max="100" value="50.0"' in html and 'data-status="running"' in html
    assert "4 done" in html


def test_finished_work_answers_286_so_htmx_stops_polling_and_the_bar_is_full():
    done = _progress(done=8, status="done", status_label="Done", finished=True)
    response = progress_response(_request(htmx=True), progress=done, progress_url="/progress/")
    html = response.content.decode()
    assert response.status_code == 286 and "HX-Refresh" not in response
    assert "hx-trigger" not in html and 'value="100"' in html and 'data-status="done"' in html


def test_a_page_whose_results_come_at_the_end_reloads_once_when_finished():
    done = _progress(done=8, status="done", status_label="Done", finished=True)
    response = progress_response(
        _request(htmx=True), progress=done, progress_url="/p/", reload_when_finished=True
    )
    assert response.status_code == 286 and response["HX-Refresh"] == "true"


def test_without_htmx_finished_work_is_a_plain_page_fragment():
    done = _progress(done=8, status="done", status_label="Done", finished=True)
    response = progress_response(_request(htmx=False), progress=done, progress_url="/p/")
    assert response.status_code == 200


@pytest.mark.parametrize("hostile", ["<script>alert(1)</script>", '"><img src=x>'])
def test_labels_are_escaped(hostile):
    response = progress_response(
        _request(htmx=False), progress=_progress(label=hostile), progress_url="/p/"
    )
    assert hostile not in response.content.decode()
