#!/usr/bin/env python3
"""Hostile .npz archives (issue 9, defect 5): zip bombs and members that lie about their size.

    python3 Tests/reliability/hostile_npz.py --attrdb .build/release/attrdb      # measure
    python3 Tests/reliability/hostile_npz.py --make FOLDER                        # only write them

Writes each archive (about 1 MB each: 1 GiB of zeros deflates a thousandfold), ingests it with
TMPDIR set to an empty folder and a 64 MB file-size limit (a TMPDIR that fills up), and checks the
ingest is refused with exit 1, peak RSS stays under 300 MB (/usr/bin/time) and TMPDIR is left empty.
make_corpus.py imports `zip_archive` and `npy_header` for the small corpus cases."""
import argparse, json, os, shutil, struct, subprocess, sys, tempfile, zlib

GIB = 1 << 30


def npy_header(descr, shape, version=1):
    """The bytes of an .npy header (magic, version, length, padded dict) for `descr` and `shape`."""
    shape_text = "(" + "".join(f"{n}, " for n in shape).rstrip(" ") + ")" if len(shape) != 1 else f"({shape[0]},)"
    text = f"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape_text}, }}".encode("latin-1")
    length_size = 2 if version == 1 else 4
    text += b" " * ((-(8 + length_size + len(text) + 1)) % 64) + b"\n"
    return b"\x93NUMPY" + bytes([version, 0]) + len(text).to_bytes(length_size, "little") + text


class Member:
    """A zip member: its name, its raw deflate (or stored) bytes, and what its entry declares."""

    def __init__(self, name, raw, size, crc, deflated):
        self.name, self.raw, self.size, self.crc, self.deflated = name, raw, size, crc, deflated

    @staticmethod
    def stored(name, data, declared_size=None, crc=None):
        return Member(name, data, len(data) if declared_size is None else declared_size,
                      zlib.crc32(data) if crc is None else crc, False)

    @staticmethod
    def deflated(name, data, declared_size=None):
        c = zlib.compressobj(9, zlib.DEFLATED, -15)
        return Member(name, c.compress(data) + c.flush(), len(data) if declared_size is None else declared_size,
                      zlib.crc32(data), True)

    @staticmethod
    def bomb(name, head, zero_mib, declared_size=None):
        """`head` then `zero_mib` MiB of zeros, deflated without ever holding them: one block that
        inflates to 1 MiB of zeros, repeated (after a full flush each block stands alone)."""
        c = zlib.compressobj(9, zlib.DEFLATED, -15)
        start = c.compress(head) + c.flush(zlib.Z_FULL_FLUSH)
        mib = bytes(1 << 20)
        block = c.compress(mib) + c.flush(zlib.Z_FULL_FLUSH)
        assert c.compress(mib) + c.flush(zlib.Z_FULL_FLUSH) == block
        crc = zlib.crc32(head)
        for _ in range(zero_mib):
            crc = zlib.crc32(mib, crc)
        size = len(head) + zero_mib * (1 << 20)
        return Member(name, start + block * zero_mib + c.flush(), size if declared_size is None else declared_size, crc, True)


def zip_archive(members):
    """A zip file of `members`, with exactly the sizes and CRCs they declare (no zip64)."""
    out, central = bytearray(), bytearray()
    for m in members:
        name = m.name.encode()
        fields = struct.pack("<HHHHHIIIHH", 20, 0, 8 if m.deflated else 0, 0, 0x21, m.crc & 0xFFFFFFFF,
                             len(m.raw), min(m.size, 0xFFFFFFFF), len(name), 0)
        offset = len(out)
        out += b"PK\x03\x04" + fields + name + m.raw
        central += b"PK\x01\x02" + struct.pack("<H", 20) + fields + struct.pack("<HHHII", 0, 0, 0, 0, offset) + name
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(out), 0)
    return bytes(out + central + end)


