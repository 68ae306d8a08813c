"""Brigades over several processes: the same joint plan for any number of them."""

from __future__ import annotations

import multiprocessing
import os
import time
from pathlib import Path

import pytest

from partnership import parallel
from partnership.district.loader import load_district
from partnership.district.planner import plan_district
from partnership.district.views import district_json, json_bytes
from partnership.errors import InputError, Problem
from tests.district.districts import several_brigades


def test_split_balances_the_weights_and_is_deterministic() -> None:
    # heaviest first to the lighter group: 5 | 4, 3 | 2, then 1 on a tie to the first
    assert parallel.split([5, 1, 4, 2, 3], 2) == [[0, 1, 3], [2, 4]]  # 5+1+2 against 4+3
    assert parallel.split([3, 3, 3], 5) == [[0], [1], [2]]  # never an empty group
    assert parallel.split([7], 2) == [[0]]
    assert parallel.split([], 2) == []
    assert parallel.split([2, 2, 2, 2], 1) == [[0, 1, 2, 3]]


def test_processes_one_a_core_when_even_else_one_a_part_up_to_a_few_a_core() -> None:
    assert parallel.processes([200] * 5, 2) == 5  # 600 : 400 dealt in two: one a brigade
    assert parallel.processes([200] * 15, 2) == 2  # 1600 : 1400 is even enough
    assert parallel.processes([200] * 3, 2) == 3  # 400 : 200, while three share two cores
    # the largest part ends last however the rest is dealt: one process a core
    assert parallel.processes([300, 100, 100], 2) == 2
    assert parallel.processes([900, 100, 100, 100], 2) == 2
    assert parallel.processes([1] * 40 + [100], 2) == 2
    assert parallel.processes([3] * 40, 2) == 2 and parallel.processes([3] * 39, 2) == 2
    assert parallel.processes([200] * 13, 3) == 3 * parallel.PER_CORE  # 1000 : 800 : 800 vs 867
    assert parallel.processes([200] * 50, 1) == 1
    assert parallel.processes([5, 5], 1) == 1 and parallel.processes([5, 5], 0) == 1
    assert parallel.processes([], 4) == 1 and parallel.processes([7], 4) == 1
    assert parallel.processes([3, 3], 4) == 2


def _pid_and_square(x: int) -> tuple[int, int]:
    return os.getpid(), x * x


def test_run_parts_keeps_the_order_and_ships_what_workers_send() -> None:
    out = parallel.run_parts(_pid_and_square, [1, 2, 3], ship=lambda r: (r[0], -r[1]))
    assert [v for _, v in out] == [-1, -4, -9]  # every part in a worker, shipped
    assert os.getpid() not in {pid for pid, _ in out}
    assert len({pid for pid, _ in out}) == 3
    # one part runs here, as it is
    assert parallel.run_parts(_pid_and_square, [4], ship=lambda r: (r[0], -r[1])) == [
        (os.getpid(), 16)
    ]


def _slow_square(x: int) -> int:
    time.sleep(0.3 if x == 1 else 0)
    return x * x


def test_run_parts_gives_the_results_in_the_parts_order_whichever_ends_first() -> None:
    assert parallel.run_parts(_slow_square, [1, 2, 3]) == [1, 4, 9]  # the first ends last


def _ends_later(x: int) -> tuple[int, float]:
    time.sleep(0.5)
    return os.getpid(), time.time()


def test_meanwhile_runs_here_while_the_workers_work_and_not_for_a_single_part() -> None:
    ran: list[tuple[int, float]] = []

    def meanwhile() -> None:
        ran.append((os.getpid(), time.time()))

    out = parallel.run_parts(_ends_later, [1, 2], meanwhile=meanwhile)
    assert [pid for pid, _ in ran] == [os.getpid()] and os.getpid() not in dict(out)
    assert ran[0][1] < min(end for _, end in out)  # before the workers were done
    assert parallel.run_parts(_pid_and_square, [3], meanwhile=meanwhile) == [(os.getpid(), 9)]
    assert len(ran) == 1


def _fails(x: int) -> int:
    if x == 2:
        raise InputError([Problem("d.yaml", 3, 5, "brigades: unknown")])
    return x


def test_a_workers_error_reaches_the_caller_whole() -> None:
    with pytest.raises(InputError) as caught:
        parallel.run_parts(_fails, [1, 2])
    assert caught.value.problems == [Problem("d.yaml", 3, 5, "brigades: unknown")]


