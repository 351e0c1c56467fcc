"""Re-vendor GraphiQL's assets: ``python -m coordhub.web.graphiql_vendor`` (``make
graphiql-assets``).

For each package pinned in ``coordhub.web.graphiql`` it runs ``npm pack <package>@<version>``
(npm's ordinary client and registry), refuses a tarball whose integrity is not the pinned one,
and writes the pinned files and licence files to ``static/graphiql/<package>-<version>/``,
replacing what was there, then ``static/graphiql/SHA256SUMS``. To move to a new version, change
the version and the integrity (``npm view <package>@<version> dist.integrity``) in
``coordhub/web/graphiql.py``, run this, and check the page (``tests/test_surface.py``).
"""

from __future__ import annotations

import base64
import hashlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from coordhub.web.graphiql import CHECKSUMS, LICENCE_ONLY, STATIC_DIR, VENDORED


def npm_pack(spec: str, integrity: str, into: Path) -> Path:
    """The npm tarball of ``spec``, checked against ``integrity`` (``sha512-<base64>``)."""
    done = subprocess.run(
        ["npm", "pack", spec, "--silent", "--pack-destination", str(into)],
        check=True,
        capture_output=True,
        text=True,
    )
    tarball = into / done.stdout.strip().splitlines()[-1]
    algorithm, _, expected = integrity.partition("-")
    digest = base64.b64encode(hashlib.new(algorithm, tarball.read_bytes()).digest()).decode()
    if digest != expected:
        raise SystemExit(f"{spec}: tarball integrity {algorithm}-{digest}, pinned {integrity}")
    return tarball


def member(tarball: Path, path: str) -> bytes:
    with tarfile.open(tarball) as archive:
        extracted = archive.extractfile(path)
        if extracted is None:
            raise SystemExit(f"{tarball.name}: {path} is not a file")
        return extracted.read()


def checksums(root: Path) -> str:
    lines = [
        f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.relative_to(root).as_posix()}"
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.parent != root
    ]
    return "\n".join(lines) + "\n"


def vendor(root: Path = STATIC_DIR) -> None:
    integrities = {p.spec: p.integrity for p in VENDORED} | LICENCE_ONLY
    with tempfile.TemporaryDirectory(prefix="coordhub-graphiql-") as scratch:
        tarballs: dict[str, Path] = {}

        def tarball(spec: str) -> Path:
            if spec not in tarballs:
                tarballs[spec] = npm_pack(spec, integrities[spec], Path(scratch))
            return tarballs[spec]

        for package in VENDORED:
            folder = root / package.folder
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            for name, path in package.files.items():
                (folder / name).write_bytes(member(tarball(package.spec), path))
            for name, (spec, path) in package.licences.items():
                (folder / name).write_bytes(member(tarball(spec), path))
            print(f"{package.spec} -> {folder.relative_to(root.parent)}")
    kept = {package.folder for package in VENDORED}
    for stale in root.iterdir():
        if stale.is_dir() and stale.name not in kept:
            shutil.rmtree(stale)
    (root / CHECKSUMS).write_text(checksums(root))


if __name__ == "__main__":
    vendor(Path(sys.argv[1]) if len(sys.argv) > 1 else STATIC_DIR)
