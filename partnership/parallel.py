"""Independent parts of a computation on more than one core: forked workers, results in order.

District mode plans each brigade's schools apart from every other brigade's, so the
brigades can be split over the machine's cores (:func:`run_parts`); `build` and
`district build` render each agreement's files apart from the others' (:func:`ordered`).
Workers are forked (they inherit what the caller has loaded and planned, nothing is sent
to them) and send their results back pickled. Where forking is not safe or not possible
(Windows, macOS, a process with threads) everything runs here, one part after another:
the results are the same either way, only the time differs. The district solver's LPs
run HiGHS's serial simplex, so a worker never waits on solver threads it did not inherit.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sys
import threading
import weakref
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

P = TypeVar("P")
R = TypeVar("R")


def cores() -> int:
    """How many parts may run at once: the CPUs this process may use, 1 where it cannot fork."""
    if sys.platform != "linux" or threading.active_count() > 1:
        return 1
    return max(1, len(os.sched_getaffinity(0)))


# at most this many processes a core: enough for parts of unequal size to end together
# (five brigades on two cores), few enough that their memory and switching stay small
PER_CORE = 4
# dealt one share a core, parts this much above an even share are worth more processes
UNEVEN = 1.1


def processes(weights: Sequence[int], cores: int) -> int:
    """How many processes parts of these weights should be dealt over: one a core when that
    deals them evenly, or when the largest part alone takes longer than any share; else one
    a part, up to :data:`PER_CORE` a core, as the system then shares the cores among them and
    unequal shares end together (five equal parts in two shares split 3 : 2). More processes
    than cores cost time of their own (at 3000 schools in 15 brigades, 8 processes took
    14 % longer than 2), so only where shares are uneven."""
    if cores <= 1 or len(weights) <= 1:
        return 1
    heaviest = max(sum(weights[i] for i in g) for g in split(weights, cores))
    # no plan ends before its largest part: shares within that, or an even share, are even
    if heaviest <= UNEVEN * max(sum(weights) / cores, max(weights)):
        return min(cores, len(weights))
    return min(len(weights), PER_CORE * cores)


def split(weights: Sequence[int], parts: int) -> list[list[int]]:
    """Indices of ``weights`` in at most ``parts`` groups of about equal total weight
    (heaviest first, each to the lightest group so far; ties by index: deterministic)."""
    groups: list[list[int]] = [[] for _ in range(max(1, min(parts, len(weights))))]
    totals = [0] * len(groups)
    for i in sorted(range(len(weights)), key=lambda i: (-weights[i], i)):
        g = min(range(len(groups)), key=lambda g: (totals[g], g))
        groups[g].append(i)
        totals[g] += weights[i]
    return [sorted(g) for g in groups if g]


def run_parts(
    work: Callable[[P], R],
    parts: Sequence[P],
    *,
    ship: Callable[[R], R] = lambda r: r,
    meanwhile: Callable[[], object] = lambda: None,
) -> list[R]:
    """``work`` of every part, in the parts' order: each part in a forked worker whose
    result goes through ``ship`` (to leave out what the caller has) before it is sent;
    here, ``meanwhile`` runs once they are started, and results are read as they come,
    so one is unpacked while others are still at work. A single part runs here,
    unshipped, and ``meanwhile`` not at all. After an error every worker is heard, and
    the error of the first part that failed is raised: the same one on every run."""
    if len(parts) < 2:
        return [work(p) for p in parts]
    from multiprocessing.connection import wait

    with _forked([(_worker, (work, ship, part)) for part in parts]) as started:
        meanwhile()
        pending = {receive: k for k, (_, receive) in enumerate(started)}
        results: dict[int, Any] = {}
        failed: dict[int, Exception] = {}
        while pending:
            for ready in wait(list(pending)):
                k = pending.pop(ready)
                try:
                    results[k] = _received(*started[k])
                except Exception as exc:  # raised below: the first failed part's
                    failed[k] = exc
        if failed:
            raise failed[min(failed)]
        return [results[k] for k in range(len(parts))]


def ordered(work: Callable[[P], R], items: Sequence[P], workers: int) -> Iterator[R]:
    """``work`` of each item, yielded in the items' order, made by up to ``workers`` forked
    workers (worker ``j`` takes items ``j``, ``j + workers``, ...); here, one by one, with
    fewer than two items or workers. Each result is sent as soon as it is made, and a
    worker waits while the one before it in the order is read, so the caller holds one
    result at a time (a build's files are staged on disk as they come).

    The workers start at once, so that a caller can start threads after (a progress
    bar's): none is forked beside a thread. They stop when the results are read to the
    end, or the iterator is closed or dropped.
    """
    workers = min(workers, len(items))
    if workers < 2:
        return (work(item) for item in items)
    stack = contextlib.ExitStack()
    started = stack.enter_context(
        _forked([(_streamer, (work, items[j::workers])) for j in range(workers)])
    )
    results = _in_order(stack, started, len(items))
    weakref.finalize(results, stack.close)  # also when the caller never reads
    return results


def _in_order(stack: contextlib.ExitStack, started: list[Any], count: int) -> Iterator[Any]:
    """The workers' results as they come, in order; the workers stopped after."""
    with stack:
        for k in range(count):
            yield _received(*started[k % len(started)])


@contextlib.contextmanager
def _forked(jobs: Sequence[tuple[Callable[..., None], tuple[Any, ...]]]) -> Iterator[list[Any]]:
    """A forked worker for each (target, arguments), the sending end of a pipe of its own
    passed last; yields (worker, receiving end) pairs, and stops and reaps every worker on
    leaving (also by an error, or a caller that stops reading)."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    # a worker flushes its copy of these buffers when it ends: empty them first, or what
    # the command had written so far would come out twice
    sys.stdout.flush()
    sys.stderr.flush()
    started: list[tuple[Any, Any]] = []
    try:
        for target, args in jobs:
            receive, send = ctx.Pipe(duplex=False)
            worker = ctx.Process(target=target, args=(*args, send), daemon=True)
            worker.start()
            send.close()
            started.append((worker, receive))
        yield started
    finally:
        for worker, receive in started:
            receive.close()
            if worker.is_alive():
                worker.terminate()
            worker.join()


def _received(worker: Any, receive: Any) -> Any:
    """The next result a worker sent; the exception it raised is raised here."""
    try:
        ok, value = pickle.loads(receive.recv_bytes())
    except EOFError:
        worker.join()
        raise RuntimeError(f"a worker process died ({worker.exitcode})") from None
    if not ok:
        raise value
    return value


def _streamer(work: Callable[[Any], Any], items: Sequence[Any], send: Any) -> None:
    """In a forked worker: ``work`` of each item, each result sent as soon as it is made;
    after an error, the error (and nothing more)."""
    for item in items:
        try:
            answer: tuple[bool, Any] = (True, work(item))
        except BaseException as exc:  # the caller re-raises it where it can be translated
            answer = (False, exc)
        _send(send, answer)
        if not answer[0]:
            break
    send.close()


def _send(send: Any, answer: tuple[bool, Any]) -> None:
    """Send one answer, pickled; one that does not pickle goes as an error saying so."""
    try:
        data = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:  # an exception that does not pickle: its text still goes back
        data = pickle.dumps((False, RuntimeError(repr(exc))), protocol=pickle.HIGHEST_PROTOCOL)
    send.send_bytes(data)


def _worker(work: Callable[[Any], Any], ship: Callable[[Any], Any], part: Any, send: Any) -> None:
    """In a forked worker: run ``work`` and send back its result or the exception it raised."""
    try:
        answer: tuple[bool, Any] = (True, ship(work(part)))
    except BaseException as exc:  # the caller re-raises it where it can be translated
        answer = (False, exc)
    _send(send, answer)
    send.close()