def axes_for(checkpoints, coefficients, components):
    return {"checkpoint_steps": list(range(checkpoints)), "coefficients": [float(j) for j in range(coefficients)],
            "metric": "logit_diff",
            "components": [{"label": f"L0N{p}", "layer": 0, "kind": "neuron", "index": p} for p in range(components)]}


def text_member(name, text):
    data = text.encode("utf-32-le")
    return Member.stored(name, npy_header(f"<U{len(text)}", ()) + data)


def archives():
    """name -> (archive bytes, the error's start, with {path}): the hostile cases."""
    small = axes_for(2, 3, 4)
    small_array = Member.stored("attributions.npy", npy_header("<f4", (2, 3, 4)) + bytes(96))
    big = axes_for(1024, 256, 1024)
    head = npy_header("<U268435456", ())
    return {
        # An axes member that declares a 1 GiB string and inflates to it from 1 MB.
        "axes-bomb.npz": (zip_archive([Member.bomb("axes.npy", head, 1024), small_array]),
                          "attrdb: {path} (member axes): byte 20: expected a text member of at most 64 MiB, found '<U268435456' of shape (), 1073741824 bytes"),
        # One that claims 4 GiB.
        "axes-4gib.npz": (zip_archive([Member.bomb("axes.npy", npy_header("<U1073741824", ()), 1), small_array]),
                          "attrdb: {path} (member axes): byte 20: expected a text member of at most 64 MiB, found '<U1073741824' of shape (), 4294967296 bytes"),
        # A genuine 1 GiB array, as the axes ask: it is spilled to TMPDIR, which fills up (ulimit -f).
        "array-1gib.npz": (zip_archive([text_member("axes.npy", json.dumps(big)),
                                        Member.bomb("attributions.npy", npy_header("<f4", (1024, 256, 1024)), 1024)]),
                           "attrdb: {path} (member attributions): cannot extract to a temporary file in {tmp} (File too large) after "),
        # An array member whose entry declares 224 bytes and that inflates to 1 GiB.
        "array-lies.npz": (zip_archive([text_member("axes.npy", json.dumps(small)),
                                        Member.bomb("attributions.npy", npy_header("<f4", (2, 3, 4)), 1024, declared_size=128 + 96)]),
                           "attrdb: {path} (member attributions): expected 224 bytes, as its zip entry declares, found more (it inflates past them)"),
    }


def peak(command, env):
    report = tempfile.NamedTemporaryFile(delete=False)
    report.close()
    result = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", report.name, "/bin/sh", "-c", 'ulimit -f 65536; exec "$@"', "sh"] + command,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    kilobytes = int(open(report.name).read().split()[-1])
    os.remove(report.name)
    return result.returncode, result.stderr, kilobytes / 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--attrdb")
    parser.add_argument("--make", help="only write the archives into this folder")
    args = parser.parse_args()
    if args.make:
        for name, (data, _) in archives().items():
            open(os.path.join(args.make, name), "wb").write(data)
        return
    work = tempfile.mkdtemp(prefix="attrdb-hostile-npz-")
    failed = False
    try:
        tmp = os.path.join(work, "tmp")
        os.makedirs(tmp)
        env = dict(os.environ, TMPDIR=tmp)
        for name, (data, expected) in archives().items():
            path = os.path.join(work, name)
            open(path, "wb").write(data)
            status, stderr, mb = peak([args.attrdb, "--db", os.path.join(work, "s.sqlite"), "ingest", path, "--run", "r"], env)
            left = os.listdir(tmp)
            ok = status == 1 and stderr.startswith(expected.format(path=path, tmp=tmp.rstrip("/"))) and mb < 300 and not left
            failed |= not ok
            print(f"  {name:<16} {len(data) / 1e6:5.2f} MB  exit {status}  peak RSS {mb:6.1f} MB  TMPDIR {'empty' if not left else left}  {'PASS' if ok else 'FAIL: ' + stderr.strip()}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"hostile npz: {'PASS' if not failed else 'FAIL'} (exit 1, peak RSS < 300 MB, TMPDIR left empty)")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
