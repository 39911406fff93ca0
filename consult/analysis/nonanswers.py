"""Answers that say nothing ("n/a", "no comment", "see above"), set aside before any theme."""

from __future__ import annotations

import re
import unicodedata

NON_ANSWERS = {
    "",
    "no comment",
    "no comments",
    "no further comment",
    "no further comments",
    "no comment at this time",
    "no comments at this time",
    "none",
    "none at this time",
    "none at present",
    "none really",
    "none thanks",
    "none thank you",
    "nothing",
    "nothing to add",
    "nothing further",
    "nothing further to add",
    "nothing more to add",
    "nothing else",
    "nothing else to add",
    "nothing to say",
    "nothing to report",
    "n a",
    "na",
    "n.a",
    "nil",
    "not applicable",
    "not relevant",
    "dont know",
    "don't know",
    "do not know",
    "i dont know",
    "i don't know",
    "i do not know",
    "dunno",
    "idk",
    "not sure",
    "unsure",
    "no idea",
    "no view",
    "no views",
    "no opinion",
    "no answer",
    "no response",
    "pass",
    "skip",
    "see above",
    "as above",
    "see previous answer",
    "see previous",
    "see answer above",
    "same as above",
    "ditto",
    "see attached",
    "tbc",
    "tbd",
    "no comment to make",
    "nothing to comment",
}


# Short answers of these shapes say nothing either: "see my answer to the previous question",
# "not applicable to us", "we have no view on this", "can't comment", "not our area - pass".
NON_ANSWER_PATTERNS = [re.compile(p) for p in (
    r"^(please )?(see|as per|refer to) (my |our )?(answer|response|comments?|reply)( to| for| in)?"
    r"( the| my| our)?( previous| last| earlier| above| other)?( question| one| section)?$",
    r"^(see|as) (above|below|previous|before)$",
    r"^(this is )?(not applicable|not relevant|n a|na)( to| for)?( us| me| our organisation| this)?$",
    r"^(we|i) (have|hold) no (particular )?(view|views|opinion|comment|comments)( on| about)?( this| that)?$",
    r"^(no|no particular) (view|views|opinion|comment|comments) (on|about) (this|that)( question)?$",
    r"^(we |i )?(can't|cannot|can not|am unable to|are unable to|unable to) (comment|answer|say)"
    r"( on| about)?( this| that)?( question)?$",
    r"^not sure( don't know| dont know)?( enough)?( about this| about it)?( yet)?$",
    r"^not (our|my) area( pass)?$",
    r"^(don't|dont|do not) know( enough)?( about this| about it)?( yet)?$",
)]


#: Longer than this, an answer says something: the longest non-answer above, with every courtesy
#: the normaliser drops around it ("Sorry, at this stage we can't comment on this question,
#: thank you"), is under 120 characters; the patterns only match 12 words or fewer.
NON_ANSWER_MAX_CHARS = 300


def _norm_non_answer(text: str) -> str:
    t = unicodedata.normalize("NFKC", text).lower().replace("\u2019", "'")
    t = re.sub(r"[^\w' ]+", " ", t)
    t = re.sub(r"\b(thanks|thank you|please|at the moment|at this stage|sorry)\b", " ", t)
    return re.sub(r"\s+", " ", t).strip(" '")


def is_non_answer(text: str | None) -> bool:
    """True for answers that say nothing ("n/a", "no comment", "see above", "-", blank...).

    Such answers are counted separately so they can never become a theme of their own.
    Text with no letter or digit at all (only punctuation or emoji) counts as a non-answer.
    """
    if text is None:
        return True
    if not any(ch.isalnum() for ch in text):
        return True
    if len(text) > NON_ANSWER_MAX_CHARS:
        return False
    t = _norm_non_answer(text)
    if t in NON_ANSWERS or t.replace("'", "") in NON_ANSWERS:
        return True
    return len(t.split()) <= 12 and any(p.match(t) for p in NON_ANSWER_PATTERNS)

