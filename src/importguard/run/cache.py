"""Per-file facts cached by content hash, as JSON (never pickle: a cache file committed by a pull
request must not be able to run code in CI).

An entry's key hashes the file's bytes, importguard's version and the options that change facts
(`ParseOptions`: `type-checking-names`, the file's target version, `max-file-size`). Entries are
written to a temporary file and renamed into place, so a concurrent run or Ctrl-C never leaves a
half-written entry; an entry that cannot be read, parsed or validated is treated as missing and
rewritten. The folder carries a `.gitignore` (`*`) and a `CACHEDIR.TAG`, so git and backup tools
skip it.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Dict, Optional

from importguard import __version__
from importguard.facts.model import FileFacts
from importguard.facts.parse_options import ParseOptions

CACHE_FOLDER = ".importguard_cache"
FORMAT = "facts-v9"  # v9: the options part of a key is `ParseOptions.cache_text()`
MANIFEST = "manifest.json"
MAX_ENTRY_BYTES = 16 * 1024 * 1024  # far above the facts of any file under `max-file-size`
CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by importguard.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)


def cache_folder(root: Path, configured: Optional[Path]) -> Path:
    return configured if configured is not None else root / CACHE_FOLDER


def entry_key(data: bytes, options: ParseOptions) -> str:
    digest = hashlib.sha256()
    digest.update(f"importguard {__version__} {FORMAT} {options.cache_text()}\n".encode())
    digest.update(data)
    return digest.hexdigest()


class FactsCache:
    """Read and write cache entries under one folder; every failure degrades to a miss."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.entries = folder / FORMAT
        self.writable = True
        self._labels: Dict[ParseOptions, str] = {}
        self._manifest: Optional[Dict[str, list]] = None
        self._manifest_changed = False

    # -- the manifest: path -> (mtime, size, options, key) of the bytes last seen ------------------

    @property
    def manifest(self) -> Dict[str, list]:
        if self._manifest is None:
            try:
                loaded = json.loads((self.entries / MANIFEST).read_bytes())
                self._manifest = loaded if isinstance(loaded, dict) else {}
            except Exception:  # noqa: BLE001 - missing or damaged: start a new one
                self._manifest = {}
        return self._manifest

    def label(self, options: ParseOptions) -> str:
        """How the manifest writes a file's options: a digest of their key text, worked out once
        per distinct options (the text itself made Django's manifest half as big again)."""
        if options not in self._labels:
            self._labels[options] = hashlib.sha256(options.cache_text().encode()).hexdigest()[:16]
        return self._labels[options]

    def known_key(self, path: str, stat: Optional[os.stat_result], options: ParseOptions) -> Optional[str]:
        """The key of `path`'s bytes when its size, modification time and options are those last
        seen: the file need not be read and hashed again. Any difference means a read and a hash."""
        seen = self.manifest.get(path)
        if stat is None or not isinstance(seen, list) or len(seen) != 4:
            return None
        same = seen[0] == stat.st_mtime_ns and seen[1] == stat.st_size and seen[2] == self.label(options)
        return seen[3] if same and isinstance(seen[3], str) else None

    def remember(self, path: str, stat: Optional[os.stat_result], key: str, options: ParseOptions) -> None:
        """Record the key of the bytes read after `stat` was taken (a later change alters mtime)."""
        if stat is not None and self.known_key(path, stat, options) != key:
            self.manifest[path] = [stat.st_mtime_ns, stat.st_size, self.label(options), key]
            self._manifest_changed = True

    def save_manifest(self) -> None:
        if self._manifest_changed and self.writable:
            self.write_document(self.entries / MANIFEST, self.manifest)

    def path_of(self, key: str) -> Path:
        return self.entries / key[:2] / f"{key[2:]}.json"

    def load(self, key: str) -> Optional[FileFacts]:
        try:
            path = self.path_of(key)
            with path.open("rb") as handle:
                data = handle.read(MAX_ENTRY_BYTES + 1)  # a planted 100 MB entry is not read whole
            if len(data) > MAX_ENTRY_BYTES:
                raise ValueError("oversized entry")
            document = json.loads(data)
            if document.get("importguard") != __version__ or document.get("key") != key:
                raise ValueError("foreign entry")
            return FileFacts.from_json(document["facts"])
        except Exception:  # noqa: BLE001 - missing, truncated, foreign or tampered: a miss
            return None

    def store(self, key: str, facts: FileFacts) -> None:
        if self.writable:
            self.write_document(self.path_of(key), {"importguard": __version__, "key": key, "facts": facts.to_json()})

    def write_document(self, target: Path, document: object) -> None:
        """Write to a temporary file and rename it into place: readers see old or new, never half."""
        import tempfile  # only runs that write pay for it

        try:
            self.prepare()
            target.parent.mkdir(exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".json")
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as stream:
                    json.dump(document, stream, separators=(",", ":"))
                os.replace(temporary, target)
            except BaseException:
                os.unlink(temporary)
                raise
        except OSError:
            self.writable = False  # read-only checkout or full disk: run on without a cache

    def prepare(self) -> None:
        """Create the folder with its `.gitignore` and `CACHEDIR.TAG` (once)."""
        if self.entries.is_dir():
            return
        self.entries.mkdir(parents=True, exist_ok=True)
        for name, text in ((".gitignore", "*\n"), ("CACHEDIR.TAG", CACHEDIR_TAG)):
            path = self.folder / name
            if not path.exists():
                path.write_text(text, encoding="utf-8")


def clean(folder: Path) -> bool:
    """Remove a cache folder; refuses a folder that does not look like importguard's cache."""
    if not folder.is_dir():
        return False
    tag = folder / "CACHEDIR.TAG"
    if not (tag.is_file() and "importguard" in tag.read_text(encoding="utf-8", errors="replace")):
        raise OSError(f"{folder} is not an importguard cache folder (no CACHEDIR.TAG); not removing it")
    import shutil

    shutil.rmtree(folder)
    return True
