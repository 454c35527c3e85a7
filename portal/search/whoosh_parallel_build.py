"""Building a whoosh index on every core: forked workers each write one segment."""

from __future__ import annotations

import multiprocessing
import queue as queue_module
import shutil
import traceback
from collections.abc import Iterable
from pathlib import Path

from whoosh import index as windex
from whoosh.index import TOC

from .documents import Document
from .whoosh_bulk_writer import BulkWriter
from .whoosh_fields import document_fields


def build_parallel(ix, directory: Path, documents: Iterable[Document], workers: int,
                   progress, batch_size: int) -> int:
    """Write `documents` into `ix` from `workers` forked processes, `batch_size` at a time; return the count."""
    context = multiprocessing.get_context("fork")
    jobs, results = context.Queue(maxsize=workers * 4), context.Queue()
    processes = [context.Process(target=_write_part, args=(str(directory), i, jobs, results), daemon=True)
                 for i in range(workers)]
    for process in processes:
        process.start()
    segments, failures, done, count = {}, [], 0, 0

    def drain(block: bool):
        nonlocal done
        while done < workers:
            try:
                message = results.get(timeout=600) if block else results.get_nowait()
            except queue_module.Empty:
                return
            if message[0] == "progress":
                if progress:
                    progress(message[1])
            elif message[0] == "segment":
                segments[message[1]] = message[2]
                done += 1
            else:
                failures.append(message[2])
                done += 1

    try:
        batch: list[Document] = []
        for doc in documents:
            batch.append(doc)
            count += 1
            if len(batch) == batch_size:
                jobs.put(batch)
                batch = []
                drain(block=False)
        if batch:
            jobs.put(batch)
        for _ in processes:
            jobs.put(None)
        drain(block=True)
    finally:
        for process in processes:
            process.join(timeout=60)
            if process.is_alive():
                process.kill()
    if failures:
        raise RuntimeError("index build failed:\n" + "\n".join(failures))
    written = [segments[i] for i in sorted(segments) if segments[i].doc_count_all()]
    toc = TOC(ix.schema, written, 1)
    toc.write(ix.storage, ix.indexname)
    shutil.rmtree(directory / f"{ix.indexname}.tmp", ignore_errors=True)
    return count


def _write_part(directory: str, part: int, jobs, results) -> None:
    """A forked worker: write one segment from the batches it takes until it is told to stop."""
    try:
        ix = windex.open_dir(directory)
        writer = BulkWriter(ix, _lk=False)
        while (batch := jobs.get()) is not None:
            for doc in batch:
                writer.add_document(**document_fields(doc))
            results.put(("progress", len(batch)))
        segment = writer._finalize_segment()  # the parent removes the shared temporary folder
        results.put(("segment", part, segment))
    except BaseException:
        results.put(("error", part, traceback.format_exc()))
