from parlure_ml.register.sentences import CHUNK_WORDS, MAX_WORDS, sentence_spans, word_spans


def _texts(text: str) -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text)]


def test_sentences_are_cut_at_end_punctuation_and_line_breaks():
    text = "Bonjour à tous. Vous allez bien ? Moi, ça va !\nÀ demain, les amis."

    assert _texts(text) == [
        "Bonjour à tous.",
        "Vous allez bien ?",
        "Moi, ça va !",
        "À demain, les amis.",
    ]


def test_offsets_point_into_the_original_text():
    text = "  Il pleut fort.   Nous restons à la maison ce soir.  "

    for start, end in sentence_spans(text):
        assert text[start:end].strip() == text[start:end]
    assert _texts(text) == ["Il pleut fort.", "Nous restons à la maison ce soir."]


def test_short_fragments_join_their_neighbour():
    assert _texts("Oui. Je viendrai demain matin avec les enfants.") == [
        "Oui. Je viendrai demain matin avec les enfants."
    ]
    assert _texts("Je viendrai demain matin avec les enfants. Bon.") == [
        "Je viendrai demain matin avec les enfants. Bon."
    ]


def test_a_long_unpunctuated_transcript_is_cut_into_chunks():
    text = " ".join(["alors on est allés au marché et puis on a acheté des trucs"] * 20)

    spans = sentence_spans(text)

    assert len(spans) > 1
    for start, end in spans:
        assert len(word_spans(text, start, end)) <= MAX_WORDS
        assert len(word_spans(text, start, end)) >= CHUNK_WORDS // 2
    # Chunks cover every word, in order, with nothing but spaces between them.
    assert " ".join(text[a:b] for a, b in spans) == text


def test_words_keep_their_elisions():
    text = "J'sais pas, t'as vu aujourd'hui ?"

    assert [text[a:b] for a, b in word_spans(text)] == [
        "J'sais",
        "pas",
        ",",
        "t'as",
        "vu",
        "aujourd'hui",
        "?",
    ]
