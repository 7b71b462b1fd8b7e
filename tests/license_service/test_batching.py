"""Coalescing of concurrent round trips (license/service/batching.py): what
callers submit in one turn of the event loop goes out together, and each
caller gets its own answer or the batch's failure."""

from __future__ import annotations

import asyncio

import pytest

from license.service.batching import Batcher


class Recorder:
    def __init__(self, fail: bool = False):
        self.batches: list[list[int]] = []
        self.fail = fail

    async def run(self, items):
        self.batches.append(list(items))
        await asyncio.sleep(0)  # a round trip
        if self.fail:
            raise ConnectionError("the server went away")
        return [item * 10 for item in items]


async def test_callers_of_one_turn_share_one_batch_and_get_their_own_results():
    recorder = Recorder()
    batcher = Batcher(recorder.run)
    results = await asyncio.gather(*(batcher.submit(n) for n in range(20)))
    assert results == [n * 10 for n in range(20)]
    assert recorder.batches == [list(range(20))]


async def test_a_caller_alone_is_sent_at_once():
    recorder = Recorder()
    batcher = Batcher(recorder.run)
    assert await batcher.submit(1) == 10
    assert await batcher.submit(2) == 20
    assert recorder.batches == [[1], [2]]


async def test_batches_are_cut_at_max_size():
    recorder = Recorder()
    batcher = Batcher(recorder.run, max_size=8)
    results = await asyncio.gather(*(batcher.submit(n) for n in range(20)))
    assert results == [n * 10 for n in range(20)]
    assert [len(batch) for batch in recorder.batches] == [8, 8, 4]


async def test_a_failed_batch_fails_each_of_its_callers():
    batcher = Batcher(Recorder(fail=True).run)
    results = await asyncio.gather(*(batcher.submit(n) for n in range(3)), return_exceptions=True)
    assert all(isinstance(result, ConnectionError) for result in results)


async def test_a_cancelled_caller_leaves_the_others_their_answers():
    recorder = Recorder()
    batcher = Batcher(recorder.run)
    tasks = [asyncio.ensure_future(batcher.submit(n)) for n in range(3)]
    await asyncio.sleep(0)  # all three submitted
    tasks[1].cancel()
    with pytest.raises(asyncio.CancelledError):
        await tasks[1]
    assert [await tasks[0], await tasks[2]] == [0, 20]


async def test_a_batch_with_the_wrong_number_of_results_is_an_error():
    async def short(items):
        return items[:-1]

    batcher = Batcher(short)
    results = await asyncio.gather(batcher.submit(1), batcher.submit(2), return_exceptions=True)
    assert all(isinstance(result, RuntimeError) for result in results)
