"""Generated sandbox data and the mutation API (no HTTP)."""

from collections import Counter

import pytest

from tap_zendesk.sandbox import ChangeSet, SandboxAccount
from tap_zendesk.sandbox.data import STREAMS
from tap_zendesk.sandbox.factories import DATA_END, DATA_START, epoch

NOW = DATA_END + 86_400 * 30


@pytest.fixture(scope="module")
def account() -> SandboxAccount:
    """A read-only account shared by the tests that don't mutate."""
    return SandboxAccount.generate(tickets=400, seed=7)


def test_same_seed_generates_identical_data():
    first = SandboxAccount.generate(tickets=60, seed=3)
    second = SandboxAccount.generate(tickets=60, seed=3)
    assert all(first.expected(s) == second.expected(s) for s in STREAMS)


def test_another_seed_generates_different_data():
    first = SandboxAccount.generate(tickets=60, seed=3)
    second = SandboxAccount.generate(tickets=60, seed=4)
    assert first.expected("tickets") != second.expected("tickets")


def test_ticket_ids_run_from_one_to_n(account):
    assert [t["id"] for t in account.expected("tickets")] == list(range(1, 401))


def test_collection_sizes_follow_the_ticket_count(account):
    assert len(account.expected("users")) == 200
    assert len(account.expected("organizations")) == 40
    assert len(account.expected("groups")) == 25


def test_small_accounts_have_minimum_sizes():
    small = SandboxAccount.generate(tickets=10, seed=1)
    assert (len(small.users), len(small.organizations)) == (20, 5)


def test_other_ids_exceed_32_bits_and_stay_below_2_to_53(account):
    ids = [r["id"] for s in STREAMS if s != "tickets" for r in account.expected(s)]
    assert min(ids) > 2**32
    assert max(ids) < 2**53


def test_timestamps_lie_between_2024_and_2025(account):
    stamps = [epoch(t["created_at"]) for t in account.expected("tickets")]
    stamps += [t["generated_timestamp"] for t in account.expected("tickets")]
    stamps += [epoch(c["created_at"]) for c in account.expected("ticket_comments")]
    assert min(stamps) >= DATA_START
    assert max(stamps) <= DATA_END


def test_tickets_include_deleted_and_archived_ones(account):
    statuses = Counter(t["status"] for t in account.expected("tickets"))
    assert statuses["deleted"] > 0
    assert len(account.archived) > 0
    assert all(account.tickets.rows[i]["status"] == "closed" for i in account.archived)


def test_every_non_deleted_ticket_has_one_metric_set(account):
    live = {t["id"] for t in account.expected("tickets") if t["status"] != "deleted"}
    metric_ticket_ids = [m["ticket_id"] for m in account.expected("ticket_metrics")]
    assert sorted(metric_ticket_ids) == sorted(live)


def test_first_comment_is_the_ticket_description(account):
    comments = account.expected("ticket_comments")
    first = {}
    for comment in comments:
        first.setdefault(comment["ticket_id"], comment)
    tickets = {t["id"]: t for t in account.expected("tickets")}
    assert all(tickets[i]["description"] == c["body"] for i, c in first.items())


def test_comments_of_deleted_tickets_are_not_expected(account):
    deleted = {t["id"] for t in account.expected("tickets") if t["status"] == "deleted"}
    assert not deleted & {c["ticket_id"] for c in account.expected("ticket_comments")}


def test_average_comments_per_ticket_follows_the_option():
    many = SandboxAccount.generate(tickets=300, seed=2, comments_per_ticket=6)
    total = sum(len(c) for c in many.comments.values())
    assert 5.5 <= total / 300 <= 6.5


def test_some_comments_are_voice_comments_with_call_data(account):
    voice = [c for c in account.expected("ticket_comments") if c["type"] == "VoiceComment"]
    assert voice
    assert all(c["data"]["transcription_status"] == "completed" for c in voice)
    assert all(c["via"]["channel"] == "voice" for c in voice)


def test_custom_fields_carry_every_value_type(account):
    types = {
        type(f["value"]).__name__ for t in account.expected("tickets") for f in t["custom_fields"]
    }
    assert types == {"str", "int", "float", "bool", "list", "NoneType"}


def test_ticket_fields_duplicate_custom_fields(account):
    assert all(t["fields"] == t["custom_fields"] for t in account.expected("tickets"))


def test_some_attachments_live_on_another_host(account):
    urls = [a["content_url"] for c in account.expected("ticket_comments") for a in c["attachments"]]
    assert urls
    assert all(u.startswith("https://sandbox.zdusercontent.example/") for u in urls)


def test_text_is_not_all_ascii(account):
    subjects = "".join(t["subject"] for t in account.expected("tickets"))
    assert any(ord(ch) > 0x3000 for ch in subjects)
    assert any(ord(ch) > 0xFFFF for ch in subjects)


