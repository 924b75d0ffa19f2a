"""Settings and checks that keep a spec from reaching outside its project or into the
user's terminal. ReportLab reads `reportlab_settings.py`, `~/.reportlab_settings` and
`RL_*` environment variables at import; a build must not fetch URLs or evaluate colour
expressions because such a file said so, and no file of the working directory may be
imported as a module at all. Text from a spec or a data file may hold control
characters (ESC, BEL, NUL, the bidi overrides): they are refused where they are read,
and every line the CLI prints shows any that slip through as visible escapes (`\\x1b`,
`\\u202e`), so no input can drive the terminal."""

from __future__ import annotations

import os
import re
import sys

# C0 controls but tab and newline (a carriage return included), DEL, C1 controls, and
# the bidi embeddings, overrides and isolates that reorder what a reader sees.
_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
CONTROL = re.compile(f"[{_CONTROLS}]")
# What the terminal must never receive raw: the above, and the line and paragraph
# separators.
_UNSAFE = re.compile(f"[{_CONTROLS}\u2028\u2029]")


def describe_control(char: str) -> str:
    """`U+001B` for one control character, as a message names it."""
    return f"U+{ord(char):04X}"


def escape_controls(text: str) -> str:
    """`text` with every control character shown as a visible escape (`\\x1b`,
    `\\u202e`); newlines and tabs stay as they are."""
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(_escape, text)


def say(message: str) -> None:
    """Print a note to standard error at once, its control characters escaped (for
    notes outside the reporter: a lock being waited for, a manifest not saved)."""
    print(escape_controls(message), file=sys.stderr, flush=True)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def no_imports_from_cwd() -> None:
    """Drop the working directory from `sys.path` (Python puts it first for `python -m`
    and for scripts run from it), so that no `reportlab_settings.py` or other module
    lying in a project is ever imported."""
    here = os.path.realpath(os.getcwd())
    sys.path[:] = [
        entry for entry in sys.path if entry not in ("", ".") and os.path.realpath(entry) != here
    ]


def no_pydantic_plugins() -> None:
    """Load no pydantic plugins while validating specs, unless the user's environment
    says otherwise (PYDANTIC_DISABLE_PLUGINS): no installed package's code observes a
    spec, and the scan of every installed package's entry points that finds plugins
    (a tenth of the start-up of a build) is skipped."""
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")


def pin_reportlab_settings() -> None:
    """No trusted hosts or URL schemes, and colours parsed as literals only."""
    from reportlab import rl_config

    rl_config.trustedHosts = None  # no host is trusted: ReportLab fetches no URL
    rl_config.trustedSchemes = []
    rl_config.toColorCanUse = "rl_extended_literal_eval"
