"""The persistent compile cache: a later compilation (here or in another
process) loads the stored object instead of compiling; bad entries are
reported and rebuilt; an unusable directory means no cache; a size cap
evicts the least recently used entries."""

import os
import subprocess
import sys

import numpy as np
import pytest

import flow_mlir as flow
from flowref import assert_close_to_torch

TEXT = """
func.func @main(%x: tensor<?x3x4x5xf32>, %w: tensor<3x2x3x2xf32>,
                %b: tensor<2xf32>) -> tensor<?x2x9x6xf32> {
  %y = flow.conv_transpose2d %x, %w, %b {stride = array<i64: 2, 1>}
       : (tensor<?x3x4x5xf32>, tensor<3x2x3x2xf32>, tensor<2xf32>)
       -> tensor<?x2x9x6xf32>
  return %y : tensor<?x2x9x6xf32>
}
"""


def arrays(n=2, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.uniform(-1, 1, (n, 3, 4, 5)).astype(np.float32),
            rng.uniform(-1, 1, (3, 2, 3, 2)).astype(np.float32),
            rng.uniform(-1, 1, (2,)).astype(np.float32))


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    d = tmp_path / "cache"
    monkeypatch.setenv("FLOW_CACHE_DIR", str(d))
    monkeypatch.delenv("FLOW_CACHE_MAX_BYTES", raising=False)
    flow.set_disk_cache(True)
    return d


def entries(d):
    return sorted(p for p in d.glob("*.flowcache")) if d.exists() else []


def run_checked(text=TEXT, seed=0):
    x, w, b = arrays(seed=seed)
    y = flow.compile(text, cache=False)(x, w, b)
    assert_close_to_torch(y, x, w, b, stride=(2, 1))


def delta(before):
    after = flow.disk_cache_info()
    return {k: getattr(after, k) - getattr(before, k)
            for k in ("hits", "misses", "stores", "rejected", "evictions")}


def test_second_compilation_loads_the_stored_object(cache_dir):
    info = flow.disk_cache_info()
    assert info.directory == str(cache_dir)
    run_checked()
    assert delta(info) == {"hits": 0, "misses": 1, "stores": 1,
                           "rejected": 0, "evictions": 0}
    assert len(entries(cache_dir)) == 1
    info = flow.disk_cache_info()
    run_checked(seed=1)
    assert delta(info) == {"hits": 1, "misses": 0, "stores": 0,
                           "rejected": 0, "evictions": 0}
    # another strategy, entry or source is another key
    info = flow.disk_cache_info()
    flow.compile(TEXT, strategy="zero-insert", cache=False)
    flow.compile(TEXT.replace("@main", "@f"), entry="f", cache=False)
    assert delta(info)["misses"] == 2 and len(entries(cache_dir)) == 3


def test_another_process_hits(cache_dir):
    script = (
        "import numpy as np, flow_mlir as flow, sys\n"
        f"text = {TEXT!r}\n"
        "x = np.linspace(-1, 1, 2*3*4*5, dtype=np.float32).reshape(2,3,4,5)\n"
        "w = np.linspace(-1, 1, 36, dtype=np.float32).reshape(3,2,3,2)\n"
        "y = flow.compile(text)(x, w, np.ones(2, np.float32))\n"
        "i = flow.disk_cache_info()\n"
        "print(i.hits, i.misses, i.stores, repr(y.sum()))\n")
    env = dict(os.environ, FLOW_CACHE_DIR=str(cache_dir))

    def run():
        return subprocess.run([sys.executable, "-c", script], env=env,
                              check=True, capture_output=True,
                              text=True).stdout.split()

    first, second = run(), run()
    assert first[:3] == ["0", "1", "1"]
    assert second[:3] == ["1", "0", "0"]
    assert first[3] == second[3]


def test_switch_and_off(cache_dir, monkeypatch):
    try:
        flow.set_disk_cache(False)
        assert flow.disk_cache_info().directory is None
        run_checked()
        assert not cache_dir.exists()
    finally:
        flow.set_disk_cache(True)
    monkeypatch.setenv("FLOW_CACHE_DIR", "off")
    run_checked()
    assert not cache_dir.exists()


@pytest.mark.parametrize("damage", ["flip", "truncate", "header", "foreign",
                                    "empty"])
