"""The three pagination behaviours as pure functions (no HTTP)."""

import base64

import pytest

from tap_zendesk.sandbox.pagination import (
    CursorError,
    cursor_export_page,
    cursor_list_page,
    decode_export_cursor,
    decode_list_cursor,
    encode_export_cursor,
    encode_list_cursor,
    time_export_page,
)

IDS = [10, 20, 30, 40, 50]
# (timestamp, id) keys with a tie group of three at ts 200.
EXPORT_KEYS = [(100, 1), (100, 2), (200, 3), (200, 4), (200, 5), (300, 6), (400, 7)]


def test_list_page_starts_at_the_beginning():
    page = cursor_list_page(IDS, 2)
    assert page.positions == [0, 1]
    assert page.has_more is True


def test_list_page_after_a_key_continues_strictly_after_it():
    page = cursor_list_page(IDS, 2, after=20)
    assert page.positions == [2, 3]
    assert page.has_more is True


def test_list_last_page_has_no_more():
    page = cursor_list_page(IDS, 2, after=40)
    assert page.positions == [4]
    assert page.has_more is False


def test_list_page_after_the_last_key_is_empty():
    page = cursor_list_page(IDS, 2, after=50)
    assert page.positions == []
    assert page.has_more is False


def test_list_exactly_full_last_page_has_no_more():
    page = cursor_list_page(IDS, 5)
    assert page.positions == [0, 1, 2, 3, 4]
    assert page.has_more is False


def test_list_page_before_a_key_returns_the_items_just_before_it_in_order():
    page = cursor_list_page(IDS, 2, before=40)
    assert page.positions == [1, 2]
    assert page.has_more is True


def test_list_page_descending_walks_from_the_largest_key():
    first = cursor_list_page(IDS, 2, descending=True)
    second = cursor_list_page(IDS, 2, descending=True, after=IDS[first.positions[-1]])
    assert first.positions == [4, 3]
    assert second.positions == [2, 1]


def test_list_page_filter_skips_rejected_items_and_counts_only_accepted_ones():
    page = cursor_list_page(IDS, 2, accept=lambda i: IDS[i] != 20)
    assert page.positions == [0, 2]
    assert page.has_more is True


def test_list_page_has_no_more_when_only_rejected_items_remain():
    page = cursor_list_page(IDS, 3, accept=lambda i: IDS[i] <= 30)
    assert page.positions == [0, 1, 2]
    assert page.has_more is False


def test_export_page_from_start_time_includes_items_at_start_time():
    page = cursor_export_page(EXPORT_KEYS, 10, position=(200, 0), visible_until=1000)
    assert page.positions == [2, 3, 4, 5, 6]
    assert page.end_of_stream is True


def test_export_page_splits_a_tie_group_and_resumes_inside_it():
    first = cursor_export_page(EXPORT_KEYS, 3, position=(0, 0), visible_until=1000)
    second = cursor_export_page(EXPORT_KEYS, 3, position=first.position, visible_until=1000)
    assert first.positions == [0, 1, 2]
    assert first.position == (200, 3)
    assert second.positions == [3, 4, 5]
    assert first.end_of_stream is False


def test_export_page_hides_items_newer_than_visible_until():
    page = cursor_export_page(EXPORT_KEYS, 10, position=(0, 0), visible_until=299)
    assert page.positions == [0, 1, 2, 3, 4]
    assert page.end_of_stream is True
    assert page.position == (200, 5)


def test_export_position_at_end_of_stream_stays_valid_for_later_items():
    keys = [*EXPORT_KEYS, (500, 8)]
    done = cursor_export_page(EXPORT_KEYS, 10, position=(0, 0), visible_until=1000)
    later = cursor_export_page(keys, 10, position=done.position, visible_until=1000)
    assert later.positions == [7]


def test_export_page_with_nothing_after_keeps_the_request_position():
    page = cursor_export_page(EXPORT_KEYS, 10, position=(900, 0), visible_until=1000)
    assert page.positions == []
    assert page.position == (900, 0)
    assert page.end_of_stream is True


def test_export_full_page_is_end_of_stream_when_nothing_accepted_follows():
    page = cursor_export_page(
        EXPORT_KEYS, 2, position=(0, 0), visible_until=1000, accept=lambda i: i < 2
    )
    assert page.positions == [0, 1]
    assert page.end_of_stream is True
    assert page.position == (400, 7)


def test_export_backward_page_returns_the_items_before_the_position():
    page = cursor_export_page(EXPORT_KEYS, 2, position=(300, 6), visible_until=1000, backward=True)
    assert page.positions == [3, 4]


def test_time_page_includes_items_at_start_time():
    page = time_export_page(EXPORT_KEYS, 300, 10, visible_until=1000)
    assert (page.start, page.stop, page.end_time, page.end_of_stream) == (5, 7, 400, True)


def test_time_page_is_extended_to_the_end_of_the_tie_group():
    page = time_export_page(EXPORT_KEYS, 0, 3, visible_until=1000)
    assert (page.start, page.stop) == (0, 5)
    assert page.end_time == 200
    assert page.end_of_stream is False


def test_time_page_starting_inside_a_large_tie_group_returns_the_whole_group():
    page = time_export_page(EXPORT_KEYS, 200, 1, visible_until=1000)
    assert (page.start, page.stop, page.end_time) == (2, 5, 200)


def test_time_page_after_the_end_repeats_the_boundary_items():
    last = time_export_page(EXPORT_KEYS, 300, 10, visible_until=1000)
    again = time_export_page(EXPORT_KEYS, last.end_time, 10, visible_until=1000)
    assert (again.start, again.stop, again.end_time, again.end_of_stream) == (6, 7, 400, True)


def test_empty_time_page_ends_at_start_time():
    page = time_export_page(EXPORT_KEYS, 500, 10, visible_until=1000)
    assert (page.start, page.stop, page.end_time, page.end_of_stream) == (7, 7, 500, True)


def test_time_page_hides_items_newer_than_visible_until():
    page = time_export_page(EXPORT_KEYS, 0, 10, visible_until=300)
    assert (page.stop, page.end_time, page.end_of_stream) == (6, 300, True)


def test_export_cursor_round_trips_position_and_flag():
    cursor = encode_export_cursor((1576613539, 467), "s")
    assert decode_export_cursor(cursor) == ((1576613539, 467), "s")


def test_export_cursor_decodes_to_zendesks_shape():
    assert base64.b64decode(encode_export_cursor((1576613539, 467))) == b"1576613539.0||467|"


@pytest.mark.parametrize("garbage", ["garbage", "", "bm90IGEgY3Vyc29y", "%%%"])
def test_garbage_export_cursor_is_rejected(garbage):
    with pytest.raises(CursorError):
        decode_export_cursor(garbage)


def test_list_cursor_round_trips_tuple_keys():
    cursor = encode_list_cursor("-updated_at", ("2024-05-01T10:00:00Z", 42))
    assert decode_list_cursor(cursor, "-updated_at") == ("2024-05-01T10:00:00Z", 42)


def test_list_cursor_for_another_order_is_rejected():
    with pytest.raises(CursorError):
        decode_list_cursor(encode_list_cursor("id", 7), "updated_at")
