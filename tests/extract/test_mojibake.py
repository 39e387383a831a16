"""Text that was UTF-8 read as Mac Roman is repaired before names are compared, positions intact."""

from __future__ import annotations

import pytest

from app.extract import extract
from app.extract.mojibake import repair_mojibake


@pytest.mark.parametrize(
    ("damaged", "repaired"),
    [
        ("H√§rk√∂nen", "Härkönen"),
        ("üéâ", "🎉"),
        ("\uf8ffüéâ\uf8ffüêØ", "🎉🐯"),
        ("Philosopher‚Äôs Stone", "Philosopher’s Stone"),
        ("Baltru≈°aitis", "Baltrušaitis"),
        ("R√©mi Munos, Florent Altch√©", "Rémi Munos, Florent Altché"),
    ],
)
def test_mac_roman_mojibake_is_repaired(damaged: str, repaired: str) -> None:
    assert repair_mojibake(damaged)[0] == repaired


@pytest.mark.parametrize(
    "correct",
    ["voilà —été “élan” «été»", "x ≤ y, Φ(x) ∼ N(0,1) — ϵ-greedy", "plain ASCII text", "Ça « été » …é"],
)
def test_correct_text_is_left_alone(correct: str) -> None:
    assert repair_mojibake(correct)[0] == correct


def test_repaired_offsets_map_back_to_the_original_characters() -> None:
    original = "x H√§rk√∂nen y"
    repaired, offsets = repair_mojibake(original)
    start = repaired.index("y")
    assert original[offsets.to_source(start)] == "y"
    name = repaired.index("Härkönen")
    assert original[offsets.to_source(name) : offsets.to_source_end(name + len("Härkönen"))] == "H√§rk√∂nen"


def test_authors_are_repaired_but_the_position_counts_original_characters() -> None:
    post = (
        "### Alias-Free Generative Adversarial Networks\n"
        "- Authors: Tero Karras, Erik H√§rk√∂nen\n"
        "- Link: H√§rk√∂nen https://arxiv.org/abs/2106.12423\n"
    )
    (reference,) = extract(post, format="markdown").references
    assert reference.cited.authors == ("Tero Karras", "Erik Härkönen")
    # 20 counts the ten original characters of "H√§rk√∂nen"; the repaired text has eight
    assert (reference.line, reference.column) == (3, 20)
    assert reference.text == "https://arxiv.org/abs/2106.12423"