def test_bad_entry_is_reported_and_rebuilt(cache_dir, capfd, damage):
    run_checked()
    other = TEXT.replace("@main", "@g")
    flow.compile(other, entry="g", cache=False)
    [mine, theirs] = [p for p in entries(cache_dir)]
    # tell the two apart: reload mine and see which file's time changes
    os.utime(mine, (1, 1))
    os.utime(theirs, (1, 1))
    run_checked()
    if os.stat(mine).st_mtime == 1:
        mine, theirs = theirs, mine
    data = mine.read_bytes()
    if damage == "flip":
        data = data[:500] + bytes([data[500] ^ 1]) + data[501:]
    elif damage == "truncate":
        data = data[:len(data) // 2]
    elif damage == "header":
        data = data[:30]
    elif damage == "foreign":
        data = theirs.read_bytes()
    else:
        data = b""
    mine.write_bytes(data)
    capfd.readouterr()
    info = flow.disk_cache_info()
    run_checked()
    err = capfd.readouterr().err
    assert err.count("warning: ignoring compile-cache entry") == 1, err
    assert delta(info) == {"hits": 0, "misses": 1, "stores": 1,
                           "rejected": 1, "evictions": 0}
    # rebuilt: the next compilation hits
    info = flow.disk_cache_info()
    run_checked()
    assert delta(info)["hits"] == 1 and capfd.readouterr().err == ""


def test_unwritable_directory_means_no_cache(tmp_path, monkeypatch, capfd):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("FLOW_CACHE_DIR", str(blocker / "sub"))
    info = flow.disk_cache_info()
    run_checked()
    assert capfd.readouterr().err == ""
    assert delta(info)["stores"] == 0


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes read-only dirs")
def test_read_only_directory(cache_dir, capfd):
    run_checked()
    os.chmod(cache_dir, 0o500)
    try:
        info = flow.disk_cache_info()
        run_checked()  # hits
        flow.compile(TEXT, strategy="zero-insert", cache=False)  # no store
        assert delta(info)["hits"] == 1 and delta(info)["stores"] == 0
        assert capfd.readouterr().err == ""
    finally:
        os.chmod(cache_dir, 0o700)


def test_concurrent_processes_compile_the_same_key(cache_dir):
    script = (
        "import numpy as np, flow_mlir as flow\n"
        f"text = {TEXT!r}\n"
        "x = np.ones((2, 3, 4, 5), np.float32)\n"
        "y = flow.compile(text)(x, np.ones((3, 2, 3, 2), np.float32),\n"
        "                       np.zeros(2, np.float32))\n"
        "print(repr(float(y.sum())))\n")
    env = dict(os.environ, FLOW_CACHE_DIR=str(cache_dir))
    procs = [subprocess.Popen([sys.executable, "-c", script], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(3)]
    outs = [p.communicate() for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    assert all(err == "" for _, err in outs), outs
    x, w, b = (np.ones((2, 3, 4, 5), np.float32),
               np.ones((3, 2, 3, 2), np.float32), np.zeros(2, np.float32))
    ref = flow.compile(TEXT, cache=False)(x, w, b)
    assert_close_to_torch(ref, x, w, b, stride=(2, 1))
    assert {out for out, _ in outs} == {repr(float(ref.sum())) + "\n"}
    assert len(entries(cache_dir)) == 1
    assert not [p for p in cache_dir.iterdir() if ".tmp-" in p.name]


def test_size_cap_evicts_least_recently_used(cache_dir, monkeypatch):
    texts = [TEXT.replace("@main", f"@f{i}") for i in range(3)]
    flow.compile(texts[0], entry="f0", cache=False)
    size = os.path.getsize(entries(cache_dir)[0])
    # room for two entries of about this size
    monkeypatch.setenv("FLOW_CACHE_MAX_BYTES", str(int(size * 2.5)))
    first = entries(cache_dir)[0]
    os.utime(first, (1, 1))
    flow.compile(texts[1], entry="f1", cache=False)
    second = [p for p in entries(cache_dir) if p != first][0]
    os.utime(second, (2, 2))
    flow.compile(texts[0], entry="f0", cache=False)  # a hit refreshes f0
    info = flow.disk_cache_info()
    flow.compile(texts[2], entry="f2", cache=False)
    assert delta(info)["evictions"] == 1
    left = entries(cache_dir)
    assert len(left) == 2 and first in left and second not in left
