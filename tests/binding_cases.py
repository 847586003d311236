"""Name-binding corpus for IG101 (undefined-name), IG102 (unbound-local), IG103 (possibly-unbound),
IG105 (exception-path-unbound) and IG106 (undefined-annotation-name).

Data only. Every case is a complete module (line 1 is the first line of `source`) together with
what importguard must report and what real Python does with it: `tests/test_binding_runtime.py`
imports each module in a subprocess, runs `trigger`, and checks that the predicted exception (or
none) really happens, so every "must report" case with a runtime error is a proven bug and every
"must not report" case with runtime "ok" is proven to run.

Conventions:
- `expected` holds (code, line, name) tuples; () means importguard must report nothing.
- IG101/IG106 are reported at every use; IG102/IG103/IG105 once per name per function, at the first such use.
- A case whose expected finding cannot fail at runtime (deferred or string annotations) has
  runtime "ok" and says why in its id.
"""

from __future__ import annotations

from dataclasses import dataclass
from textwrap import dedent
from typing import List, Tuple


@dataclass(frozen=True)
class Case:
    id: str
    source: str  # a complete module, dedented, starting at line 1
    expected: Tuple[Tuple[str, int, str], ...]  # (code, line, name) importguard must report; () = nothing
    runtime: str  # "NameError" | "UnboundLocalError" | "ok"
    trigger: str = ""  # statements run after `import m`; "" = importing alone
    caught: bool = False  # `runtime` is raised in m.py and then caught by a handler there (still a bug)
    min_version: Tuple[int, int] = (3, 9)


