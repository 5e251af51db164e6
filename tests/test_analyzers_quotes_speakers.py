"""Speaker rules on the real parse (the configured pipeline)."""

from __future__ import annotations

import pytest
from spacy.language import Language


@pytest.mark.parametrize(
    ("text", "quoted", "kind", "speaker"),
    [
        # a transcript turn names its speaker in capitals
        ('Partial transcript:\n\n"HARRIS: We will not back down on this, and we never have."', "We will not", "direct", "HARRIS"),
        # a participle right after a name: the name speaks
        ('The ad shows footage of Maria Lopez asking, "Why are we still waiting for the bridge?"', "Why are we", "direct", "Maria Lopez"),
        # a participle continuing a clause: that clause's subject speaks
        ('Johnson said, adding a warning, "This budget will not pass the Senate."', "This budget", "direct", "Johnson"),
        # a quotation right after a sentence ending in a cue: that cue's speaker
        ('The board may delay the vote until spring, Okafor said. "We need more time to read the report."', "We need", "direct", "Okafor"),
        # a verb of thinking inside a speech verb: the speech verb's subject
        ('Mr. Brandt said, most voters have come to believe "that the river must be cleaned up now."', "the river", "mixed", "Mr. Brandt"),
        # one quoted word in what a speech verb reports is the speaker's word
        ('The governor said it would be "improper" to comment on the inquiry.', "improper", "mixed", "The governor"),
        # a name signed after a dash
        ('"Nothing about us without us." \u2014 Ana Reyes', "Nothing about", "direct", "Ana Reyes"),
        # a participle after reported content: the one who told adds, not the subject of what was told
        ('Indeed, Okafor told Newsmax that Brandt Mills "had a crazy policy of taxes which was maniacal," adding, '
         '"He lost all of the votes, he lost everybody."', "He lost all", "direct", "Okafor"),
        # a place the parser took for a second subject does not speak
        ('Speaking at a town hall event in Salem, New Hampshire, Okafor went after Brandt, calling him "a total stiff."',
         "a total stiff", "direct", "Okafor"),
        # a verb the parser hung on the name is the cue, not part of the speaker
        ('"We love cats!" reply Burton and Nick.', "We love cats", "direct", "Burton"),
    ],
)
def test_analyzers_quotes_speakers_rules(nlp: Language, text: str, quoted: str, kind: str, speaker: str) -> None:
    [quote] = [q for q in nlp(text)._.presslens_quotes["quotes"] if quoted in q["text"]]
    start, end = quote["speaker_span"]
    assert (quote["kind"], text[start:end]) == (kind, speaker)
