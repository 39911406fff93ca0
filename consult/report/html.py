"""The report as one self-contained HTML file: inline CSS, inline SVG charts, no script, no
network. Every string from a respondent or the analysis goes through :func:`esc`."""

from __future__ import annotations

import html
from importlib.resources import files

from consult.report import words
from consult.report.build import (
    FEWER,
    BreakdownTable,
    QuestionReport,
    ReportData,
    SectionReport,
    SummaryItem,
    ThemeReport,
)
from consult.report.charts import bar_chart, inline_bar
from consult.text import clean


def esc(text: str) -> str:
    """Clean control characters and escape for HTML text and attribute values."""
    return html.escape(clean(text), quote=True)


def _paras(text: str) -> str:
    return "".join(f"<p>{esc(p.strip())}</p>" for p in clean(text).split("\n\n") if p.strip())


def _quote_html(text: str) -> str:
    paras = [p.strip() for p in text.split("\n\n") if p.strip()]
    return "".join(f"<p>{esc(p).replace(chr(10), '<br>')}</p>" for p in paras)


def css() -> str:
    return files("consult.report").joinpath("report.css").read_text(encoding="utf-8")


def render_html(d: ReportData) -> str:
    out: list[str] = []
    w = out.append
    w("<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n")
    w('<meta name="viewport" content="width=device-width, initial-scale=1">\n')
    w(f"<title>{esc(d.title)}: what members told Clinks</title>\n")
    w(f"<style>\n{css()}\n</style>\n</head>\n<body>\n<main>\n")
    _cover(d, w)
    if d.empty:
        w(f'<section class="part" id="summary"><h2>Summary</h2><p class="empty">{words.NO_RESPONSES}</p>'
          "</section>\n")
        _questions_only(d, w)
    else:
        _contents(d, w)
        _summary(d, w)
        _respondents(d, w)
        _method(d, w)
        for s in d.sections:
            _section(d, s, w)
    w(f'<footer><p>{esc(words.PRIVACY)}</p><p>Produced with consult on {esc(d.generated_at)}.</p></footer>\n')
    w("</main>\n</body>\n</html>\n")
    return "".join(out)


# --------------------------------------------------------------------------------- front
def _cover(d: ReportData, w) -> None:
    w('<header class="cover">\n')
    if d.series:
        w(f'<p class="series">{esc(d.series)}</p>\n')
    w(f"<h1>{esc(d.title)}</h1>\n")
    if d.subtitle:
        w(f'<p class="subtitle">{esc(d.subtitle)}</p>\n')
    w(f'<p class="kicker">What {esc(d.publisher or "members")} members said: feedback to Government</p>\n')
    w('<dl class="facts">')
    if d.publisher:
        w(f"<dt>Published by</dt><dd>{esc(d.publisher)}</dd>")
    if d.date:
        w(f"<dt>Discussion paper</dt><dd>{esc(d.date)}</dd>")
    w(f"<dt>Responses counted</dt><dd>{d.counted:,}</dd>")
    w(f"<dt>Report produced</dt><dd>{esc(d.generated_at)}</dd>")
    w("</dl>\n</header>\n")


def _contents(d: ReportData, w) -> None:
    w('<nav class="contents" aria-label="Contents"><h2>Contents</h2><ol>')
    w('<li><a href="#summary">Summary</a></li><li><a href="#respondents">Who responded</a></li>'
      '<li><a href="#method">How the answers were analysed</a></li>')
    for s in d.sections:
        w(f'<li><a href="#{s.anchor}">{esc(s.title)}</a><ol class="qs">')
        for q in s.questions:
            w(f'<li><a href="#{q.anchor}">Q{q.number}. {esc(words.short_question(q, 90))}</a></li>')
        w("</ol></li>")
    w("</ol></nav>\n")


def _questions_only(d: ReportData, w) -> None:
    """For an empty consultation: the questions asked, so the report still says what was asked."""
    w('<section class="part"><h2>The questions</h2>')
    for s in d.sections:
        w(f"<h3>{esc(s.title)}</h3><ol class=\"plain\">")
        for q in s.questions:
            w(f'<li id="{q.anchor}"><strong>Q{q.number}.</strong> {esc(q.text)}</li>')
        w("</ol>")
    w("</section>\n")


def _qlink(q: QuestionReport) -> str:
    return f'<a href="#{q.anchor}">Q{q.number}</a>'


