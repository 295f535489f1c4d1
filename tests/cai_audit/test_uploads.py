"""Import files are read as capped streams: the cap counts what a gzip file unpacks to, and a
request larger than the biggest import is refused before anything reads it."""

import gzip
import io
import threading
import zlib

import psutil
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cai_audit.errors import ImportProblems
from cai_audit.uploads import import_stream, read_capped


def gzip_bomb(unpacked_mb: int, line: bytes = b"\n") -> bytes:
    """A gzip file of `unpacked_mb` MB of `line`s, built in 1 MB steps (never held whole)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    step = line * (1_000_000 // len(line))
    return b"".join(packer.compress(step) for _ in range(unpacked_mb)) + packer.flush()


class PeakRss:
    """The process's peak resident memory while the block runs, sampled every 5 ms."""

    def __enter__(self):
        self.process = psutil.Process()
        self.start = self.peak = self.process.memory_info().rss
        self.running = True
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()
        return self

    def _sample(self):
        while self.running:
            self.peak = max(self.peak, self.process.memory_info().rss)
            threading.Event().wait(0.005)

    def __exit__(self, *exc):
        self.running = False
        self.thread.join()
        self.growth_mb = (self.peak - self.start) / 1e6


def test_plain_and_gzipped_content_read_the_same():
    content = b'{"a": 1}\n' * 1000
    assert read_capped(content, limit=len(content)) == content
    assert read_capped(gzip.compress(content), limit=len(content)) == content
    assert read_capped(SimpleUploadedFile("x.gz", gzip.compress(content)), limit=10**6) == content


def test_a_file_over_the_limit_is_refused_by_its_size_before_reading():
    with pytest.raises(ImportProblems) as caught:
        read_capped(SimpleUploadedFile("x.jsonl", b"x" * 2001), limit=2000)
    assert caught.value.problems == ["the file is 2,001 bytes; the limit is 2,000 bytes"]


def test_a_gzip_bomb_is_refused_when_it_unpacks_past_the_limit_without_growing_memory():
    bomb = gzip_bomb(100)  # 100 MB of newlines in ~100 KB
    assert len(bomb) < 200_000
    with (
        PeakRss() as rss,
        pytest.raises(ImportProblems) as caught,
        import_stream(bomb, limit=50_000_000) as stream,
    ):
        while stream.read(1 << 16):
            pass
    assert caught.value.problems == ["the file decompresses to more than 50 MB; the limit is 50 MB"]
    assert rss.growth_mb < 50, rss.growth_mb


def test_a_broken_gzip_file_is_a_clear_refusal():
    truncated = gzip.compress(b"hello\n" * 1000)[:-20]
    with pytest.raises(ImportProblems) as caught:
        read_capped(truncated, limit=10**6)
    assert caught.value.message == "Nothing was imported: the file is not a valid gzip file."
    garbage = b"\x1f\x8b" + b"not gzip at all"
    with pytest.raises(ImportProblems):
        read_capped(io.BytesIO(garbage), limit=10**6)


def test_a_request_larger_than_the_limit_gets_413_before_it_is_read(client, settings, editor):
    settings.CAI_REQUEST_MAX_BYTES = 10_000
    client.force_login(editor)
    upload = SimpleUploadedFile("big.jsonl", b"x" * 20_000)
    page = client.post("/labeling/items/", {"file": upload})
    assert page.status_code == 413
    assert page["Content-Type"].startswith("text/plain")
    assert "the limit is 10,000 bytes" in page.content.decode()
    api = client.post("/api/item-sets/", {"file": SimpleUploadedFile("b.jsonl", b"x" * 20_000)})
    assert api.status_code == 413
    assert "the limit is 10,000 bytes" in api.json()["detail"]
    small = client.post("/api/item-sets/", {"file": SimpleUploadedFile("s.jsonl", b"{}")})
    assert small.status_code == 400  # read and refused by the importer, not by its size
