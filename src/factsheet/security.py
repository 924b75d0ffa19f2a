"""Settings that keep a spec from reaching outside its project, pinned whatever the
environment says. ReportLab reads `reportlab_settings.py`, `~/.reportlab_settings` and
`RL_*` environment variables at import; a build must not fetch URLs or evaluate colour
expressions because such a file said so."""

from __future__ import annotations


def pin_reportlab_settings() -> None:
    """No trusted hosts or URL schemes, and colours parsed as literals only."""
    from reportlab import rl_config

    rl_config.trustedHosts = None  # no host is trusted: ReportLab fetches no URL
    rl_config.trustedSchemes = []
    rl_config.toColorCanUse = "rl_extended_literal_eval"