def test_a_bulk_update_gives_many_tickets_one_generated_timestamp(account):
    counts = Counter(t["generated_timestamp"] for t in account.expected("tickets"))
    assert counts.most_common(1)[0][1] == 26  # 25 moved plus the ticket that set the time


def test_org_tie_group_shares_one_updated_at():
    tied = SandboxAccount.generate(tickets=50, seed=1, org_tie_group=30)
    counts = Counter(o["updated_at"] for o in tied.expected("organizations"))
    assert counts.most_common(1)[0][1] == 30


def test_expected_returns_private_copies(account):
    account.expected("groups")[0]["name"] = "changed"
    assert account.expected("groups")[0]["name"] != "changed"


def test_unknown_stream_is_rejected(account):
    with pytest.raises(ValueError, match="unknown stream"):
        account.expected("tickets_v2")


def test_mutation_stamp_is_ninety_seconds_before_now():
    fresh = SandboxAccount.generate(tickets=50, seed=1)
    assert fresh.mutate(seed=1, now=NOW).stamp == NOW - 90


def test_successive_batches_get_strictly_increasing_stamps():
    fresh = SandboxAccount.generate(tickets=50, seed=1)
    stamps = [fresh.mutate(seed=s, now=NOW).stamp for s in (1, 2, 3)]
    assert stamps == [NOW - 90, NOW - 89, NOW - 88]


def test_changed_records_carry_the_batch_stamp():
    fresh = SandboxAccount.generate(tickets=200, seed=1)
    changes = fresh.mutate(seed=2, now=NOW)
    tickets = {t["id"]: t for t in fresh.expected("tickets")}
    assert {tickets[i]["generated_timestamp"] for i in changes.keys("tickets")} == {changes.stamp}


def test_mutation_touches_every_stream():
    fresh = SandboxAccount.generate(tickets=200, seed=1)
    changes = fresh.mutate(seed=2, now=NOW)
    assert all(changes.keys(s) for s in STREAMS)


def test_same_mutation_on_same_data_is_deterministic():
    first = SandboxAccount.generate(tickets=100, seed=1)
    second = SandboxAccount.generate(tickets=100, seed=1)
    assert first.mutate(seed=5, now=NOW).to_json() == second.mutate(seed=5, now=NOW).to_json()


def test_deleted_ticket_loses_its_metric_set():
    fresh = SandboxAccount.generate(tickets=100, seed=1)
    ticket_id = next(i for i in fresh.tickets.ids if i not in fresh.archived and fresh.is_live(i))
    changes = fresh.delete_tickets([ticket_id], now=NOW)
    assert changes.keys("tickets") == {ticket_id}
    assert fresh.metric_set_for(ticket_id) is None
    assert fresh.tickets.rows[ticket_id]["status"] == "deleted"


def test_created_tickets_come_with_comment_and_metric_set():
    fresh = SandboxAccount.generate(tickets=100, seed=1)
    changes = fresh.create_tickets(2, now=NOW)
    assert changes.keys("tickets") == {101, 102}
    assert len(changes.keys("ticket_comments")) == 2
    metric_sets = fresh.metric_sets.rows
    assert {metric_sets[m]["ticket_id"] for m in changes.keys("ticket_metrics")} == {101, 102}


def test_update_of_an_archived_ticket_is_refused():
    fresh = SandboxAccount.generate(tickets=100, seed=1)
    with pytest.raises(ValueError, match="archived"):
        fresh.update_tickets([min(fresh.archived)], now=NOW)


def test_changeset_rejects_unknown_streams():
    with pytest.raises(ValueError, match="unknown stream"):
        ChangeSet(stamp=1).keys("no_such_stream")


def test_set_forbidden_rejects_unknown_streams(account):
    with pytest.raises(ValueError, match="unknown stream"):
        account.set_forbidden("no_such_stream")


def test_groups_option_sets_the_number_of_groups_with_the_last_three_deleted():
    groups = SandboxAccount.generate(tickets=20, seed=1, groups=150).expected("groups")
    assert len(groups) == 150
    assert [g["deleted"] for g in groups].count(True) == 3
    assert all(g["deleted"] for g in groups[-3:])


def test_same_seed_and_group_count_generate_identical_data():
    first = SandboxAccount.generate(tickets=30, seed=2, groups=120)
    second = SandboxAccount.generate(tickets=30, seed=2, groups=120)
    assert all(first.expected(s) == second.expected(s) for s in STREAMS)


def test_fewer_than_eight_groups_are_rejected():
    with pytest.raises(ValueError, match="groups must be at least 8"):
        SandboxAccount.generate(tickets=20, groups=7)
