"""fetching/: snapshots of remote sources, fetched from a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
import time
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from filelock import FileLock

from smartspec.inputs.sources import SourceConfig, discover
from smartspec.fetching import (
    FetchPolicy,
    current_snapshot,
    fetch_source,
    list_snapshots,
    load_snapshot,
    read_state,
    snapshot_dir_for,
    snapshots_root,
)
from tests.helpers.http import PDF_V1, WAIT, Route, Site

PDF_V2 = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Version 2 >> endobj\n%%EOF\n"
PPTX = b"PK\x03\x04" + b"\x00" * 60
LOGIN_PAGE = b"<html><body>Please log in</body></html>"


@pytest.fixture
def site():
    server = Site()
    yield server
    server.stop()


@pytest.fixture
def client():
    with httpx.Client(trust_env=False) as http:  # never a proxy for 127.0.0.1
        yield http


@pytest.fixture
def sleeps():
    return []


@pytest.fixture
def policy(sleeps):
    return FetchPolicy(timeout=WAIT, retries=2, backoff=0.0, lock_timeout=WAIT, sleep=sleeps.append)


@pytest.fixture
def store(tmp_path):
    return snapshots_root(tmp_path / "raw")


def source(site: Site, path: str, source_id: str = "plan") -> SourceConfig:
    return SourceConfig(id=source_id, url=site.url(path))


def folder_names(store: Path, source_id: str = "plan") -> set[str]:
    return {p.name for p in (store / source_id).iterdir()}


def state_json(store: Path, source_id: str = "plan") -> dict:
    return json.loads((store / source_id / "state.json").read_text())


# --- first fetch, conditional requests, new versions ------------------------------------------

def test_first_fetch_stores_a_snapshot_and_its_sidecar(site, client, policy, store):
    site.routes["/plan.pdf"] = Route(etag='"v1"', last_modified="Wed, 01 May 2024 10:00:00 GMT")
    result = fetch_source(source(site, "/plan.pdf"), store, client=client, policy=policy)

    assert result.status == "fetched" and result.ok and result.error is None
    assert result.http_status == 200 and result.etag == '"v1"'
    assert result.snapshot_path.read_bytes() == PDF_V1
    assert result.snapshot_path.parent == store / "plan"
    assert result.snapshot_path.name.endswith(f"-{result.sha256[:12]}.pdf")
    assert result.snapshot_path.stat().st_mode & 0o222 == 0  # read-only: never to be edited
    sidecar = json.loads(result.snapshot_path.with_name(result.snapshot_path.name + ".json").read_text())
    assert sidecar["url"] == sidecar["final_url"] == site.url("/plan.pdf")
    assert sidecar["etag"] == '"v1"' and sidecar["last_modified"] == "Wed, 01 May 2024 10:00:00 GMT"
    assert sidecar["sha256"] == result.sha256 and sidecar["bytes"] == len(PDF_V1)
    assert sidecar["content_type"] == "application/pdf" and sidecar["http_status"] == 200
    assert datetime.fromisoformat(sidecar["fetched_at"]) == result.fetched_at
    assert sidecar["fetched_at"].endswith("+00:00") and "." in sidecar["fetched_at"]  # UTC, microseconds
    assert result.snapshot_path.name.startswith(result.fetched_at.strftime("%Y%m%dT%H%M%S%fZ-"))
    state = state_json(store)
    assert state["ok"] is True and state["current"] == result.snapshot_path.name and state["http_status"] == 200
    assert datetime.fromisoformat(state["last_success_at"]) == result.last_success_at
    assert current_snapshot(store, "plan") == result.snapshot_path
    assert site.seen("/plan.pdf")[0]["user-agent"].startswith("smartspec/")
    name = result.snapshot_path.name
    assert folder_names(store) <= {name, name + ".json", "state.json", ".lock"}


def test_second_fetch_is_conditional_and_a_304_keeps_the_snapshot(site, client, policy, store):
    site.routes["/plan.pdf"] = Route(etag='"v1"')
    first = fetch_source(source(site, "/plan.pdf"), store, client=client, policy=policy)
    second = fetch_source(source(site, "/plan.pdf"), store, client=client, policy=policy)

    assert site.seen("/plan.pdf")[1]["if-none-match"] == '"v1"'
    assert "if-none-match" not in site.seen("/plan.pdf")[0]
    assert second.status == "not_modified" and second.http_status == 304
    assert second.snapshot_path == first.snapshot_path and second.fetched_at == first.fetched_at
    assert second.sha256 == first.sha256 and second.last_success_at > first.last_success_at
    assert list_snapshots(store, "plan") == [first.snapshot_path]
    assert state_json(store)["http_status"] == 304 and state_json(store)["status"] == "not_modified"


def test_last_modified_is_sent_back_as_if_modified_since(site, client, policy, store):
    stamp = "Wed, 01 May 2024 10:00:00 GMT"
    site.routes["/plan.pdf"] = Route(last_modified=stamp)
    fetch_source(source(site, "/plan.pdf"), store, client=client, policy=policy)
    second = fetch_source(source(site, "/plan.pdf"), store, client=client, policy=policy)
    assert site.seen("/plan.pdf")[1]["if-modified-since"] == stamp
    assert second.status == "not_modified"


def test_new_content_is_a_new_snapshot_and_the_old_one_is_untouched(site, client, policy, store):
    route = site.routes["/plan.pdf"] = Route(etag='"v1"')
    first = fetch_source(source(site, "/plan.pdf"), store, client=client, policy=policy)
    route.body, route.etag = PDF_V2, '"v2"'
    second = fetch_source(source(site, "/plan.pdf"), store, client=client, policy=policy)

    assert second.status == "fetched" and second.snapshot_path != first.snapshot_path
    assert first.snapshot_path.read_bytes() == PDF_V1 and second.snapshot_path.read_bytes() == PDF_V2
    assert load_snapshot(first.snapshot_path).etag == '"v1"'  # the old sidecar is untouched too
    assert list_snapshots(store, "plan") == [first.snapshot_path, second.snapshot_path]
    assert current_snapshot(store, "plan") == second.snapshot_path
    third = fetch_source(source(site, "/plan.pdf"), store, client=client, policy=policy)
    assert site.seen("/plan.pdf")[2]["if-none-match"] == '"v2"' and third.status == "not_modified"


def test_same_bytes_again_make_no_duplicate(site, client, policy, store):
    site.routes["/plan.pdf"] = Route()  # no validators: every answer is a 200
    first = fetch_source(source(site, "/plan.pdf"), store, client=client, policy=policy)
    second = fetch_source(source(site, "/plan.pdf"), store, client=client, policy=policy)

    assert second.status == "unchanged_content" and second.http_status == 200
    assert second.snapshot_path == first.snapshot_path and second.fetched_at == first.fetched_at
    assert second.last_success_at > first.last_success_at
    assert list_snapshots(store, "plan") == [first.snapshot_path]
    assert not [name for name in folder_names(store) if name.startswith(".download-")]


def test_going_back_to_an_older_version_reuses_its_snapshot(site, client, policy, store):
    route = site.routes["/plan.pdf"] = Route()
    first = fetch_source(source(site, "/plan.pdf"), store, client=client, policy=policy)
    route.body = PDF_V2
    fetch_source(source(site, "/plan.pdf"), store, client=client, policy=policy)
    route.body = PDF_V1
    third = fetch_source(source(site, "/plan.pdf"), store, client=client, policy=policy)

    assert third.status == "fetched" and third.snapshot_path == first.snapshot_path
    assert len(list_snapshots(store, "plan")) == 2
    assert current_snapshot(store, "plan") == first.snapshot_path


def test_an_unreadable_state_file_falls_back_to_the_newest_snapshot(site, client, policy, store):
    site.routes["/plan.pdf"] = Route(etag='"v1"')
    first = fetch_source(source(site, "/plan.pdf"), store, client=client, policy=policy)
    (store / "plan" / "state.json").write_text("{not json")
    assert read_state(store, "plan") is None
    second = fetch_source(source(site, "/plan.pdf"), store, client=client, policy=policy)
    assert site.seen("/plan.pdf")[1]["if-none-match"] == '"v1"'  # taken from the sidecar
    assert second.status == "not_modified" and second.snapshot_path == first.snapshot_path


# --- failures ---------------------------------------------------------------------------------

def test_server_down_fails_unreachable_and_goes_on_from_the_last_snapshot(site, client, policy, store, sleeps):
    site.routes["/plan.pdf"] = Route(etag='"v1"')
    first = fetch_source(source(site, "/plan.pdf"), store, client=client, policy=policy)
    site.stop()
    result = fetch_source(source(site, "/plan.pdf"), store, client=client, policy=policy)

    assert result.status == "failed" and not result.ok
    assert result.error.startswith("unreachable: ") and result.http_status is None
    assert result.snapshot_path == first.snapshot_path and result.fetched_at == first.fetched_at
    assert result.last_success_at == first.last_success_at and result.sha256 == first.sha256
    assert sleeps == [0.0, 0.0]  # retried twice, without waiting
    state = state_json(store)
    assert state["ok"] is False and state["status"] == "failed" and state["error"] == result.error
    assert datetime.fromisoformat(state["last_success_at"]) == first.last_success_at
    assert state["current"] == first.snapshot_path.name and state["etag"] == '"v1"'
    assert datetime.fromisoformat(state["attempted_at"]) > first.last_success_at
    assert first.snapshot_path.read_bytes() == PDF_V1


def test_404_fails_at_once_and_is_reported(site, client, policy, store, sleeps):
    result = fetch_source(source(site, "/gone.pdf"), store, client=client, policy=policy)
    assert result.status == "failed" and result.error == "HTTP 404 Not Found" and result.http_status == 404
    assert result.snapshot_path is None and result.last_success_at is None and result.fetched_at is None
    assert len(site.seen("/gone.pdf")) == 1 and sleeps == []
    assert state_json(store)["error"] == "HTTP 404 Not Found" and state_json(store)["current"] is None


def test_404_after_a_success_keeps_the_snapshot(site, client, policy, store):
    route = site.routes["/plan.pdf"] = Route()
    first = fetch_source(source(site, "/plan.pdf"), store, client=client, policy=policy)
    route.status = 410
    result = fetch_source(source(site, "/plan.pdf"), store, client=client, policy=policy)
    assert result.error == "HTTP 410 Gone" and result.snapshot_path == first.snapshot_path


def test_500_twice_then_200_is_fetched_after_retries(site, client, policy, store, sleeps):
    site.routes["/plan.pdf"] = Route(fail_first=2)
    result = fetch_source(source(site, "/plan.pdf"), store, client=client, policy=policy)
    assert result.status == "fetched" and result.snapshot_path.read_bytes() == PDF_V1
    assert len(site.seen("/plan.pdf")) == 3 and sleeps == [0.0, 0.0]


def test_backoff_doubles_between_retries_and_5xx_gives_up_after_them(site, client, store, sleeps):
    site.routes["/plan.pdf"] = Route(fail_first=10)
    policy = FetchPolicy(timeout=WAIT, retries=3, backoff=0.5, sleep=sleeps.append)
    result = fetch_source(source(site, "/plan.pdf"), store, client=client, policy=policy)
    assert result.status == "failed" and result.error == "HTTP 500 Internal Server Error"
    assert result.http_status == 500 and len(site.seen("/plan.pdf")) == 4
    assert sleeps == [0.5, 1.0, 2.0]


def test_a_slow_server_times_out_as_unreachable(site, client, store, sleeps):
    site.routes["/plan.pdf"] = Route(delay=1.0)
    policy = FetchPolicy(timeout=0.2, retries=1, backoff=0.0, sleep=sleeps.append)
    result = fetch_source(source(site, "/plan.pdf"), store, client=client, policy=policy)
    assert result.status == "failed" and result.error.startswith("unreachable: ")
    assert "timed out" in result.error and sleeps == [0.0]


def test_a_trickling_body_is_cut_off_at_the_deadline(site, client, store):
    site.routes["/plan.pdf"] = Route(body=PDF_V1 * 4, trickle=0.05)
    policy = FetchPolicy(timeout=WAIT, retries=0, deadline=0.2)
    result = fetch_source(source(site, "/plan.pdf"), store, client=client, policy=policy)
    assert result.status == "failed" and result.error == "too slow: no complete answer within 0.2 s (fetch_deadline_s)"
    assert folder_names(store) <= {"state.json", ".lock"}


def test_headers_trickled_a_byte_at_a_time_are_cut_off_at_the_deadline(site, client, store):
    """Each byte comes well within the per-operation timeout; only the whole fetch's deadline ends it."""
    site.routes["/plan.pdf"] = Route(header_trickle=0.1)  # the whole head would take 25 s
    policy = FetchPolicy(timeout=WAIT, retries=2, backoff=0.0, deadline=0.5)
    result = fetch_source(source(site, "/plan.pdf"), store, client=client, policy=policy)
    assert (result.status, result.error) == ("failed", "too slow: no complete answer within 0.5 s (fetch_deadline_s)")
    assert len(site.seen("/plan.pdf")) == 1  # the deadline is the fetch's: no retry after it


