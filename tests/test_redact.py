"""consult.text.redact: e-mail addresses, UK phone numbers and postcodes out of quoted text."""

from __future__ import annotations

import pytest

from consult.text import redact

EMAILS = [
    "jo@example.org",
    "jo.bloggs+x@sub.example.co.uk",
    "JO.BLOGGS@EXAMPLE.COM",
    "first_last-99@my-charity.org.uk",
    "o'brien@example.ie",
    "jo (at) example (dot) org",
    "jo [at] example [dot] org",
    "jo(at)example(dot)org",
    "jo at example dot co dot uk",
    "jo at example dot org",
    "jo@example",
    "jo @ example.org",
    "mailto:jo@example.org",
]

PHONES = [
    "07700 900123",
    "07700900123",
    "07700 900 123",
    "0770 090 0123",
    "+44 7700 900123",
    "+447700900123",
    "+44 (0)7700 900123",
    "0044 7700 900123",
    "+44 (0)20 7946 0958",
    "020 7946 0958",
    "(020) 7946 0958",
    "02079460958",
    "020-7946-0958",
    "(0117) 496 0000",
    "0117-496-0000",
    "0117 496 0000",
    "0117.496.0000",
    "01632 960 001",
    "(01632) 960001",
    "0800 123 4567",
    "0845 46 47",
    "tel: 0161 496 0000",
    "Tel:01614960000",
]

POSTCODES = ["BS1 4DJ", "sw1a 1aa", "SW1A 1AA", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "EC1A 1BB",
             "bs14dj", "W1A 0AX"]

SAFE = [
    "£250,000",
    "2010",
    "12 months",
    "1 in 5",
    "In 2010-11 we had 1,200 clients",
    "a budget of £1.5 million over 3 years",
    "between 2009 and 2010",
    "Section 17 of the Crime and Disorder Act 1998",
    "we run 24 hours a day, 7 days a week",
    "ratio 1:10",
    "55% of 300 people",
    "on 30 June 2010 the Secretary of State spoke",
    "Reference 2010/11/0045",
    "The A1 and M25",
    "Payment by results at 10% withheld",
    "ISBN 978 0 123 45678 9",
    "PO Box 12",
    "at least 5 organisations at risk",
    "Meet the team at Example Trust",
    "We met at Leeds. Then we went home.",
    "Staff at Clinks. They said so.",
    "@ClinksTweets on social media",
]


@pytest.mark.parametrize("email", EMAILS)
def test_emails_redacted(email):
    out = redact(f"Write to {email} for details.")
    assert "[email removed]" in out, out
    assert "jo" not in out.lower().replace("[email removed]", "").split("write to")[-1].split("for details")[0]


@pytest.mark.parametrize("phone", PHONES)
def test_phones_redacted(phone):
    out = redact(f"Call us on {phone} any time.")
    digits = [c for c in phone if c.isdigit()]
    assert "[phone removed]" in out, out
    assert sum(c.isdigit() for c in out) <= 2, out  # at most a stray '44' prefix word
    assert len(digits) >= 7


@pytest.mark.parametrize("postcode", POSTCODES)
def test_postcodes_redacted(postcode):
    out = redact(f"Our office is at 1 High Street, Bristol {postcode}, near the station.")
    assert "[postcode removed]" in out, out
    assert postcode not in out


@pytest.mark.parametrize("text", SAFE)
def test_no_false_positives(text):
    assert redact(text) == text


def test_several_in_one_answer_and_newlines():
    text = ("Contact: jo@example.org\nPhone 07700 900123 or (0117) 496 0000.\n"
            "Office: BS1 4DJ. We help 1 in 5 people on £250,000 a year since 2010.")
    out = redact(text)
    assert out.count("[email removed]") == 1
    assert out.count("[phone removed]") == 2
    assert out.count("[postcode removed]") == 1
    assert "1 in 5" in out and "£250,000" in out and "2010" in out
    assert out.count("\n") == 2
