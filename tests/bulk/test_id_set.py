"""`IdSet`: the ids `--resume` skips, as bits for numeric ids and as text for the rest."""

from __future__ import annotations

from workers_ai._id_set import MAX_BIT_ID, IdSet


def test_membership_is_by_text_whatever_the_id_looks_like() -> None:
    ids = IdSet(["0", "7", "12345", "07", "-3", "review-9", "٣", str(MAX_BIT_ID), "x" * 50])
    for text in ("0", "7", "12345", "07", "-3", "review-9", "٣", str(MAX_BIT_ID), "x" * 50):
        assert text in ids
    for text in ("1", "8", "007", "3", "review-8", str(MAX_BIT_ID + 1), "", 7):
        assert text not in ids
    assert len(ids) == 9
    assert sorted(ids) == sorted(["0", "7", "12345", "07", "-3", "review-9", "٣", str(MAX_BIT_ID), "x" * 50])


def test_add_twice_discard_and_union_keep_the_count_right() -> None:
    done = IdSet(["1", "2", "a"])
    done.add("2")
    done.add("a")
    assert len(done) == 3
    done.discard("2")
    done.discard("a")
    done.discard("never-there")
    done.discard("99")
    assert len(done) == 1 and "2" not in done and "a" not in done and "1" in done
    failed = IdSet(["1", "900", "b"])
    union = done | failed
    assert set(union) == {"1", "900", "b"} and len(union) == 3
    assert set(done) == {"1"}  # the operands are left as they were


def test_a_hundred_thousand_row_numbers_take_a_bitmap_not_objects() -> None:
    ids = IdSet(str(i) for i in range(0, 200_000, 2))
    assert len(ids) == 100_000
    assert "199998" in ids and "199999" not in ids
    assert len(ids._bits) <= 2 * 200_000 // 8  # geometric growth: at most twice the bytes needed
    assert not ids._texts