def _summary(d: ReportData, w) -> None:
    w('<section class="part" id="summary"><h2>Summary</h2>\n')
    w(f'<p class="lead">{esc(words.summary_lead(d))}</p>\n')
    w(f"<p>{esc(words.answered_overall(d))}</p>\n")
    if d.strongest:
        w("<div class=\"block\"><h3>The strongest themes</h3><p>The themes raised by the largest shares "
          "of those answering a question:</p><ol class=\"summary\">")
        for item in d.strongest:
            t, q = item.themes[0], item.question
            w(f"<li><strong>{esc(t.label)}</strong>: {words.pct(t.share)} of answers to {_qlink(q)} "
              f"<span class=\"q\">({esc(words.short_question(q))})</span>, {words.plural(t.count, 'answer')}.</li>")
        w("</ol></div>\n")
    if d.agreed:
        w("<div class=\"block\"><h3>Where members agreed</h3><ul class=\"summary\">")
        for item in d.agreed:
            _summary_item(item, w, agreed=True)
        w("</ul></div>\n")
    if d.divided:
        w("<div class=\"block\"><h3>Where views divided</h3><p>No single view dominated: answers spread "
          "across several themes of similar size. These may be different concerns rather than opposing "
          "views; the question pages say more.</p><ul class=\"summary\">")
        for item in d.divided:
            _summary_item(item, w, agreed=False)
        w("</ul>")
        if d.divided_more:
            w(f"<p>Answers were also spread across several themes in "
              f"{', '.join(_qlink(i.question) for i in d.divided_more)}.</p>")
        w("</div>\n")
    if not (d.agreed or d.divided or d.strongest):
        w("<p>Too few answers have been analysed yet to say where members agreed or disagreed.</p>")
    if d.recurring:
        w("<div class=\"block\"><h3>Themes that recur across questions</h3><ul class=\"summary\">")
        for label, qs in d.recurring:
            w(f"<li><strong>{esc(label)}</strong>: {', '.join(_qlink(q) for q in qs)}</li>")
        w("</ul></div>\n")
    w("</section>\n")


def _summary_item(item: SummaryItem, w, *, agreed: bool) -> None:
    q = item.question
    themes = "; ".join(f"<strong>{esc(t.label)}</strong> ({words.pct(t.share)})" for t in item.themes)
    lead = "Most said" if agreed else "Spread across"
    w(f"<li>{_qlink(q)} <span class=\"q\">{esc(words.short_question(q))}</span><br>{lead}: {themes}</li>")


def _count_table(rows, caption: str) -> str:
    top = max((r.count for r in rows), default=0) or 1
    body = "".join(
        f"<tr><td>{esc(r.label)}</td><td class=\"n\">{esc(r.shown)}</td>"
        f"<td>{inline_bar(r.count / top, muted=r.label in ('Not stated', 'Other')) if r.count else ''}</td></tr>"
        for r in rows)
    return (f'<table class="counts"><caption>{esc(caption)}</caption><thead><tr><th>Group</th>'
            f'<th class="n">Responses</th><th><span class="sr">Bar</span></th></tr></thead><tbody>{body}</tbody></table>')


def _respondents(d: ReportData, w) -> None:
    w('<section class="part" id="respondents"><h2>Who responded</h2>\n')
    w(f"<p>{esc(words.response_overview(d))}</p>\n")
    w('<table class="counts status"><thead><tr><th>Responses</th><th class="n">Number</th><th>In this '
      'report</th></tr></thead><tbody>')
    w(f"<tr><td>Submitted</td><td class=\"n\">{d.submitted:,}</td><td>Counted</td></tr>")
    w(f"<tr><td>Drafts (not yet submitted)</td><td class=\"n\">{d.drafts:,}</td>"
      f"<td>{'Counted' if d.include_drafts else 'Not counted'}</td></tr>")
    w(f"<tr><td>Excluded by staff</td><td class=\"n\">{d.excluded:,}</td><td>Not counted</td></tr>")
    w("</tbody></table>\n")
    for p in d.profile:
        w('<div class="profile">')
        w(f"<h3>{esc(p.title)}</h3>")
        if p.multi:
            w("<p class=\"note\">Organisations could choose several, so the figures add up to more than "
              "the number of responses.</p>")
        w(_count_table(p.rows, p.title))
        w("</div>\n")
    w("</section>\n")


