"""The packed store of rebuilt rows behaves as the dict it replaces, whatever the keys."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from council.cases.audit_rows import VERIFIED, PackedRows

KEYS = st.one_of(
    st.integers(min_value=-5, max_value=3_000),
    st.integers(min_value=10**9, max_value=10**12),  # far past the others: kept beside
    st.booleans(),
    st.text(max_size=3),
)
FINGERPRINTS = st.tuples(*[st.integers(min_value=-(2**63), max_value=2**63 - 1)] * 2)
OPERATIONS = st.lists(
    st.tuples(st.sampled_from(["set", "pop", "get", "mark"]), KEYS, FINGERPRINTS), max_size=60
)


@given(OPERATIONS)
def test_packed_rows_answer_every_operation_as_a_dict_does(
    operations: list[tuple[str, Any, tuple[int, int]]],
) -> None:
    packed, plain = PackedRows(2, slack=100), dict[Any, tuple[int, int]]()
    for operation, key, value in operations:
        if operation == "set":
            packed[key], plain[key] = value, value
        elif operation == "pop":
            assert packed.pop(key, None) == plain.pop(key, None)
        elif operation == "mark" and type(key) is int:  # a run of ids found as the table holds
            run = list(range(key, key + value[0] % 5))
            packed.mark_verified(run)
            plain.update(dict.fromkeys(run, (VERIFIED, VERIFIED)))
        else:
            assert packed.get(key) == plain.get(key)
            assert (key in packed) == (key in plain)
        assert len(packed) == len(plain)
    assert {key: packed[key] for key in packed} == plain


def test_a_row_set_again_replaces_its_fingerprints_and_zero_is_a_fingerprint_like_any() -> None:
    packed = PackedRows(3)
    packed[7] = (0, 0, 0)
    assert packed.get(7) == (0, 0, 0) and packed.get(6) is None and len(packed) == 1
    packed[7] = (1, -2, 3)
    assert packed.pop(7) == (1, -2, 3) and 7 not in packed and not packed


def test_a_table_is_wholly_verified_only_when_every_id_of_its_range_is_and_nothing_else_is() -> (
    None
):
    packed = PackedRows(3, slack=100)
    packed.mark_verified(list(range(1, 21)))
    assert packed.all_verified(1, 20)
    assert not packed.all_verified(1, 21)  # a row of the table the walk never found
    assert not packed.all_verified(2, 20)  # a row the walk found that the table lacks
    packed[7] = (VERIFIED, 5, VERIFIED)  # a later entry changed a part of it
    assert not packed.all_verified(1, 20)
    packed[7] = (VERIFIED, VERIFIED, VERIFIED)
    packed["other"] = (VERIFIED, VERIFIED, VERIFIED)
    assert not packed.all_verified(1, 20)


def test_ids_marked_out_of_order_or_far_apart_are_kept_one_by_one() -> None:
    packed = PackedRows(2, slack=100)
    packed.mark_verified([5, 3, 10**9])
    assert {key: packed[key] for key in packed} == dict.fromkeys(
        [3, 5, 10**9], (VERIFIED, VERIFIED)
    )


def test_no_fingerprint_is_the_verified_mark() -> None:
    assert hash(-1) != VERIFIED and hash((-1,)) != VERIFIED and hash((VERIFIED,) * 3) != VERIFIED