CASES: List[Case] = [
    # ------------------------------------------------------------------ seed bug and imports
    Case(
        id="seed_time_imported_only_inside_other_function",
        source=dedent("""\
            def connect():
                import time
                return time.time()

            def elapsed(start):
                return time.time() - start
        """),
        expected=(("IG101", 6, "time"),),
        runtime="NameError",
        trigger="m.elapsed(0)",
    ),
    Case(
        id="later_local_import_shadows_module_import_reported_once",
        source=dedent("""\
            import time

            def measure(work):
                start = time.time()
                work()
                elapsed = time.time() - start
                import time
                return elapsed
        """),
        expected=(("IG102", 4, "time"),),
        runtime="UnboundLocalError",
        trigger="m.measure(lambda: None)",
    ),
    Case(
        id="module_import_used_in_function_ok",
        source=dedent("""\
            import time

            def measure(work):
                start = time.time()
                work()
                return time.time() - start
        """),
        expected=(),
        runtime="ok",
        trigger="m.measure(lambda: None)",
    ),
    Case(
        id="undefined_name_reported_at_every_use",
        source=dedent("""\
            def report(items):
                log.info("start")
                for item in items:
                    log.info(item)
        """),
        expected=(("IG101", 2, "log"), ("IG101", 4, "log")),
        runtime="NameError",
        trigger="m.report([])",
    ),
    Case(
        id="builtins_ok",
        source=dedent("""\
            def describe(items):
                if not isinstance(items, (list, tuple)):
                    raise TypeError(repr(items))
                assert __debug__ or True
                marker = (NotImplemented, Ellipsis, __import__("os").sep)
                return len(items), sorted(items), marker
        """),
        expected=(),
        runtime="ok",
        trigger="m.describe([2, 1])",
    ),
    Case(
        id="module_dunders_ok",
        source=dedent("""\
            info = (
                __file__,
                __name__,
                __doc__,
                __spec__,
                __loader__,
                __package__,
                __builtins__,
            )

            def where():
                return __name__, __file__
        """),
        expected=(),
        runtime="ok",
        trigger="m.where()",
    ),
    # ------------------------------------------------------------------ module-level order, del
    Case(
        id="module_level_call_before_def",
        source=dedent("""\
            value = helper()

            def helper():
                return 1
        """),
        expected=(("IG101", 1, "helper"),),
        runtime="NameError",
    ),
    Case(
        id="function_body_sees_later_module_global_ok",
        source=dedent("""\
            def area(r):
                return PI * r * r

            PI = 3.14
        """),
        expected=(),
        runtime="ok",
        trigger="m.area(1)",
    ),
    Case(
        id="module_level_use_after_del",
        source=dedent("""\
            x = 1
            del x
            y = x
        """),
        expected=(("IG105", 3, "x"),),
        runtime="NameError",
    ),
    Case(
        id="module_level_bound_in_if_without_else_possibly_unbound",
        source=dedent("""\
            import sys

            if sys.version_info < (3, 0):
                MODE = "py2"
            print(MODE)
        """),
        expected=(("IG103", 5, "MODE"),),
        runtime="NameError",
    ),
    Case(
        id="module_level_except_as_name_deleted_after_handler",
        source=dedent("""\
            try:
                import json
            except ImportError as exc:
                json = None
            print(exc)
        """),
        expected=(("IG105", 5, "exc"),),
        runtime="NameError",
    ),
    Case(
        id="generator_first_iterable_evaluated_eagerly",
        source=dedent("""\
            gen = (x for x in source)
            source = [1]
        """),
        expected=(("IG101", 1, "source"),),
        runtime="NameError",
    ),
    # ------------------------------------------------------------------ def-time evaluation
    Case(
        id="decorator_defined_later",
        source=dedent("""\
            @register
            def handler():
                pass

            def register(func):
                return func
        """),
        expected=(("IG101", 1, "register"),),
        runtime="NameError",
    ),
    Case(
        id="default_value_defined_later",
        source=dedent("""\
            def connect(timeout=DEFAULT_TIMEOUT):
                return timeout

            DEFAULT_TIMEOUT = 5
        """),
        expected=(("IG101", 1, "DEFAULT_TIMEOUT"),),
        runtime="NameError",
    ),
    Case(
        id="lambda_default_defined_later",
        source=dedent("""\
            make = lambda n=size: n * 2
            size = 3
        """),
        expected=(("IG101", 1, "size"),),
        runtime="NameError",
    ),
    Case(
        id="lambda_body_sees_later_global_ok",
        source=dedent("""\
            make = lambda n: n * size
            size = 3
        """),
        expected=(),
        runtime="ok",
        trigger="m.make(2)",
    ),
    Case(
        id="future_annotations_class_defined_later_ok",
        source=dedent("""\
            from __future__ import annotations

            def make() -> Widget:
                return Widget()

            class Widget:
                def clone(self) -> Widget:
                    return Widget()
        """),
        expected=(),
        runtime="ok",
        trigger="m.make().clone()",
    ),
    Case(
        id="future_annotations_name_bound_nowhere_runtime_ok_deferred",
        source=dedent("""\
            from __future__ import annotations

            def load(path: Pathh) -> str:
                return str(path)
        """),
        expected=(("IG106", 3, "Pathh"),),
        runtime="ok",
        trigger="m.load('x')",
    ),
    Case(
        id="string_annotation_name_bound_nowhere_runtime_ok_never_evaluated",
        source=dedent("""\
            def load(path: "Pathh") -> str:
                return str(path)
        """),
        expected=(("IG106", 1, "Pathh"),),
        runtime="ok",
        trigger="m.load('x')",
    ),
    Case(
        id="method_annotation_names_own_class_while_class_body_runs",
        source=dedent("""\
            class Node:
                def clone(self) -> Node:
                    return Node()
        """),
        expected=(("IG101", 2, "Node"),),
        runtime="NameError",
    ),
    Case(
        id="local_decorator_defined_later_in_function",
        source=dedent("""\
            def build():
                @wrap
                def inner():
                    return 1

                def wrap(f):
                    return f
                return inner
        """),
        expected=(("IG102", 2, "wrap"),),
        runtime="UnboundLocalError",
        trigger="m.build()",
    ),
    Case(
        id="nested_body_uses_later_local_ok",
        source=dedent("""\
            def outer():
                def inner():
                    return later + 1
                later = 1
                return inner()
        """),
        expected=(),
        runtime="ok",
        trigger="m.outer()",
    ),
    # ------------------------------------------------------------------ TYPE_CHECKING
    Case(
        id="type_checking_import_used_at_runtime",
        source=dedent("""\
            from typing import TYPE_CHECKING

            if TYPE_CHECKING:
                from decimal import Decimal

            def parse(text):
                return Decimal(text)
        """),
        expected=(("IG101", 7, "Decimal"),),
        runtime="NameError",
        trigger="m.parse('1')",
    ),
    Case(
        id="type_checking_import_in_evaluated_annotation",
        source=dedent("""\
            from typing import TYPE_CHECKING

            if TYPE_CHECKING:
                from decimal import Decimal

            def parse(text: str) -> Decimal:
                return text
        """),
        expected=(("IG101", 6, "Decimal"),),
        runtime="NameError",
    ),
    Case(
        id="type_checking_import_in_deferred_annotations_ok",
        source=dedent("""\
            from __future__ import annotations

            from typing import TYPE_CHECKING

            if TYPE_CHECKING:
                from decimal import Decimal

            def parse(text: str) -> Decimal:
                return text

            def total(values: "list[Decimal]") -> "Decimal":
                return sum(values)
        """),
        expected=(),
        runtime="ok",
        trigger="m.parse('1'); m.total([1])",
    ),
    Case(
        id="type_checking_short_circuit_never_evaluates_typing_only_name",
        source=dedent("""\
            from typing import TYPE_CHECKING

            if TYPE_CHECKING:
                from decimal import Decimal

            def check(value):
                assert not TYPE_CHECKING or isinstance(value, Decimal)
                assert TYPE_CHECKING and isinstance(value, Decimal) or value
                kind = Decimal if TYPE_CHECKING else type(value)
                return kind if not TYPE_CHECKING else Decimal
        """),
        expected=(),
        runtime="ok",
        trigger="m.check(1)",
    ),
    Case(
        id="type_checking_or_evaluates_right_side_at_runtime",
        source=dedent("""\
            from typing import TYPE_CHECKING

            if TYPE_CHECKING:
                from decimal import Decimal

            def check(value):
                assert TYPE_CHECKING or isinstance(value, Decimal)
        """),
        expected=(("IG101", 7, "Decimal"),),
        runtime="NameError",
        trigger="m.check(1)",
    ),
    # ------------------------------------------------------------------ unbound locals (IG102)
    Case(
        id="augmented_assignment_on_global_without_global",
        source=dedent("""\
            counter = 0

            def bump():
                counter += 1
                return counter
        """),
        expected=(("IG102", 4, "counter"),),
        runtime="UnboundLocalError",
        trigger="m.bump()",
    ),
    Case(
        id="global_statement_ok",
        source=dedent("""\
            counter = 0

            def bump():
                global counter
                counter += 1
                return counter
        """),
        expected=(),
        runtime="ok",
        trigger="m.bump(); m.bump()",
    ),
    Case(
        id="global_bound_only_by_other_function_global_statement_ok",
        source=dedent("""\
            def setup():
                global registry
                registry = {}

            def lookup(key):
                return registry.get(key)
        """),
        expected=(),
        runtime="ok",
        trigger="m.setup(); m.lookup('a')",
    ),
    Case(
        id="global_declared_but_bound_nowhere",
        source=dedent("""\
            def get():
                global state
                return state
        """),
        expected=(("IG101", 3, "state"),),
        runtime="NameError",
        trigger="m.get()",
    ),
    Case(
        id="nonlocal_ok",
        source=dedent("""\
            def counter():
                count = 0

                def bump():
                    nonlocal count
                    count += 1
                    return count
                return bump
        """),
        expected=(),
        runtime="ok",
        trigger="b = m.counter(); b(); b()",
    ),
    Case(
        id="global_read_before_local_assignment",
        source=dedent("""\
            limit = 10

            def check(n):
                if n > limit:
                    return False
                limit = n
                return True
        """),
        expected=(("IG102", 4, "limit"),),
        runtime="UnboundLocalError",
        trigger="m.check(1)",
    ),
    Case(
        id="annotation_without_value_makes_name_local",
        source=dedent("""\
            total = 0

            def report():
                total: int
                return total
        """),
        expected=(("IG102", 5, "total"),),
        runtime="UnboundLocalError",
        trigger="m.report()",
    ),
    Case(
        id="walrus_in_comprehension_binds_enclosing_function_used_before",
        source=dedent("""\
            def first_big(values):
                before = found
                hits = [v for v in values if (found := v) > 10]
                return before, hits
        """),
        expected=(("IG102", 2, "found"),),
        runtime="UnboundLocalError",
        trigger="m.first_big([1])",
    ),
    Case(
        id="walrus_in_comprehension_visible_to_sibling_closure_ok",
        source=dedent("""\
            def scan(values):
                def show():
                    return y
                hits = [y for v in values if (y := v) > 1]
                return hits, show
        """),
        expected=(),
        runtime="ok",
        trigger="m.scan([5])[1]()",
    ),
    Case(
        id="walrus_in_if_condition_always_bound_ok",
        source=dedent("""\
            import re

            def match_id(text):
                if (found := re.match(r"\\d+", text)) is not None:
                    return found.group()
                return found
        """),
        expected=(),
        runtime="ok",
        trigger="m.match_id('12'); m.match_id('x')",
    ),
    Case(
        id="module_level_walrus_in_comprehension_binds_global_ok",
        source=dedent("""\
            data = [1, 2, 3]
            if any((big := n) > 2 for n in data):
                print(big)
        """),
        expected=(),
        runtime="ok",
    ),
    Case(
        id="comprehension_variable_does_not_leak_in_function",
        source=dedent("""\
            def squares(n):
                values = [i * i for i in range(n)]
                return values, i
        """),
        expected=(("IG101", 3, "i"),),
        runtime="NameError",
        trigger="m.squares(3)",
    ),
    # ------------------------------------------------------------------ possibly unbound (IG103)
    Case(
        id="if_without_else",
        source=dedent("""\
            def label(flag):
                if flag:
                    text = "yes"
                return text
        """),
        expected=(("IG103", 4, "text"),),
        runtime="UnboundLocalError",
        trigger="m.label(False)",
    ),
    Case(
        id="if_elif_else_all_bind_ok",
        source=dedent("""\
            def grade(n):
                if n > 90:
                    g = "A"
                elif n > 80:
                    g = "B"
                else:
                    g = "C"
                return g
        """),
        expected=(),
        runtime="ok",
        trigger="m.grade(10); m.grade(85); m.grade(95)",
    ),
    Case(
        id="code_after_return_is_unreachable_ok",
        source=dedent("""\
            def compute(flag):
                if flag:
                    result = 1
                    return result
                else:
                    return 0
                return result
        """),
        expected=(),
        runtime="ok",
        trigger="m.compute(True); m.compute(False)",
    ),
    Case(
        id="for_target_after_loop_that_may_not_run",
        source=dedent("""\
            def last(items):
                for item in items:
                    pass
                return item
        """),
        expected=(("IG103", 4, "item"),),
        runtime="UnboundLocalError",
        trigger="m.last([])",
    ),
    Case(
        id="while_body_may_not_run",
        source=dedent("""\
            def drain(queue):
                while queue:
                    last = queue.pop()
                return last
        """),
        expected=(("IG103", 4, "last"),),
        runtime="UnboundLocalError",
        trigger="m.drain([])",
    ),
    Case(
        id="while_true_with_break_ok",
        source=dedent("""\
            def read_until(lines):
                it = iter(lines)
                while True:
                    line = next(it)
                    if line == "end":
                        break
                return line
        """),
        expected=(),
        runtime="ok",
        trigger="m.read_until(['a', 'end'])",
    ),
    Case(
        id="for_else_every_exit_binds_ok",
        source=dedent("""\
            def find(items, target):
                for item in items:
                    if item == target:
                        found = item
                        break
                else:
                    found = None
                return found
        """),
        expected=(),
        runtime="ok",
        trigger="m.find([], 1); m.find([1], 1)",
    ),
    Case(
        id="for_else_returns_so_only_break_reaches_ok",
        source=dedent("""\
            def find(items, target):
                for item in items:
                    if item == target:
                        break
                else:
                    return None
                return item
        """),
        expected=(),
        runtime="ok",
        trigger="m.find([], 1); m.find([1], 1)",
    ),
    Case(
        id="del_on_one_path",
        source=dedent("""\
            def clean(cache, reset):
                entry = cache.get("k")
                if reset:
                    del entry
                return entry
        """),
        expected=(("IG105", 5, "entry"),),
        runtime="UnboundLocalError",
        trigger="m.clean({}, True)",
    ),
    Case(
        id="star_unpacking_targets_ok",
        source=dedent("""\
            def split(items):
                head, *tail = items
                (a, b), *_ = [(1, 2)]
                [first, *middle, end] = items
                return head, tail, a, b, first, middle, end
        """),
        expected=(),
        runtime="ok",
        trigger="m.split([1, 2, 3])",
    ),
    Case(
        id="with_as_targets_ok",
        source=dedent("""\
            import contextlib

            def run():
                with contextlib.nullcontext(5) as value, open(__file__) as fh:
                    text = fh.read()
                return value, text
        """),
        expected=(),
        runtime="ok",
        trigger="m.run()",
    ),
    # ------------------------------------------------------------------ try / except / finally
    Case(
        id="try_body_binding_handler_passes",
        source=dedent("""\
            def load(text):
                try:
                    data = int(text)
                except ValueError:
                    pass
                return data
        """),
        expected=(("IG105", 6, "data"),),
        runtime="UnboundLocalError",
        trigger="m.load('x')",
    ),
    Case(
        id="try_handler_returns_so_body_names_bound_ok",
        source=dedent("""\
            def load(text):
                try:
                    value = int(text)
                except ValueError:
                    return None
                return value
        """),
        expected=(),
        runtime="ok",
        trigger="m.load('x'); m.load('1')",
    ),
    Case(
        id="try_except_else_finally_all_bind_ok",
        source=dedent("""\
            def load(text):
                try:
                    number = int(text)
                except ValueError:
                    number = 0
                else:
                    number += 1
                finally:
                    done = True
                return number, done
        """),
        expected=(),
        runtime="ok",
        trigger="m.load('x'); m.load('1')",
    ),
    Case(
        id="finally_uses_name_bound_in_try_body",
        source=dedent("""\
            def fetch(opener):
                try:
                    conn = opener()
                    return conn.read()
                finally:
                    conn.close()
        """),
        expected=(("IG105", 6, "conn"),),
        runtime="UnboundLocalError",
        trigger="m.fetch(lambda: int('x'))",
    ),
    Case(
        id="except_as_name_deleted_after_handler",
        source=dedent("""\
            def parse(text):
                error = None
                try:
                    value = int(text)
                except ValueError as error:
                    value = None
                return value, error
        """),
        expected=(("IG105", 7, "error"),),
        runtime="UnboundLocalError",
        trigger="m.parse('x')",
    ),
    Case(
        id="module_level_nameerror_guard_ok",
        source=dedent("""\
            try:
                unicode
            except NameError:
                unicode = str
        """),
        expected=(),
        runtime="ok",
    ),
    Case(
        id="function_nameerror_guard_in_tuple_ok",
        source=dedent("""\
            def text_type():
                try:
                    return basestring
                except (AttributeError, NameError):
                    return str
        """),
        expected=(),
        runtime="ok",
        trigger="m.text_type()",
    ),
    # ------------------------------------------------------------------ class scope
    Case(
        id="method_cannot_see_class_attribute",
        source=dedent("""\
            class Config:
                default = 3

                def get(self):
                    return default
        """),
        expected=(("IG101", 5, "default"),),
        runtime="NameError",
        trigger="m.Config().get()",
    ),
    Case(
        id="class_body_comprehension_element_cannot_see_class_name",
        source=dedent("""\
            class Grid:
                size = 3
                cells = [
                    size * i
                    for i in range(size)
                ]
        """),
        expected=(("IG101", 4, "size"),),
        runtime="NameError",
    ),
    Case(
        id="class_body_comprehension_first_iterable_sees_class_name_ok",
        source=dedent("""\
            class Grid:
                size = 3
                rows = [r for r in range(size)]
        """),
        expected=(),
        runtime="ok",
    ),
    Case(
        id="class_body_names_in_order_and_method_defaults_ok",
        source=dedent("""\
            class Client:
                TIMEOUT = 5
                DEFAULT = TIMEOUT
                ALL = (TIMEOUT, DEFAULT)

                def get(self, timeout=TIMEOUT):
                    return timeout
        """),
        expected=(),
        runtime="ok",
        trigger="m.Client().get()",
    ),
    Case(
        id="property_setter_decorator_uses_class_body_name_ok",
        source=dedent("""\
            class Temp:
                @property
                def value(self):
                    return self._v

                @value.setter
                def value(self, v):
                    self._v = v
        """),
        expected=(),
        runtime="ok",
        trigger="t = m.Temp(); t.value = 3; t.value",
    ),
    Case(
        id="class_body_use_before_class_binds_it",
        source=dedent("""\
            class Settings:
                debug = verbose
                verbose = False
        """),
        expected=(("IG101", 2, "verbose"),),
        runtime="NameError",
    ),
    Case(
        id="class_body_falls_back_to_global_before_class_binds_it_ok",
        source=dedent("""\
            verbose = True

            class Settings:
                debug = verbose
                verbose = False
        """),
        expected=(),
        runtime="ok",
    ),
    Case(
        id="method_sees_enclosing_function_local_ok",
        source=dedent("""\
            def factory(n):
                class Local:
                    def get(self):
                        return n
                return Local
        """),
        expected=(),
        runtime="ok",
        trigger="m.factory(2)().get()",
    ),
    Case(
        id="dunder_class_in_method_and_module_qualname_in_class_body_ok",
        source=dedent("""\
            class Record:
                origin = __module__
                path = __qualname__

                def name(self):
                    return __class__.__name__
        """),
        expected=(),
        runtime="ok",
        trigger="m.Record().name()",
    ),
    Case(
        id="dunder_class_in_plain_function",
        source=dedent("""\
            def who():
                return __class__
        """),
        expected=(("IG101", 2, "__class__"),),
        runtime="NameError",
        trigger="m.who()",
    ),
    # ------------------------------------------------------------------ async
    Case(
        id="async_with_and_async_for_targets_ok",
        source=dedent("""\
            import contextlib

            @contextlib.asynccontextmanager
            async def session():
                yield "s"

            async def chunks():
                yield "x"

            async def main():
                async with session() as s:
                    result = s
                async for chunk in chunks():
                    result += chunk
                return result
        """),
        expected=(),
        runtime="ok",
        trigger="import asyncio; asyncio.run(m.main())",
    ),
    # ------------------------------------------------------------------ match (3.10)
    Case(
        id="match_sequence_capture_possibly_unbound",
        source=dedent("""\
            def head(value):
                match value:
                    case [first, *rest]:
                        pass
                    case _:
                        pass
                return first
        """),
        expected=(("IG103", 7, "first"),),
        runtime="UnboundLocalError",
        trigger="m.head(5)",
        min_version=(3, 10),
    ),
    Case(
        id="match_mapping_captures_possibly_unbound_no_irrefutable_case",
        source=dedent("""\
            def split(config):
                match config:
                    case {"name": name, **extra}:
                        pass
                return name, extra
        """),
        expected=(("IG103", 5, "name"), ("IG103", 5, "extra")),
        runtime="UnboundLocalError",
        trigger="m.split({})",
        min_version=(3, 10),
    ),
    Case(
        id="match_guard_failure_falls_through",
        source=dedent("""\
            def size(obj):
                match obj:
                    case {"w": w, "h": h} if w > 0:
                        area = w * h
                    case [w, h]:
                        area = w * h
                return area
        """),
        expected=(("IG103", 7, "area"),),
        runtime="UnboundLocalError",
        trigger="m.size({'w': 0, 'h': 1})",
        min_version=(3, 10),
    ),
    Case(
        id="match_or_pattern_mapping_and_wildcard_ok",
        source=dedent("""\
            def describe(point):
                match point:
                    case (0, y) | (y, 0):
                        label = y
                    case {"x": x, **rest}:
                        label = (x, rest)
                    case _:
                        label = None
                return label
        """),
        expected=(),
        runtime="ok",
        trigger="m.describe((0, 2)); m.describe((3, 0)); m.describe({'x': 1}); m.describe(7)",
        min_version=(3, 10),
    ),
    Case(
        id="match_class_pattern_with_as_other_case_returns_ok",
        source=dedent("""\
            class P:
                __match_args__ = ("x",)

                def __init__(self, x):
                    self.x = x

            def unwrap(obj):
                match obj:
                    case P(x=a) as whole:
                        pass
                    case _:
                        return None
                return a, whole
        """),
        expected=(),
        runtime="ok",
        trigger="m.unwrap(m.P(1)); m.unwrap(2)",
        min_version=(3, 10),
    ),
    # ------------------------------------------------------------------ except* (3.11)
    Case(
        id="except_star_try_body_binding_possibly_unbound",
        source=dedent("""\
            def run(job):
                try:
                    result = job()
                except* ValueError:
                    pass
                return result
        """),
        expected=(("IG105", 6, "result"),),
        runtime="UnboundLocalError",
        trigger="m.run(lambda: int('x'))",
        min_version=(3, 11),
    ),
    # ------------------------------------------------------------------ PEP 695 (3.12)
    Case(
        id="pep695_generic_function_class_and_lazy_alias_ok",
        source=dedent("""\
            def first[T](items: list[T]) -> T:
                return items[0]

            class Box[T]:
                def __init__(self, item: T) -> None:
                    self.item = item

            type Pair = tuple[Node, Node]

            class Node:
                pass
        """),
        expected=(),
        runtime="ok",
        trigger="m.first([1]); m.Box(1).item; m.Pair.__value__",
        min_version=(3, 12),
    ),
    Case(
        id="pep695_type_alias_value_undefined_fails_when_evaluated",
        source=dedent("""\
            type Alias = list[Missing]
        """),
        expected=(("IG101", 1, "Missing"),),
        runtime="NameError",
        trigger="m.Alias.__value__",
        min_version=(3, 12),
    ),
    Case(
        id="pep695_type_param_not_visible_outside_function",
        source=dedent("""\
            def ident[T](x: T) -> T:
                return x

            y: T = 1
        """),
        expected=(("IG101", 4, "T"),),
        runtime="NameError",
        min_version=(3, 12),
    ),
    # ------------------------------------------------- found on the standard library (fixed FPs)
    Case(
        id="loop_carried_state_guarded_by_a_flag_is_not_reported",
        source=dedent("""\
            def pairs(items):
                out = []
                first = True
                for item in items:
                    if first:
                        first = False
                    else:
                        out.append((previous, item))
                    previous = item
                return out
        """),
        expected=(),
        runtime="ok",
        trigger="assert m.pairs([1, 2, 3]) == [(1, 2), (2, 3)]",
    ),
    Case(
        id="break_in_later_iteration_sees_earlier_binding_possibly_unbound",
        source=dedent("""\
            def last_line(lines):
                while True:
                    if not lines:
                        break
                    last = lines.pop()
                return last
        """),
        expected=(("IG103", 6, "last"),),
        runtime="UnboundLocalError",
        trigger="m.last_line([])",
    ),
    Case(
        id="nonlocal_rebinding_in_nested_function_is_not_flow_checked",
        source=dedent("""\
            def outer():
                def set_it():
                    nonlocal value
                    value = 1
                set_it()
                result = value
                del value
                return result
        """),
        expected=(),
        runtime="ok",
        trigger="assert m.outer() == 1",
    ),
    Case(
        id="match_capture_of_failed_guard_stays_bound_for_later_cases",
        source=dedent("""\
            def f(v):
                match v:
                    case x if x > 10:
                        return "big"
                    case _ if x == 0:
                        return "zero"
                return "other"
        """),
        expected=(),
        runtime="ok",
        trigger="assert m.f(0) == 'zero' and m.f(11) == 'big'",
        min_version=(3, 10),
    ),
    Case(
        id="walrus_then_use_in_same_expression",
        source=dedent("""\
            def spread(xs):
                return sum((d := x - 1) * d for x in xs)
        """),
        expected=(),
        runtime="ok",
        trigger="assert m.spread([2, 3]) == 5",
    ),
    Case(
        id="builtin_alias_at_module_level_before_rebinding",
        source=dedent("""\
            TimeoutError = TimeoutError
            dict = dict
        """),
        expected=(),
        runtime="ok",
    ),
    Case(
        id="nfkc_normalised_identifier_is_the_same_name",
        source=dedent("""\
            width = 3
            print(\uff57\uff49\uff44\uff54\uff48)
        """),
        expected=(),
        runtime="ok",
    ),
    Case(
        id="nested_function_called_before_the_name_it_reads_is_bound",
        source=dedent("""\
            def main():
                def helper():
                    return config["debug"]
                helper()
                config = {"debug": True}
                return config
        """),
        expected=(("IG102", 3, "config"),),
        runtime="NameError",
        trigger="m.main()",
    ),
    Case(
        id="nested_function_called_after_del_of_the_name_it_reads",
        source=dedent("""\
            def main():
                def inner():
                    return y
                y = 1
                del y
                return inner()
        """),
        expected=(("IG103", 3, "y"),),
        runtime="NameError",
        trigger="m.main()",
    ),
    Case(
        id="module_function_called_at_import_before_global_is_bound",
        source=dedent("""\
            def banner():
                return NAME.upper()

            print(banner())
            NAME = "chat"
        """),
        expected=(("IG101", 2, "NAME"),),
        runtime="NameError",
    ),
    Case(
        id="module_function_called_at_import_before_del_is_fine",
        source=dedent("""\
            _day0 = 1

            def _try():
                return _day0 + 1

            VALUE = _try()
            del _day0
        """),
        expected=(),
        runtime="ok",
    ),
    Case(
        id="lru_cache_function_called_at_import_before_global_is_bound",
        source=dedent("""\
            import functools

            @functools.lru_cache(maxsize=None)
            def banner():
                return NAME.upper()

            print(banner())
            NAME = "chat"
        """),
        expected=(("IG101", 5, "NAME"),),
        runtime="NameError",
    ),
    Case(
        id="wraps_wrapper_of_this_module_called_at_import_before_global_is_bound",
        source=dedent("""\
            from functools import wraps

            def logged(function):
                @wraps(function)
                def wrapper(*args):
                    return function(*args)
                return wrapper

            @logged
            def banner():
                return NAME.upper()

            print(banner())
            NAME = "chat"
        """),
        expected=(("IG101", 11, "NAME"),),
        runtime="NameError",
    ),
    Case(
        id="contextmanager_called_at_import_before_global_is_bound_runs_no_body",
        source=dedent("""\
            from contextlib import contextmanager

            @contextmanager
            def session():
                yield NAME

            PENDING = session()
            NAME = "chat"
        """),
        expected=(),
        runtime="ok",
        trigger="with m.PENDING as name: assert name == 'chat'",
    ),
    Case(
        id="registering_decorator_called_at_import_before_global_is_bound_runs_no_body",
        source=dedent("""\
            REGISTRY = []

            def strategy(function):
                REGISTRY.append(function)
                return lambda *args: ("strategy", function.__name__)

            @strategy
            def users(draw):
                return draw(NAME)

            USERS = users()
            NAME = "chat"
        """),
        expected=(),
        runtime="ok",
        trigger="assert m.REGISTRY[0](str) == 'chat'",
    ),
    Case(
        id="nested_contextmanager_called_before_the_name_it_reads_is_bound_runs_no_body",
        source=dedent("""\
            import contextlib

            def main():
                @contextlib.contextmanager
                def opened():
                    yield config["path"]
                pending = opened()
                config = {"path": "/tmp"}
                with pending as path:
                    return path
        """),
        expected=(),
        runtime="ok",
        trigger="assert m.main() == '/tmp'",
    ),
    Case(
        id="pep696_type_parameter_default_py313",
        source=dedent("""\
            class Box[T = int]:
                def get(self) -> T:
                    return Missing
        """),
        expected=(("IG101", 3, "Missing"),),
        runtime="NameError",
        trigger="m.Box().get()",
        min_version=(3, 13),
    ),
    # ------------------------------------------------------------------ issue 9: released code
    Case(
        id="handler_type_reads_module_the_failed_import_left_unbound",
        source=dedent("""\
            def connect(url):
                try:
                    import redis_is_not_installed_here
                    client = redis_is_not_installed_here.Redis(url)
                except redis_is_not_installed_here.ConnectionError:
                    return None
                return client
        """),
        expected=(("IG105", 5, "redis_is_not_installed_here"),),
        runtime="UnboundLocalError",
        trigger="m.connect('redis://')",
    ),
    Case(
        id="handler_catches_only_what_cannot_precede_the_binding_ok",
        source=dedent("""\
            import asyncio

            def fetch(config):
                try:
                    import json
                    url = config["url"]
                    data = asyncio.run(asyncio.wait_for(asyncio.sleep(1), 0.001))
                except asyncio.TimeoutError:
                    return url
                return data
        """),
        expected=(),
        runtime="ok",
        trigger="assert m.fetch({'url': 'u'}) == 'u'",
    ),
    Case(
        id="module_level_optional_import_used_unguarded",
        source=dedent("""\
            try:
                import orjson_is_not_installed_here
            except ImportError:
                pass
            DUMPED = orjson_is_not_installed_here.dumps({})
        """),
        expected=(("IG105", 5, "orjson_is_not_installed_here"),),
        runtime="NameError",
    ),
    Case(
        id="module_level_optional_import_behind_its_flag_ok",
        source=dedent("""\
            try:
                import orjson_is_not_installed_here
                HAS_ORJSON = True
            except ImportError:
                HAS_ORJSON = False
            if HAS_ORJSON:
                DUMPED = orjson_is_not_installed_here.dumps({})
            if not HAS_ORJSON:
                DUMPED = None
        """),
        expected=(),
        runtime="ok",
    ),
    Case(
        id="module_level_del_on_some_path",
        source=dedent("""\
            import sys

            cache = {}
            if len(sys.argv) < 1000:
                del cache
            print(cache)
        """),
        expected=(("IG105", 6, "cache"),),
        runtime="NameError",
    ),
    Case(
        id="global_read_before_anything_binds_it",
        source=dedent("""\
            def get_factory():
                global _factory_instance
                if _factory_instance is None:
                    _factory_instance = object()
                return _factory_instance
        """),
        expected=(("IG101", 3, "_factory_instance"),),
        runtime="NameError",
        trigger="m.get_factory()",
    ),
    Case(
        id="global_bound_at_module_level_ok",
        source=dedent("""\
            _factory_instance = None

            def get_factory():
                global _factory_instance
                if _factory_instance is None:
                    _factory_instance = object()
                return _factory_instance
        """),
        expected=(),
        runtime="ok",
        trigger="m.get_factory()",
    ),
    Case(
        id="existence_probe_then_use_ok",
        source=dedent("""\
            def in_ipython():
                try:
                    get_ipython
                except NameError:
                    return False
                return get_ipython() is not None

            def shell():
                try:
                    return get_ipython()
                except (NameError, AttributeError):
                    return None
        """),
        expected=(),
        runtime="ok",
        trigger="assert m.in_ipython() is False and m.shell() is None",
    ),
    # ------------------------------------------------------------------ existence tests in every spelling
    Case(
        id="existence_test_and_use_in_one_expression_ok",
        source=dedent("""\
            def describe(flag):
                if flag:
                    label = "on"
                return "label" in locals() and label
        """),
        expected=(),
        runtime="ok",
        trigger="assert m.describe(False) is False and m.describe(True) == 'on'",
    ),
    Case(
        id="existence_test_in_a_conditional_expression_ok",
        source=dedent("""\
            def describe(flag):
                if flag:
                    label = "on"
                return label if "label" in locals() else "off"
        """),
        expected=(),
        runtime="ok",
        trigger="assert m.describe(False) == 'off' and m.describe(True) == 'on'",
    ),
    Case(
        id="negated_existence_test_before_or_ok",
        source=dedent("""\
            def describe(flag):
                if flag:
                    label = "on"
                return "label" not in vars() or label
        """),
        expected=(),
        runtime="ok",
        trigger="assert m.describe(False) is True and m.describe(True) == 'on'",
    ),
    Case(
        id="globals_test_of_a_name_no_code_binds_ok",
        source=dedent("""\
            if "__compiled__" in globals():
                MODE = __compiled__
            else:
                MODE = "source"

            def mode():
                return __compiled__ if "__compiled__" in globals() else MODE

            SHOWN = "__compiled__" in dir() and __compiled__
        """),
        expected=(),
        runtime="ok",
        trigger="assert m.MODE == 'source' and m.mode() == 'source' and m.SHOWN is False",
    ),
    Case(
        id="existence_test_in_a_finally_ok",
        source=dedent("""\
            def copy(open_file, path):
                try:
                    handle = open_file(path)
                    return handle.read()
                finally:
                    if "handle" in locals():
                        handle.close()
                    "handle" in locals() and handle.close()
        """),
        expected=(),
        runtime="ok",
        trigger=dedent("""\
            def fail(path):
                raise OSError(path)
            try:
                m.copy(fail, "p")
            except OSError:
                pass
        """),
    ),
    Case(
        id="globals_test_does_not_prove_a_local_of_the_same_name",
        source=dedent("""\
            limit = 10

            def clamp(value):
                small = "limit" in globals() and value < limit
                limit = 5
                return small
        """),
        expected=(("IG102", 4, "limit"),),
        runtime="UnboundLocalError",
        trigger="m.clamp(1)",
    ),
    Case(
        id="existence_test_of_another_name_proves_nothing",
        source=dedent("""\
            def describe(flag):
                return "flag" in locals() and label
        """),
        expected=(("IG101", 2, "label"),),
        runtime="NameError",
        trigger="m.describe(True)",
    ),
    # ------------------------------------------------------------------ broad handlers catch the bug, not a probe
    Case(
        id="production_incident_name_error_caught_and_logged_by_except_exception",
        source=dedent("""\
            import asyncio
            import logging

            log = logging.getLogger(__name__)


            async def handle(ws):
                try:
                    started = time.time()
                    await ws.send(started)
                except Exception as e:
                    log.error(f"WebSocket error: {e}")


            def run(ws):
                asyncio.run(handle(ws))
        """),
        expected=(("IG101", 9, "time"),),
        runtime="NameError",
        caught=True,
        trigger="m.run(None)",
    ),
    Case(
        id="name_error_swallowed_by_except_base_exception",
        source=dedent("""\
            def shell():
                try:
                    return get_ipython()
                except BaseException:
                    return None
        """),
        expected=(("IG101", 3, "get_ipython"),),
        runtime="NameError",
        caught=True,
        trigger="assert m.shell() is None",
    ),
    Case(
        id="name_error_swallowed_by_bare_except",
        source=dedent("""\
            def stamp(record):
                try:
                    record["at"] = time.time()
                except:
                    record["at"] = None
                return record
        """),
        expected=(("IG101", 3, "time"),),
        runtime="NameError",
        caught=True,
        trigger="assert m.stamp({}) == {'at': None}",
    ),
    Case(
        id="name_error_under_broad_handler_that_reraises",
        source=dedent("""\
            import logging

            def save(row):
                try:
                    json.dumps(row)
                except Exception:
                    logging.exception("save failed")
                    raise
        """),
        expected=(("IG101", 5, "json"),),
        runtime="NameError",
        trigger="m.save({})",
    ),
    Case(
        id="probe_with_name_error_in_a_tuple_beside_exception_ok",
        source=dedent("""\
            def version():
                try:
                    return __compiled_version__
                except (NameError, Exception):
                    return "dev"
        """),
        expected=(),
        runtime="ok",
        trigger="assert m.version() == 'dev'",
    ),
    Case(
        id="del_of_a_name_nothing_binds",
        source=dedent("""\
            def clear():
                del never_bound_here

            del never_bound_anywhere
        """),
        expected=(("IG102", 2, "never_bound_here"), ("IG101", 4, "never_bound_anywhere")),
        runtime="NameError",
    ),
    Case(
        id="del_of_a_local_nothing_binds",
        source=dedent("""\
            def clear():
                del never_bound_here
        """),
        expected=(("IG102", 2, "never_bound_here"),),
        runtime="UnboundLocalError",
        trigger="m.clear()",
    ),
    Case(
        id="locals_guard_ok",
        source=dedent("""\
            def pick(flag):
                if flag:
                    value = 1
                if "value" in locals():
                    return value
                return None
        """),
        expected=(),
        runtime="ok",
        trigger="m.pick(False); m.pick(True)",
    ),
    Case(
        id="same_test_twice_ok",
        source=dedent("""\
            def run(verbose):
                if verbose:
                    start = 1
                work = 2
                if verbose:
                    return start + work
                return work
        """),
        expected=(),
        runtime="ok",
        trigger="m.run(False); m.run(True)",
    ),
    Case(
        id="same_test_after_its_name_is_rebound",
        source=dedent("""\
            def run(verbose):
                if verbose:
                    start = 1
                verbose = not verbose
                if verbose:
                    return start
                return 0
        """),
        expected=(("IG103", 6, "start"),),
        runtime="UnboundLocalError",
        trigger="m.run(False)",
    ),
    Case(
        id="loop_over_range_constant_runs_once_ok",
        source=dedent("""\
            def last():
                for i in range(3):
                    value = i
                for letter in "ab":
                    other = letter
                return value, other
        """),
        expected=(),
        runtime="ok",
        trigger="m.last()",
    ),
    Case(
        id="for_else_sees_only_loops_that_did_not_break_ok",
        source=dedent("""\
            def find(items):
                for item in items:
                    if item:
                        found = item
                        break
                else:
                    raise LookupError("none")
                return found
        """),
        expected=(),
        runtime="ok",
        trigger="m.find([0, 1])",
    ),
    Case(
        id="call_at_import_returns_before_the_unbound_use_ok",
        source=dedent("""\
            def letters(s=None):
                if not s:
                    return "AB"
                return check(s)

            LETTERS = letters()

            def check(s):
                return s
        """),
        expected=(),
        runtime="ok",
    ),
    Case(
        id="typing_factory_names_are_not_annotations_ok",
        source=dedent("""\
            from typing import Optional, TypeVar, cast

            def f(x: Optional[TypeVar("R")] = None):
                return cast("Missing", x)
        """),
        expected=(("IG106", 4, "Missing"),),
        runtime="ok",
        trigger="m.f()",
    ),
    Case(
        id="template_string_interpolation_is_a_use_py314",
        source=dedent("""\
            greeting = t"hello {namez}"
        """),
        expected=(("IG101", 1, "namez"),),
        runtime="NameError",
        min_version=(3, 14),
    ),
    Case(
        id="assert_never_ends_the_path_ok",
        source=dedent("""\
            from typing import assert_never

            def describe(flag: bool):
                if flag is True:
                    result = "yes"
                elif flag is False:
                    result = "no"
                else:
                    assert_never(flag)
                return result
        """),
        expected=(),
        runtime="ok",
        trigger="m.describe(True); m.describe(False)",
        min_version=(3, 11),
    ),
    Case(
        id="same_comparison_test_twice_ok",
        source=dedent("""\
            def run(items):
                if len(items) > 2:
                    head = items[0]
                if len(items)>2:  # the same test, spaced differently
                    return head
                return None
        """),
        expected=(),
        runtime="ok",
        trigger="m.run([1]); m.run([1, 2, 3])",
    ),
    Case(
        id="different_test_over_the_same_names",
        source=dedent("""\
            def run(items):
                if len(items) > 2:
                    head = items[0]
                if len(items) > 0:  # reads the same names, tests something else
                    return head
                return None
        """),
        expected=(("IG103", 5, "head"),),
        runtime="UnboundLocalError",
        trigger="m.run([1])",
    ),
    Case(
        id="broad_handler_after_plain_lookup_binding_ok",
        source=dedent("""\
            def restore(obj):
                try:
                    old = obj.state
                    obj.state = None
                    obj.run()
                except Exception:
                    obj.state = old
                    raise
        """),
        expected=(),
        runtime="ok",
        trigger=dedent("""\
            class O:
                state = 1
                def run(self):
                    raise ValueError
            try:
                m.restore(O())
            except ValueError:
                pass
        """),
    ),
    Case(
        id="specific_handler_after_lookup_binding",
        source=dedent("""\
            def connect(config):
                try:
                    url = config["url"]
                    return url.upper()
                except KeyError:
                    return "missing " + url
        """),
        expected=(("IG105", 6, "url"),),
        runtime="UnboundLocalError",
        trigger="m.connect({})",
    ),
    Case(
        id="finally_after_plain_lookup_binding_ok",
        source=dedent("""\
            def swap(obj, value):
                try:
                    old = obj.value
                    obj.value = value
                    obj.check()
                finally:
                    obj.value = old
        """),
        expected=(),
        runtime="ok",
        trigger=dedent("""\
            class O:
                value = 1
                def check(self):
                    pass
            m.swap(O(), 2)
        """),
    ),
    Case(
        id="class_body_behind_the_module_flag_ok",
        source=dedent("""\
            try:
                import json_is_not_installed_here
                HAS_JSON = True
            except ImportError:
                HAS_JSON = False

            class Codec:
                if HAS_JSON:
                    dumps = json_is_not_installed_here.dumps
        """),
        expected=(),
        runtime="ok",
    ),
    Case(
        id="handler_ends_in_nested_helper_that_exits_ok",
        source=dedent("""\
            import sys

            def main(argv):
                def usage(code):
                    print("usage")
                    sys.exit(code)
                try:
                    count = int(argv[0])
                except ValueError:
                    usage(2)
                return count
        """),
        expected=(),
        runtime="ok",
        trigger="assert m.main(['3']) == 3",
    ),
    Case(
        id="handler_ends_in_classmethod_that_raises_ok",
        source=dedent("""\
            class Net:
                @classmethod
                def _fail(cls, text):
                    raise ValueError(text)

                @classmethod
                def parse(cls, text):
                    try:
                        n = int(text)
                    except ValueError:
                        cls._fail(text)
                    return n
        """),
        expected=(),
        runtime="ok",
        trigger="assert m.Net.parse('1') == 1",
    ),
    Case(
        id="click_ctx_fail_in_handler_never_falls_through_ok",
        source=dedent("""\
            import click


            @click.command()
            @click.argument("text")
            @click.pass_context
            def show(ctx, text):
                try:
                    number = int(text)
                except ValueError:
                    ctx.fail(f"not a number: {text}")
                click.echo(number)
        """),
        expected=(),
        runtime="ok",
        trigger=dedent("""\
            import click
            m.show.main(["3"], standalone_mode=False)
            try:
                m.show.main(["x"], standalone_mode=False)
            except click.UsageError as error:
                assert "not a number: x" in error.message
            else:
                raise AssertionError("ctx.fail returned")
        """),
    ),
    Case(
        id="click_current_context_fail_in_handler_ok",
        source=dedent("""\
            from click import get_current_context


            def port(text):
                try:
                    number = int(text)
                except ValueError:
                    get_current_context().fail("not a port")
                return number
        """),
        expected=(),
        runtime="ok",
        trigger=dedent("""\
            import click
            with click.Context(click.Command("serve")):
                assert m.port("80") == 80
                try:
                    m.port("http")
                except click.UsageError:
                    pass
                else:
                    raise AssertionError("fail returned")
        """),
    ),
    Case(
        id="handler_ends_in_exit_of_an_aliased_sys_ok",
        source=dedent("""\
            import sys as _sys


            def level(text):
                try:
                    number = int(text)
                except ValueError:
                    _sys.exit(2)
                return number
        """),
        expected=(),
        runtime="ok",
        trigger=dedent("""\
            try:
                m.level("high")
            except SystemExit as stop:
                assert stop.code == 2
            else:
                raise AssertionError("exit returned")
        """),
    ),
    Case(
        id="handler_ends_in_os_exit_imported_by_name_ok",
        source=dedent("""\
            from os import _exit


            def level(text):
                try:
                    number = int(text)
                except ValueError:
                    _exit(0)
                return number
        """),
        expected=(),
        runtime="ok",
        # `_exit(0)` ends the process with status 0 at once; a fall-through would raise instead
        trigger='assert m.level("1") == 1; m.level("high"); raise AssertionError("_exit returned")',
    ),
    Case(
        id="handlers_end_in_pytest_outcomes_ok",
        source=dedent("""\
            import pytest


            def run(make):
                try:
                    value = make()
                except ValueError:
                    pytest.fail("bad value")
                except KeyError:
                    pytest.skip("no key")
                except LookupError:
                    pytest.xfail("known bug")
                except OSError:
                    pytest.exit("stop")
                return value
        """),
        expected=(),
        runtime="ok",
        trigger=dedent("""\
            def raising(kind):
                def make():
                    raise kind
                return make
            for kind in (ValueError, KeyError, IndexError, OSError):
                try:
                    m.run(raising(kind))
                except BaseException as error:
                    assert type(error).__name__ in ("Failed", "Skipped", "XFailed", "Exit"), repr(error)
                else:
                    raise AssertionError(kind)
            assert m.run(lambda: 1) == 1
        """),
    ),
    Case(
        id="handler_ends_in_unittest_skiptest_ok",
        source=dedent("""\
            import unittest


            class CodecTest(unittest.TestCase):
                def test_codec(self):
                    try:
                        import codec_is_not_installed_here as codec
                    except ImportError:
                        self.skipTest("no codec")
                    self.assertTrue(codec)
        """),
        expected=(),
        runtime="ok",
        trigger=dedent("""\
            import io, unittest
            tests = unittest.defaultTestLoader.loadTestsFromTestCase(m.CodecTest)
            result = unittest.TextTestRunner(stream=io.StringIO()).run(tests)
            assert result.wasSuccessful() and len(result.skipped) == 1, result.errors
        """),
    ),
    Case(
        id="handler_ending_in_a_log_call_falls_through",
        source=dedent("""\
            import logging

            log = logging.getLogger(__name__)


            def parse(text):
                try:
                    number = int(text)
                except ValueError:
                    log.error("not a number: %s", text)
                return number
        """),
        expected=(("IG105", 11, "number"),),
        runtime="UnboundLocalError",
        trigger='m.parse("x")',
    ),
    Case(
        id="handler_ending_in_print_falls_through",
        source=dedent("""\
            def parse(text):
                try:
                    number = int(text)
                except ValueError:
                    print("not a number:", text)
                return number
        """),
        expected=(("IG105", 6, "number"),),
        runtime="UnboundLocalError",
        trigger='m.parse("x")',
    ),
    Case(
        id="ctx_fail_without_click_falls_through",
        source=dedent("""\
            def parse(ctx, text):
                try:
                    number = int(text)
                except ValueError:
                    ctx.fail(f"not a number: {text}")
                return number
        """),
        expected=(("IG105", 6, "number"),),
        runtime="UnboundLocalError",
        trigger=dedent("""\
            class Collector:
                def fail(self, message):
                    print(message)
            m.parse(Collector(), "x")
        """),
    ),
    Case(
        id="handler_ending_in_a_module_function_named_exit_falls_through",
        source=dedent("""\
            def exit(code):
                print("would exit with", code)


            def main(text):
                try:
                    number = int(text)
                except ValueError:
                    exit(2)
                return number
        """),
        expected=(("IG105", 10, "number"),),
        runtime="UnboundLocalError",
        trigger='m.main("x")',
    ),
    Case(
        id="loop_target_read_in_a_handler_meant_for_the_body_is_only_possible",
        source=dedent("""\
            class Defect(Exception):
                pass

            def check(headers):
                try:
                    for header in headers:
                        if header.startswith("!"):
                            raise Defect(header)
                except Defect:
                    return "invalid header " + header
                return "ok"
        """),
        expected=(("IG103", 10, "header"),),
        runtime="ok",
        trigger="assert m.check(['a', '!b']) == 'invalid header !b'",
    ),
    Case(
        id="branch_binding_before_the_call_that_raises_ok",
        source=dedent("""\
            def main(name):
                try:
                    if name:
                        filename = name
                    else:
                        filename = "<stdin>"
                    compile("x = (", filename, "exec")
                except SyntaxError:
                    return "error in " + filename
        """),
        expected=(),
        runtime="ok",
        trigger="assert m.main('') == 'error in <stdin>'",
    ),
    Case(
        id="finally_after_handlers_that_catch_everything_ok",
        source=dedent("""\
            def run(job):
                try:
                    job()
                    code = 0
                except SystemExit as e:
                    code = e.code
                except:
                    code = 1
                finally:
                    print("exit code", code)
                return code
        """),
        expected=(),
        runtime="ok",
        trigger="assert m.run(lambda: 1 / 0) == 1",
    ),
    Case(
        id="finally_after_a_return_in_the_try",
        source=dedent("""\
            def fetch(open_conn):
                try:
                    conn = open_conn()
                    return conn.read()
                except OSError:
                    raise
                finally:
                    conn.close()
        """),
        expected=(("IG105", 8, "conn"),),
        runtime="UnboundLocalError",
        trigger="m.fetch(lambda: 1 / 0)",
    ),
    Case(
        id="finally_after_an_operator_that_fails",
        source=dedent("""\
            def main():
                try:
                    res = 1 / 0
                finally:
                    print(res)
        """),
        expected=(("IG105", 5, "res"),),
        runtime="UnboundLocalError",
        trigger="m.main()",
    ),
    Case(
        id="specific_handler_probably_for_a_later_call_is_only_possible",
        source=dedent("""\
            import math

            def log_of(c):
                try:
                    value = float(c)
                    result = math.log(value)
                except ValueError:
                    result = math.log(-value)
                return result
        """),
        expected=(("IG103", 8, "value"),),
        runtime="ok",
        trigger="assert m.log_of(-1.0) == 0.0",
    ),
    Case(
        id="later_handler_type_evaluated_only_after_earlier_handlers_ok",
        source=dedent("""\
            def adapt(value):
                try:
                    import codec_is_not_installed_here as codec
                    value = codec.adapt(value)
                except ImportError:
                    pass
                except codec.ProgrammingError:
                    pass
                return value
        """),
        expected=(),
        runtime="ok",
        trigger="assert m.adapt(1) == 1",
    ),
    Case(
        id="iterator_failing_before_the_first_item_under_a_broad_handler",
        source=dedent("""\
            def first_keys(rows):
                try:
                    for key in rows:
                        break
                except Exception:
                    return "no key after " + key
                return key
        """),
        expected=(("IG105", 6, "key"),),
        runtime="UnboundLocalError",
        trigger="m.first_keys(int(x) for x in ['?'])",
    ),
]