def _method(d: ReportData, w) -> None:
    w('<section class="part" id="method"><h2>How the answers were analysed</h2>\n')
    for p in words.method_paragraphs(d):
        w(f"<p>{esc(p)}</p>\n")
    w(f"<p>{esc(words.PRIVACY)}</p>\n")
    m = d.method
    if m and (m.params or m.summary):
        w('<details open class="params"><summary>Technical details of the analysis</summary><dl>')
        for k, v in m.params + m.summary:
            w(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>")
        w("</dl></details>\n")
    w("</section>\n")


# --------------------------------------------------------------------------------- questions
def _section(d: ReportData, s: SectionReport, w) -> None:
    w(f'<section class="paper-section" id="{s.anchor}">\n<h2><span class="num">Section {s.number}</span> '
      f"{esc(s.title)}</h2>\n")
    if s.context:
        w(f'<div class="context"><p class="label">From the paper (summary)</p>{_paras(s.context)}</div>\n')
    for q in s.questions:
        _question(q, w)
    w("</section>\n")


def _question(q: QuestionReport, w) -> None:
    w(f'<article class="question" id="{q.anchor}">\n')
    w(f'<h3><span class="num">Q{q.number}</span> {esc(q.text)}</h3>\n')
    w(f'<p class="answered">{esc(words.answered_line(q))}</p>\n')
    if q.note and q.answered:
        w(f'<p class="note">{esc(q.note)}</p>\n')
    if q.distribution and q.answered:
        _distribution(q, w)
    if q.themes:
        items = [(t.label if t.kind == "theme" else "Other (no common theme)", t.share,
                  f"{t.count:,} ({words.pct(t.share)})", t.kind != "theme") for t in q.themes]
        w(bar_chart(items, title=f"Q{q.number}: answers by theme", width=760, label_chars=46))
        w('<ol class="themes">')
        for t in q.themes:
            _theme(t, q, w)
        w("</ol>\n")
    if q.breakdown is not None:
        _breakdown(q.breakdown, w)
    elif q.breakdown_note:
        w(f'<p class="note">{esc(q.breakdown_note)}</p>\n')
    w("</article>\n")


def _distribution(q: QuestionReport, w) -> None:
    """A choice, multi or scale question: a bar chart and a table of every option."""
    if q.kind == "scale" and q.help:
        w(f'<p class="note">{esc(q.help)}</p>\n')
    items = [(o.label, 0.0 if o.hidden else o.share, words.option_figure(o), not o.listed)
             for o in q.distribution]
    w('<div class="dist">')
    w(bar_chart(items, title=f"Q{q.number}: answers by {words.option_word(q)}", width=760,
                label_chars=46))
    head = "Number" if q.kind == "scale" else "Option"
    body = "".join(
        f'<tr><td>{esc(o.label)}</td><td class="n">{esc(o.shown)}</td>'
        f'<td class="n">{esc(words.option_share(o))}</td></tr>' for o in q.distribution)
    w(f'<table class="counts distribution"><caption>Q{q.number}: answers by '
      f'{esc(words.option_word(q))}</caption><thead><tr><th>{head}</th><th class="n">Answers</th>'
      f'<th class="n">Share</th></tr></thead><tbody>{body}</tbody></table>\n')
    for note in words.distribution_notes(q):
        w(f'<p class="note">{esc(note)}</p>\n')
    w("</div>\n")


def _theme(t: ThemeReport, q: QuestionReport, w) -> None:
    label = t.label if t.kind == "theme" else "Other (no common theme)"
    w(f'<li class="theme {t.kind}"><h4>{esc(label)} <span class="size">{esc(words.theme_line(t, q))}</span></h4>')
    desc = words.describe_theme(t, esc) if q.kind == "text" else ""
    if desc:
        w(f'<p class="desc">{desc}</p>')
    terms = words.key_words(t) if q.kind == "text" else ""
    if terms:
        w(f'<p class="terms">{esc(terms)}</p>')
    if t.similar_to:
        w(f'<p class="terms">Close to the theme \u201c{esc(t.similar_to)}\u201d.</p>')
    for quote in t.quotes:
        star = ' class="key"' if quote.key else ""
        w(f"<figure{star}><blockquote>{_quote_html(quote.text)}</blockquote>"
          f"<figcaption>{esc(quote.attribution)}</figcaption></figure>")
    if t.kind == "theme" and not t.quotes and q.kind == "text":
        w('<p class="noquote">No organisation in this theme agreed to be quoted.</p>')
    w("</li>")


def _breakdown(b: BreakdownTable, w) -> None:
    w('<div class="breakdown"><table><caption>Who raised each theme: share of each group\u2019s '
      "substantive answers</caption><thead><tr><th>Theme</th>")
    for c in b.columns:
        w(f'<th class="n">{esc(c)}</th>')
    w("</tr></thead><tbody>")
    for label, cells in b.rows:
        w(f"<tr><th scope=\"row\">{esc(label)}</th>")
        for c in cells:
            shown = ("&lt;5" if c.hidden == FEWER else "\u2013") if c.hidden else words.pct(c.share or 0)
            w(f'<td class="n">{shown}</td>')
        w("</tr>")
    w('<tr class="total"><th scope="row">Answered</th>')
    for c in b.answered:
        w(f'<td class="n">{c.count:,}</td>')
    w("</tr></tbody></table>")
    w(f'<p class="note">&lt;5: {esc(words.breakdown_note(b))}</p></div>\n')
