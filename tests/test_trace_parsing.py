"""How `importguard trace` reads log text and maps frames, in-process: the shapes of real logs
(prefixes per line, one-line tracebacks, a log message before its traceback) and the path rule."""

from __future__ import annotations

from pathlib import Path

from conftest import write_tree
from importguard.run.config import Config
from importguard.run.check import run_check
from importguard.run.settings import Settings
from importguard.trace.failures import NAME, UNBOUND_LOCAL, failure_of
from importguard.trace.logtext import log_lines
from importguard.trace.paths import FileIndex
from importguard.trace.tracebacks import find_errors

TRACEBACK_39 = (
    "Traceback (most recent call last):\n"
    '  File "/app/chat/routes.py", line 19, in websocket_endpoint\n'
    "    session = auth.verify_token(token)\n"
    '  File "/app/chat/auth.py", line 47, in verify_token\n'
    "    if session.is_expired(time.time()):\n"
    "NameError: name 'time' is not defined\n"
)
TRACEBACK_313 = TRACEBACK_39.replace(
    "    if session.is_expired(time.time()):\n",
    "    if session.is_expired(time.time()):\n                          ^^^^\n",
).replace("is not defined\n", "is not defined. Did you forget to import 'time'?\n")


def errors(text: str):
    return find_errors(list(log_lines(text.encode())))


def test_versions_wordings_group_as_one_error():
    [error] = errors(TRACEBACK_39 + "INFO retrying\n" + TRACEBACK_313)
    assert (error.headline, error.count, error.lines) == ("NameError: name 'time' is not defined", 2, [6, 14])
    assert [(f.path, f.line, f.function) for f in error.frames] == [
        ("/app/chat/routes.py", 19, "websocket_endpoint"), ("/app/chat/auth.py", 47, "verify_token"),
    ]


def test_a_prefix_repeated_on_every_line_is_removed():
    prefixed = "".join(f"chat-api-1  | {line}\n" for line in TRACEBACK_313.splitlines())
    [error] = errors(prefixed)
    assert error.failure is not None and (error.failure.kind, error.failure.name) == (NAME, "time")
    assert len(error.frames) == 2


def test_frames_behind_changing_timestamps_are_read():
    stamped = "".join(f"2026-12-04T09:12:0{n}.{n}Z {line}\n" for n, line in enumerate(TRACEBACK_39.splitlines()))
    [error] = errors(stamped)
    assert [f.line for f in error.frames] == [19, 47]


def test_a_traceback_escaped_onto_one_line():
    flat = 'ERROR handler failed: ' + TRACEBACK_39.replace('"', '\\"').replace("\n", "\\n") + "\n"
    [error] = errors(flat)
    assert (error.error, [f.line for f in error.frames]) == ("NameError", [19, 47])


def test_the_log_message_before_its_traceback_is_the_same_occurrence():
    text = "ERROR:chat.websocket:WebSocket error: name 'time' is not defined\n" + TRACEBACK_39
    [error] = errors(text)
    assert error.count == 1 and error.frames


def test_bare_messages_are_counted_per_line():
    text = "".join(f"09:12:0{n} ERROR WebSocket error: name 'time' is not defined\n" for n in range(3))
    [error] = errors(text)
    assert (error.error, error.count, error.frames, error.sample) == (
        "NameError", 3, (), "09:12:00 ERROR WebSocket error: name 'time' is not defined",
    )


def test_a_log_line_names_its_logger_and_paths_but_not_the_module_of_its_message():
    [missing] = errors("ERROR [app.jobs] boot failed (/srv/app/boot.py:3): No module named 'app.cache'\n")
    assert missing.names == ["/srv/app/boot.py", "app.jobs"]
    [logged] = errors("app - ERROR - name 'x' is not defined\nERROR:app:name 'x' is not defined\n")
    assert logged.names == ["app"]
    record = '{"name": "app.api", "pathname": "/srv/app/api.py", "log": {"logger": "app.x"}, "message": "name \'x\' is not defined"}\n'
    assert errors(record)[0].names == ["app.api", "/srv/app/api.py", "app.x"]


def test_truncated_and_foreign_text_is_not_an_error():
    assert errors("Traceback (most recent call last):\n") == []
    assert errors("Traceback (most recent call last):\n  File \"x.py\", line 1, in f\n") == []
    [other] = errors("Traceback (most recent call last):\n  File \"x.py\", line 1, in f\nKeyError: \"name 'x' is not defined\"\n")
    assert other.failure is None


def test_exception_class_must_agree_with_the_message():
    assert failure_of("KeyError", "name 'x' is not defined") is None
    failure = failure_of("UnboundLocalError", "local variable 'x' referenced before assignment")
    assert failure is not None and (failure.kind, failure.name) == (UNBOUND_LOCAL, "x")


def test_frames_map_by_the_longest_suffix_that_agrees_with_the_module(tmp_path: Path):
    root = write_tree(tmp_path, {
        "pyproject.toml": "", "auth.py": "", "chat/__init__.py": "", "chat/auth.py": "", "chat/api/__init__.py": "",
    })
    project = run_check([root], Settings(Config(root=root)), cwd=root).project
    index = FileIndex(project.files)

    def found(path: str):
        source = index.find(path)
        return source.display if source else None

    assert found("/app/chat/auth.py") == "chat/auth.py"
    assert found("/usr/local/lib/python3.12/site-packages/chat/auth.py") == "chat/auth.py"
    assert found("/srv/auth.py") == "auth.py"
    assert found(r"C:\deploy\chat\api\__init__.py") == "chat/api/__init__.py"
    assert found("/app/other/api/__init__.py") is None  # the module name does not agree
    assert found("<string>") is None and found("<frozen importlib._bootstrap>") is None


GROUP_WHILE_HANDLING = """\
Traceback (most recent call last):
  File "/app/jobs/batch.py", line 4, in run
    step()
ValueError: bad step

During handling of the above exception, another exception occurred:

  + Exception Group Traceback (most recent call last):
  |   File "/app/jobs/batch.py", line 9, in run
  |     raise ExceptionGroup("batch failed", errors)
  | ExceptionGroup: batch failed (2 sub-exceptions)
  +-+---------------- 1 ----------------
    | Traceback (most recent call last):
    |   File "/app/chat/auth.py", line 47, in verify_token
    |     if session.is_expired(time.time()):
    |                           ^^^^
    | NameError: name 'time' is not defined
    +---------------- 2 ----------------
    | KeyError: 'room'
    +------------------------------------
INFO next request
"""


def test_an_exception_group_raised_while_handling_another():
    found = {e.error: e for e in errors(GROUP_WHILE_HANDLING)}
    assert list(found) == ["ValueError", "ExceptionGroup", "NameError", "KeyError"]
    assert found["ExceptionGroup"].context == "raised while handling `ValueError: bad step`"
    assert [f.line for f in found["NameError"].frames] == [47]
    assert found["NameError"].context == found["KeyError"].context == "part of `ExceptionGroup: batch failed (2 sub-exceptions)`"
    assert found["NameError"].lines == [17]