def _fails_at(x: int) -> int:
    if x > 1:
        time.sleep(0.3 if x == 2 else 0)  # the later part fails first
        raise ValueError(f"part {x}")
    return x


def test_of_several_errors_the_first_parts_is_raised() -> None:
    with pytest.raises(ValueError, match="part 2"):
        parallel.run_parts(_fails_at, [1, 2, 3])


def _dies(x: int) -> int:
    if x == 2:
        os._exit(3)
    return x


def test_a_worker_that_dies_is_an_error_not_a_hang() -> None:
    with pytest.raises(RuntimeError, match=r"died \(3\)"):
        parallel.run_parts(_dies, [1, 2])


def test_the_joint_plan_is_the_same_on_one_core_or_several(tmp_path: Path) -> None:
    loaded = load_district(several_brigades(tmp_path))
    assert {m.brigade for m in loaded.members} == {"b1", "b2", "b3", None}
    one = plan_district(loaded, {}, cores=1)
    assert one.moved  # the capacities do move activities: the comparison is not idle
    assert list(one.brigades) == ["b1", "b2", "b3", "b4"] and one.brigades["b4"] == ()
    for cores in (2, 3, 4):
        several = plan_district(loaded, {}, cores=cores)
        assert json_bytes(district_json(several)) == json_bytes(district_json(one))
        assert [s.plan for s in several.schools] == [s.plan for s in one.schools]
        assert several.notices == one.notices and several.moved == one.moved


def test_the_command_prints_its_plan_once_when_workers_plan_beside_it(tmp_path: Path) -> None:
    """Workers are forked mid-command: what the command had printed comes out once."""
    import json
    import subprocess
    import sys

    path = several_brigades(tmp_path)
    alone = district_json(plan_district(load_district(path), {}, cores=1))
    run = subprocess.run(
        [sys.executable, "-m", "partnership", "district", "plan", str(path), "--json"],
        capture_output=True,
        cwd=tmp_path,
        check=False,
    )
    assert run.returncode in (0, 1), run.stderr.decode()
    assert json.loads(run.stdout) == json.loads(json_bytes(alone))


# ------------------------------------------------------------- ordered: one result at a time


@pytest.mark.parametrize(("items", "workers"), [(0, 2), (1, 2), (2, 2), (7, 2), (7, 3), (5, 1)])
def test_ordered_yields_every_result_in_the_items_order(items: int, workers: int) -> None:
    out = list(parallel.ordered(_pid_and_square, list(range(items)), workers))
    assert [v for _, v in out] == [x * x for x in range(items)]
    pids = {pid for pid, _ in out}
    if min(items, workers) < 2:
        assert pids <= {os.getpid()}  # worked out here
    else:
        assert len(pids) == min(items, workers) and os.getpid() not in pids


def test_ordered_raises_a_workers_error_after_the_results_before_it() -> None:
    got: list[int] = []
    with pytest.raises(InputError) as caught:
        got.extend(parallel.ordered(_fails, [0, 1, 2, 3, 4], 2))
    assert got == [0, 1]
    assert caught.value.problems == [Problem("d.yaml", 3, 5, "brigades: unknown")]
    assert not multiprocessing.active_children()  # the other worker was stopped


def test_ordered_a_worker_that_dies_is_an_error_not_a_hang() -> None:
    with pytest.raises(RuntimeError, match=r"died \(3\)"):
        list(parallel.ordered(_dies, [0, 1, 2, 3], 2))
    assert not multiprocessing.active_children()


def _unpicklable(x: int) -> object:
    return (lambda: x) if x == 1 else x


def test_ordered_a_result_that_cannot_be_sent_says_why() -> None:
    with pytest.raises(RuntimeError, match="pickle"):
        list(parallel.ordered(_unpicklable, [0, 1], 2))


def test_ordered_left_early_stops_its_workers() -> None:
    made = parallel.ordered(_pid_and_square, list(range(20)), 2)
    assert next(made)[1] == 0
    made.close()
    assert not multiprocessing.active_children()


def _slow(x: int) -> int:
    time.sleep(30)
    return x


def test_ordered_starts_its_workers_at_once_and_dropped_stops_them() -> None:
    """Forked before the caller starts any thread (a progress bar's), stopped if unread."""
    made = parallel.ordered(_slow, list(range(6)), 2)
    assert len(multiprocessing.active_children()) == 2  # before anything is read
    began = time.monotonic()
    del made
    assert not multiprocessing.active_children()
    assert time.monotonic() - began < 10  # stopped, not waited for
