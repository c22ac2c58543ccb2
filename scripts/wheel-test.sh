#!/usr/bin/env bash
# make wheel-test: installs the wheel from dist/ into a fresh virtualenv and runs its bundled attrdb with
# no Swift toolchain on PATH and no $ATTRDB_BIN; fails if ldd shows any Swift library beside the binary's
# allowed system ones (glibc, libsqlite3, zlib, libzstd — zlib1g and libzstd1 are Priority: required in
# Debian, so only libsqlite3 can be missing on a GPU node).
set -euo pipefail
PYTHON=${PYTHON:-python3}
wheel=$(ls -t dist/attrdb-*.whl | head -1)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$PYTHON" -m venv "$work/venv"
"$work/venv/bin/pip" install -q "$wheel"
bundled=$("$work/venv/bin/python3" -c 'import attrdb, os; print(os.path.join(os.path.dirname(attrdb.__file__), "_bin", "attrdb"))')
echo "ldd $bundled:"
ldd "$bundled" | tee "$work/ldd"
if grep -i swift "$work/ldd"; then echo "FAIL: the bundled attrdb links a Swift library"; exit 1; fi
unexpected=$(grep -vE '^\s*(linux-vdso|/lib64/ld-linux|libc\.so|libm\.so|libdl\.so|libpthread\.so|librt\.so|libutil\.so|libsqlite3\.so|libz\.so|libzstd\.so|libstdc\+\+\.so|libgcc_s\.so)' "$work/ldd" || true)
if [ -n "$unexpected" ]; then echo "FAIL: unexpected libraries:"; echo "$unexpected"; exit 1; fi
# A PATH with no Swift toolchain (only the system's and the virtualenv's binaries), no $ATTRDB_BIN.
cd "$work"
env -i HOME="$work" PATH="$work/venv/bin:/usr/bin:/bin" "$work/venv/bin/python3" - <<'PY'
import shutil, numpy as np, attrdb
assert shutil.which("swift") is None, "the toolchain is still on PATH"
assert attrdb.find_binary().endswith("_bin/attrdb"), attrdb.find_binary()
store = attrdb.open("wheel.sqlite")
with store.recorder("r", coefficients=[-1.0, 0.0, 1.0], components=["L0H0", "0_mlp_out", "embed"], metric="m") as rec:
    for step in range(3):
        rec.log(step, np.full((3, 3), step, np.float32))
array, axes = store.values("r", as_numpy=True)
assert array.shape == (3, 3, 3) and (array[2] == 2).all()
print("wheel-test: the bundled attrdb logged and read back a run without Swift on PATH")
PY
