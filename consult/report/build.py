"""Building the report model (:mod:`consult.report.model`) from the store, the bank and the
codebook (read only through :mod:`consult.report.source`, contract 1 of the playbook).

Nothing here formats for a medium or escapes: the writers do. Respondent text is cleaned and
redacted here (:mod:`consult.report.privacy`), figures pass through the small-number rule
(:mod:`consult.report.disclosure`), and quotes are picked once for the whole report
(:class:`consult.report.quotes.QuoteChooser`), so no quote repeats another anywhere.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

from consult.kinds import kind_of
from consult.questions import Bank, Question
from consult.report import charts, people, summary, tables, words
from consult.report import disclosure as dc
from consult.report.model import QuestionView, Quote, Report, SectionView, Table, ThemeView
from consult.report.privacy import Attributor, clean_label, consented, private_strings, quote_text
from consult.report.quotes import QuoteChooser, excerpt, ranked_sentences
from consult.report.source import CodedTheme, QuestionCoding, question_coding
from consult.report.summary import ATTEMPTS
from consult.store import Respondent, Store
from consult.text import clean, redact

MAIN_THEMES = 4  # broad themes shown in the body per question; the rest are in the appendix
QUOTES = ((0, 1),)  # quotes per question besides staff key quotes: one keeps the body to 10-12 pages
GENERATED = "Answers in this theme most often mention "  # a word list, never printed as a description


@dataclass
class Context:
    """What every part of the build needs: who is counted, who may be quoted, how to say so."""

    store: Store
    bank: Bank
    include_drafts: bool
    by_id: dict[str, Respondent]
    quotable: set[str]
    attributor: Attributor
    key_quotes: set[tuple[str, str]]
    excerpts: dict[tuple[str, str], tuple[int, int]]
    chooser: QuoteChooser = field(default_factory=QuoteChooser)
    exposed: list[int] = field(default_factory=list)  # questions where a small remainder follows

    def quote(self, rid: str, qid: str, text: str, *, sentence: str | None = None) -> Quote | None:
        """A quote from ``rid``'s answer (or one sentence of it), if consent allows and it says
        something no quote taken so far says."""
        if rid not in self.quotable:
            return None
        r = self.by_id[rid]
        key = (rid, qid) in self.key_quotes
        if sentence is None and key and (rid, qid) in self.excerpts:
            text = excerpt(text, *self.excerpts[(rid, qid)])
        hidden = private_strings(r, self.bank, hide_org=not consented(r, self.bank, "name"))
        shown = quote_text(sentence if sentence is not None else text, hidden)
        if not self.chooser.take(shown):
            return None
        return Quote(text=shown, attribution=self.attributor.describe(r), key=key, respondent_id=rid)


def build_report(store: Store, bank: Bank, *, include_drafts: bool = False,
                 now: datetime | None = None) -> Report:
    everyone = store.respondents(bank.id, include_excluded=True)
    live = [r for r in everyone if not r.excluded]
    counted = [r for r in live if r.submitted or include_drafts]
    by_id = {r.id: r for r in counted}
    ctx = Context(store=store, bank=bank, include_drafts=include_drafts, by_id=by_id,
                  quotable={r.id for r in counted if r.submitted and consented(r, bank, "quote")},
                  attributor=Attributor(bank, counted), key_quotes=store.key_quotes(),
                  excerpts=store.quote_excerpts())
    codings: dict[str, QuestionCoding] = {}
    answers: dict[str, dict[str, str]] = {}
    for q in bank.questions:
        answers[q.id] = {rid: text for rid, text in store.answers_to(q.id, consultation_id=bank.id)
                         if rid in by_id and text.strip()}
        if q.is_free_text:
            codings[q.id] = question_coding(store, bank.id, q.id, include_drafts=include_drafts)

    # key messages first: they take the best evidence, and nothing later repeats it
    key_messages = summary.key_messages(ctx, bank, codings, answers)
    sections: list[SectionView] = []
    number = 0
    for s_no, section in enumerate(bank.sections, start=1):
        views = []
        for q in section.questions:
            number += 1
            views.append(_question(ctx, q, number, answers[q.id], codings.get(q.id)))
        sections.append(SectionView(id=section.id, number=s_no, title=section.title, context=section.context,
                                    summary="", summary_quote=None, questions=views))
    for view, section in zip(sections, bank.sections, strict=True):
        view.summary, view.summary_quote = summary.section_summary(ctx, section, view, codings, answers)

    answered_any = {rid for a in answers.values() for rid in a}
    body_tables, appendix_tables, left_out = [], [], []
    for f in people.profile_fields(bank):
        table, note = people.profile_table(f, counted)
        if table is None:
            left_out.append(note)
        else:
            (body_tables if f.kind == "choice" else appendix_tables).append(table)
    run = store.latest_run(bank.id)
    stats = words.Counts(total=len(everyone), submitted=sum(1 for r in live if r.submitted),
                         drafts=sum(1 for r in live if not r.submitted), excluded=len(everyone) - len(live),
                         counted=len(counted), answered_any=len(answered_any),
                         include_drafts=include_drafts, publisher=bank.publisher)
    return Report(
        title=bank.title, subtitle=bank.subtitle, publisher=bank.publisher, date=bank.date, series=bank.series,
        generated_at=(now or datetime.now(UTC)).strftime("%-d %B %Y"),
        counted_line=dc.counted(len(counted), "organisation"),
        introduction=words.introduction(bank, stats),
        key_messages=key_messages, key_messages_note=words.key_messages_note(key_messages, stats),
        sections=sections, respondents=words.respondents(stats) + left_out, respondent_tables=body_tables,
        method=words.method(bank, run, any(not q.is_free_text for q in bank.questions),
                            remainder_follows=bool(ctx.exposed)),
        privacy=words.privacy(bank), conclusion=words.paragraphs(bank.conclusion),
        about=words.paragraphs(bank.publisher_about), contact=" ".join(bank.contact.split()),
        appendix_profile=appendix_tables, technical=words.technical(run), empty=not counted)


# ------------------------------------------------------------------------------- questions
def _question(ctx: Context, q: Question, number: int, answers: dict[str, str],
              coding: QuestionCoding | None) -> QuestionView:
    view = QuestionView(id=q.id, number=number, text=q.text, kind=q.kind,
                        answered_line=words.answered_line(len(answers), coding))
    if not answers:
        return view
    if not q.is_free_text:
        view.distribution = _distribution(q, answers)
        return view
    assert coding is not None
    if not coding.themes:
        view.notes.append(words.no_themes(coding, ctx.bank, ctx.store.latest_run(ctx.bank.id) is not None))
        return view
    top = [t for t in coding.themes if t.parent_id is None]
    children = {t.id: [c for c in coding.themes if c.parent_id == t.id] for t in top}
    shown = [t for t in top if not dc.is_small(t.count)][:MAIN_THEMES]
    for t in shown:
        tv = _theme(ctx, q, t, coding, answers)
        tv.children = [_theme(ctx, q, c, coding, answers) for c in children[t.id] if not dc.is_small(c.count)]
        view.themes.append(tv)
    # every theme shown with a staff key quote gives it; then members' words up to QUOTES
    for t in shown:
        if any((rid, q.id) in ctx.key_quotes for rid in t.respondents if rid in ctx.quotable):
            quote = _quote_for(ctx, q, t, answers)
            if quote is not None:
                view.quotes.append(quote)
    wanted = next(n for least, n in QUOTES if coding.population >= least)
    for t in shown:
        if len(view.quotes) >= wanted:
            break
        quote = _quote_for(ctx, q, t, answers)
        if quote is not None:
            view.quotes.append(quote)
    if shown and not view.quotes and not any(t.description_is_quote for t in view.themes):
        view.notes.append("No organisation whose answer is summarised here agreed to be quoted.")
    if len(shown) < len(top):
        view.notes.append(f"Smaller themes are listed in the appendix, table Q{number}.")
    main = [t for t in top if not dc.is_small(t.count)]
    grids = [(g, f) for f in people.breakdown_fields(ctx.bank)
             if (g := people.breakdown(f, [(clean_label(t.label), set(t.respondents)) for t in main],
                                       set(answers), ctx.by_id)) is not None]
    # the text prints the counts of the broad themes shown (key messages and summaries take theirs
    # from the same first few); a sub-theme whose count the tables must hide leaves the text
    made = tables.question_tables(f"Q{number}. {q.text}", coding, top, children, {t.id for t in shown},
                                  [([t.id for t in main], g) for g, _ in grids])
    view.full_table, view.breakdowns = made.full, made.breakdowns
    for tv in view.themes:
        tv.children = [c for c in tv.children if c.id not in made.hidden]
    view.chart = charts.theme_chart(number, coding, top, made.hidden, made.other)
    if made.exposed:
        ctx.exposed.append(number)
    if main and len(grids) < len(people.breakdown_fields(ctx.bank)):
        kept = {f.id for _, f in grids}
        view.breakdown_note = words.breakdowns_left_out(
            [people.title_of(f) for f in people.breakdown_fields(ctx.bank) if f.id not in kept])
    return view


def _description(t: CodedTheme) -> str:
    text = " ".join(clean(t.description).split())
    if not text or text.startswith(GENERATED):
        return ""
    return redact(text)


def _theme(ctx: Context, q: Question, t: CodedTheme, coding: QuestionCoding,
           answers: dict[str, str]) -> ThemeView:
    view = ThemeView(id=t.id, label=clean_label(t.label),
                     figure=dc.of(t.count, coding.population, "organisation") + (
                         "" if dc.is_small(t.count) else f" ({dc.pct(t.share)})"),
                     description=_description(t))
    if not view.description:
        pool = [rid for rid in t.primary or t.respondents if rid in ctx.quotable and rid in answers]
        for i, sentence in ranked_sentences([answers[rid] for rid in pool], t.terms):
            quote = ctx.quote(pool[i], q.id, answers[pool[i]], sentence=sentence)
            if quote is not None:
                view.description, view.description_is_quote = quote.text, True
                break
    return view


def _quote_for(ctx: Context, q: Question, t: CodedTheme, answers: dict[str, str]) -> Quote | None:
    """A staff key quote from the theme if there is one, else its most representative answer."""
    ranked = sorted(t.respondents, key=lambda rid: ((rid, q.id) not in ctx.key_quotes, rid not in t.primary))
    tried = 0
    for rid in ranked:
        if rid in answers and rid in ctx.quotable:
            if (quote := ctx.quote(rid, q.id, answers[rid])) is not None:
                return quote
            tried += 1
            if tried >= ATTEMPTS and (rid, q.id) not in ctx.key_quotes:
                return None
    return None


def _distribution(q: Question, answers: dict[str, str]) -> Table:
    counts: Counter = Counter()
    for text in answers.values():
        counts.update(list(dict.fromkeys(clean(v) for v in q.answer_values(text))))
    order = list(q.choices) + sorted(k for k in counts if k not in q.choices)
    figures = [counts[o] for o in order]
    kind = kind_of(q)
    hidden = dc.suppress(figures, total_known=kind.one_value)
    total = len(answers)
    rows = [[o, h or dc.count(n), dc.DASH if h else dc.pct(n / total)]
            for o, n, h in zip(order, figures, hidden, strict=True)]
    head = kind.value_word.capitalize()
    notes = words.distribution_notes(q, hidden, any(o not in q.choices for o in order))
    return Table(caption=f"Answers by {head.lower()}", header=[head, "Organisations", "Share"], rows=rows,
                 notes=notes)
