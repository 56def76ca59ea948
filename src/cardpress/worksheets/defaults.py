"""Built-in worksheet content, used wherever a catalog leaves it out.

A user catalog may have no `[protocol]` or `[three_pass]` table; the worksheet must still
be complete, so the phases, grading questions and passes of the source documents live
here as data (seeds 001 "Paper-Read Drill" and 002 "Papers Reading Guide", verbatim).
The wording of the page-two boxes lives here too, so all prose is in one place.
"""

from __future__ import annotations

from dataclasses import replace

from cardpress.catalog.model import Catalog, NoteField, Pass, Phase, ReadingProtocol, ThreePass

PROTOCOL = ReadingProtocol(
    intro=("A \"paper round\" in an AI-lab interview gives you 20-30 minutes with a paper (sometimes "
           "pre-shared, sometimes cold) and then 20-30 minutes of discussion. You will not finish the "
           "paper. That is fine. The protocol:"),
    outcome=("You walk into the discussion with: the one-sentence claim, the headline figure, the "
             "central equation, the most important ablation, and one weakness."),
    grading=(
        "Did you identify the claim correctly? (Many candidates over-read.)",
        "Can you explain the central method without jargon?",
        "Did you notice what is not in the paper? (Missing ablation, biased baseline, no scaling study.)",
        "Do you have an opinion? \"I think the method works but the evaluation overstates it because of X.\"",
    ),
    phases=(
        Phase(0, 2, "Title, abstract, conclusion", "Get the claim. Write it in one sentence in the margin."),
        Phase(2, 5, "Figures and tables", "This is where the result lives. Read every caption. Mark \"the "
              "headline figure\" and \"the surprising table\"."),
        Phase(5, 12, "Method", "The core section. Read for exactly what is novel. Skip background. "
              "Re-derive the central equation on paper."),
        Phase(12, 16, "Experiments", "Read only the setup that grounds the headline number. Skip the "
              "laundry list of benchmarks."),
        Phase(16, 18, "Ablations", "This is where weak papers fall apart. Look for what is missing."),
        Phase(18, 20, "Limitations / related work", "Note what the authors themselves admit is weak. This "
              "is the easiest place to pose a question."),
    ),
)

THREE_PASS = ThreePass(
    passes=(
        Pass("Survey", "five to ten minutes",
             "title, abstract, introduction (last paragraph), section headers, conclusions, figures and "
             "tables (without details).",
             "You understand what the paper is about, what the problem is, what the result is."),
        Pass("Comprehension", "thirty to sixty minutes",
             "read fully skipping proofs and details, take notes (key ideas, questions), look at figures "
             "and equations carefully.",
             "You can explain the paper to a colleague."),
        Pass("Deep Dive", "several hours",
             "only for important papers, reproduce derivations, critically analyze assumptions, connect "
             "with other works.",
             "You can implement and improve."),
    ),
    fields=(
        NoteField("metadata", "authors, year, link"),
        NoteField("problem", "one sentence on what specific problem it solves"),
        NoteField("key idea", "two to three sentences on the main insight or breakthrough"),
        NoteField("method", "bullet points of the main approach, including key formulas"),
        NoteField("results", "main numbers, benchmarks, comparison with baseline"),
        NoteField("limitations", "what does not work, what assumptions, under what conditions it is not applicable"),
        NoteField("your questions", "what remained unclear, what ideas for improvement"),
    ),
)

# The three-pass "metadata" field is the worksheet's header (author, year, title) plus a link line.
METADATA_FIELD = "metadata"

# Page two of the protocol worksheet: (field name, label, prompt). The five items the
# protocol's outcome names, plus the "surprising table" of phase 2 and the opinion the
# fourth grading question asks for.
CLAIM = ("claim", "One-sentence claim", "")
BOX_PAIRS = (
    (("headline-figure", "Headline figure", "Which figure or table carries the result?"),
     ("surprising-table", "Surprising table", "What did not match your expectation?")),
    (("equation", "Central equation", "Re-derived on paper, in your own notation."),
     ("ablation", "Most important ablation", "What does it remove, and what breaks?")),
    (("weakness", "One weakness", "Missing ablation, biased baseline, no scaling study?"),
     ("opinion", "Your opinion", "I think the method works but the evaluation overstates it because...")),
)

# The short "read:" hint of each phase, keyed by phase title (lower case); taken from
# what the source says to read in that phase. Phases a catalog adds get "read: <title>".
PHASE_HINTS = {
    "title, abstract, conclusion": "read: title, abstract, conclusion",
    "figures and tables": "read: every caption",
    "method": "read: the novel part only; skip background",
    "experiments": "read: the setup behind the headline number",
    "ablations": "read: the ablation tables; what is missing?",
    "limitations / related work": "read: what the authors admit is weak",
}

# Side one's reading box. A paper with no reading list gets what the guides say it is
# about, introduced by these leads, as what the sections it names must show.
READ_TITLE = "What to read (in priority order)"
READ_PROMPT = "Sections, figures, tables."
READ_PROMPT_FOR = "The sections, figures and tables that show:"
PROBLEM_LEAD = "The problem: "
IDEA_LEAD = "The key idea: "
CARD_LEAD = "The card's claim: "

OUTCOME_HINT = "Tick each phase when its time is up; move on even if you are not done."
FOLLOWUPS_TITLE = "Likely follow-up questions"
FOLLOWUPS_HINT = "Answer each aloud in 60 seconds; note the key points."
GRADING_TITLE = "Self-check: what interviewers grade"
RECALL_TITLE = "Recall check"
RECALL_HINT = "The card's three numbers, from memory."
REMEMBER_TITLE = "Three things to remember"
PITFALL_TITLE = "Pit-of-failure"
BLANK_FOLLOWUPS = 3  # question slots printed when the catalog lists none (the source gives three)


def protocol_for(catalog: Catalog) -> ReadingProtocol:
    """The catalog's reading protocol, each missing part filled from the built-in one."""
    p = catalog.protocol
    return replace(
        p,
        intro=p.intro or PROTOCOL.intro,
        outcome=p.outcome or PROTOCOL.outcome,
        grading=p.grading or PROTOCOL.grading,
        phases=p.phases or PROTOCOL.phases,
    )


def three_pass_for(catalog: Catalog) -> ThreePass:
    t = catalog.three_pass
    return ThreePass(passes=t.passes or THREE_PASS.passes, fields=t.fields or THREE_PASS.fields)
