"""Map the file paths of traceback frames to the project's files.

Production frames carry deployment paths (`/app/chat/auth.py`, `/workspace/src/chat/auth.py`,
`.../site-packages/chat/auth.py`). A frame belongs to a project file when its path ends with the
file's module path (`chat/auth.py` for `chat.auth`, `chat/__init__.py` for the package), so the
module name Python gave the code agrees; among such files the longest common path suffix wins.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Dict, List, Optional, Sequence, Tuple

from importguard.project.model import SourceFile


class FileIndex:
    """Project files by file name, for matching many frames."""

    def __init__(self, files: Sequence[SourceFile]) -> None:
        self.by_name: Dict[str, List[Tuple[Tuple[str, ...], SourceFile]]] = {}
        for source in files:
            if source.module is None:
                continue
            parts = source.module.name.split(".")
            module_parts = tuple((parts if source.module.is_package else parts[:-1]) + [source.path.name])
            self.by_name.setdefault(source.path.name, []).append((module_parts, source))

    def find(self, frame_path: str) -> Optional[SourceFile]:
        """The project file a frame's path names, or None (`<string>`, the standard library, ...)."""
        parts = PurePosixPath(frame_path.replace("\\", "/")).parts
        if not parts:
            return None
        best: Optional[SourceFile] = None
        best_length = 0
        for module_parts, source in self.by_name.get(parts[-1], []):
            if parts[-len(module_parts):] != module_parts:
                continue
            length = common_suffix(parts, source.path.parts)
            if length > best_length:
                best, best_length = source, length
        return best


def common_suffix(first: Sequence[str], second: Sequence[str]) -> int:
    length = 0
    while length < min(len(first), len(second)) and first[-1 - length] == second[-1 - length]:
        length += 1
    return length