def test_the_deadline_also_bounds_a_client_made_here(site, store, monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    site.routes["/plan.pdf"] = Route(header_trickle=0.1)
    policy = FetchPolicy(timeout=WAIT, retries=0, deadline=0.3)
    result = fetch_source(source(site, "/plan.pdf"), store, policy=policy)
    assert result.error == "too slow: no complete answer within 0.3 s (fetch_deadline_s)"


@pytest.mark.parametrize("send_length", [True, False], ids=["content-length", "counted"])
def test_an_oversize_body_fails_and_leaves_no_partial_file(site, client, store, send_length):
    site.routes["/big.pdf"] = Route(body=PDF_V1 + b"0" * 5000, send_length=send_length)
    policy = FetchPolicy(timeout=WAIT, retries=0, max_bytes=1000)
    result = fetch_source(source(site, "/big.pdf"), store, client=client, policy=policy)
    assert result.status == "failed" and result.error == "too large: more than 1000 bytes"
    assert result.http_status == 200 and result.snapshot_path is None
    assert folder_names(store) <= {"state.json", ".lock"}
    assert list_snapshots(store, "plan") == []


def test_html_instead_of_a_pdf_is_refused(site, client, policy, store):
    site.routes["/plan.pdf"] = Route(body=LOGIN_PAGE, content_type="text/html")
    result = fetch_source(source(site, "/plan.pdf"), store, client=client, policy=policy)
    assert result.status == "failed" and result.error == "content is not a PDF (starts with b'<html')"
    assert folder_names(store) <= {"state.json", ".lock"}


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/plan.pdf", "file:///etc/passwd"])
def test_other_schemes_are_refused_without_a_request(client, policy, store, url):
    result = fetch_source(SourceConfig(id="plan", url=url), store, client=client, policy=policy)
    assert result.status == "failed" and result.error == "refused: only http and https URLs are fetched"
    assert state_json(store)["error"] == result.error


def test_a_redirect_to_another_scheme_is_refused(site, client, policy, store):
    site.routes["/plan.pdf"] = Route(location="ftp://127.0.0.1/plan.pdf")
    result = fetch_source(source(site, "/plan.pdf"), store, client=client, policy=policy)
    assert result.status == "failed" and result.error.startswith("refused: only http and https URLs are fetched")
    assert len(site.seen("/plan.pdf")) == 1  # not retried


def test_allowed_schemes_are_a_policy(site, client, store):
    site.routes["/plan.pdf"] = Route()
    policy = FetchPolicy(timeout=WAIT, retries=0, allowed_schemes=("https",))
    result = fetch_source(source(site, "/plan.pdf"), store, client=client, policy=policy)
    assert result.error == "refused: only https URLs are fetched" and site.requests == []


def test_redirects_are_followed_and_the_final_url_recorded(site, client, policy, store):
    site.routes["/latest"] = Route(location="/files/plan-2024.pdf")
    site.routes["/files/plan-2024.pdf"] = Route()
    result = fetch_source(source(site, "/latest"), store, client=client, policy=policy)
    assert result.status == "fetched" and result.snapshot_path.suffix == ".pdf"
    snapshot = load_snapshot(result.snapshot_path)
    assert snapshot.url == site.url("/latest") and snapshot.final_url == site.url("/files/plan-2024.pdf")


# --- formats ----------------------------------------------------------------------------------

def test_the_format_comes_from_content_type_when_the_url_names_none(site, client, policy, store):
    site.routes["/download?id=1"] = Route()
    result = fetch_source(source(site, "/download?id=1"), store, client=client, policy=policy)
    assert result.status == "fetched" and result.snapshot_path.suffix == ".pdf"


def test_the_format_comes_from_content_disposition_before_content_type(site, client, policy, store):
    site.routes["/get?id=2"] = Route(
        body=PPTX, content_type="application/octet-stream",
        headers={"Content-Disposition": 'attachment; filename="strategi 2024.pptx"'},
    )
    result = fetch_source(source(site, "/get?id=2", "deck"), store, client=client, policy=policy)
    assert result.status == "fetched" and result.snapshot_path.suffix == ".pptx"


def test_an_unknown_format_is_refused(site, client, policy, store):
    site.routes["/get?id=3"] = Route(content_type="application/octet-stream")
    result = fetch_source(source(site, "/get?id=3"), store, client=client, policy=policy)
    assert result.status == "failed" and result.error.startswith("unknown format: ")


def test_a_pptx_url_with_pdf_bytes_is_refused(site, client, policy, store):
    site.routes["/deck.pptx"] = Route(content_type=None)
    result = fetch_source(source(site, "/deck.pptx"), store, client=client, policy=policy)
    assert result.error == "content is not a PPTX file (starts with b'%PDF-')"


def test_html_sources_are_checked_for_markup(site, client, policy, store):
    site.routes["/page.html"] = Route(body=b"\xef\xbb\xbf  <!DOCTYPE html><html></html>", content_type="text/html")
    assert fetch_source(source(site, "/page.html"), store, client=client, policy=policy).status == "fetched"
    site.routes["/other.html"] = Route(body=PDF_V1, content_type="text/html")
    result = fetch_source(source(site, "/other.html", "other"), store, client=client, policy=policy)
    assert result.error == "content is not HTML (starts with b'%PDF-')"


# --- the store ---------------------------------------------------------------------------------

def test_the_store_is_a_folder_discover_skips(site, client, policy, tmp_path):
    raw = tmp_path / "raw"
    site.routes["/plan.pdf"] = Route()
    result = fetch_source(source(site, "/plan.pdf"), snapshots_root(raw), client=client, policy=policy)
    assert result.snapshot_path.parent == snapshot_dir_for(raw, "plan") == raw / "_snapshots" / "plan"
    assert discover(raw) == []


@pytest.mark.parametrize("bad", ["", "../escape", "/abs", "a/../b", ".hidden", "a\\b"])
def test_ids_that_would_leave_the_store_are_refused(tmp_path, bad):
    with pytest.raises(ValueError, match="cannot name a snapshot folder"):
        snapshot_dir_for(tmp_path, bad)


def test_nested_ids_are_nested_folders(tmp_path):
    assert snapshot_dir_for(tmp_path, "skane/plan") == tmp_path / "_snapshots" / "skane" / "plan"


def test_an_entry_without_url_is_a_caller_error(store):
    with pytest.raises(ValueError, match="no url"):
        fetch_source(SourceConfig(id="local", path="plan.pdf"), store)


def test_a_fetch_already_running_makes_this_one_fail_busy(site, client, store):
    site.routes["/plan.pdf"] = Route()
    (store / "plan").mkdir(parents=True)
    policy = FetchPolicy(timeout=WAIT, lock_timeout=0.1)
    with FileLock(store / "plan" / ".lock"):
        result = fetch_source(source(site, "/plan.pdf"), store, client=client, policy=policy)
    assert result.status == "failed" and result.error.startswith("busy: ") and site.requests == []


def test_without_a_client_one_is_made_and_closed(site, store, monkeypatch):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    site.routes["/plan.pdf"] = Route()
    result = fetch_source(source(site, "/plan.pdf"), store, policy=FetchPolicy(timeout=WAIT, user_agent="probe/1"))
    assert result.status == "fetched" and site.seen("/plan.pdf")[0]["user-agent"] == "probe/1"
