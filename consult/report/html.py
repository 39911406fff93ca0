"""The report as one self-contained HTML page: Jinja2 templates (``templates/``) with autoescape,
inline CSS and SVG, no script, no network. Respondent text is cleaned (control characters out)
before it reaches the template, which escapes everything."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined

from consult.report.charts import svg
from consult.report.model import Report


@cache
def environment() -> Environment:
    env = Environment(loader=PackageLoader("consult.report", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=False, lstrip_blocks=False)
    env.globals["chart_svg"] = svg  # escapes every text itself (consult.report.charts)
    return env


def render_html(report: Report) -> str:
    return environment().get_template("report.html.j2").render(r=report)
