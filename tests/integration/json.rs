#![allow(clippy::unwrap_used)]
//! JSON transcripts as speech-to-text tools and podcast hosts write them: who speaks,
//! every word once, and the source's times on every turn, paragraph and word.

use fangtan::doc::{Document, Format, Item};
use fangtan::parse::{ParseOptions, parse, try_parse};
use proptest::prelude::*;

use crate::support::doc::{speakers, turn_speakers, turn_texts};

fn read(text: &str) -> Document {
    let doc = try_parse(text.to_string(), &ParseOptions::default()).unwrap();
    assert_eq!(doc.format, Some(Format::Json));
    doc
}

fn dump(doc: &Document) -> serde_json::Value {
    serde_json::from_str(&fangtan::dump::json(doc)).unwrap()
}

/// Every word of the document's text, in reading order.
fn words(doc: &Document) -> Vec<String> {
    (0..doc.items.len())
        .flat_map(|i| doc.item_blocks(i).iter().map(|b| b.text.to_string()).collect::<Vec<_>>())
        .flat_map(|t| t.split_whitespace().map(str::to_string).collect::<Vec<_>>())
        .collect()
}

#[test]
fn podcasting_word_segments_become_turns_with_the_words_times() {
    let doc = read(include_str!("../fixtures/json/podcast20.json"));
    assert_eq!(speakers(&doc), ["Mara Quint", "Oskar Brede"]);
    assert_eq!(turn_speakers(&doc), ["Mara Quint", "Oskar Brede", "Mara Quint", "Oskar Brede"]);
    assert_eq!(
        turn_texts(&doc, 0),
        ["Welcome back to Tidewater Notes. Today I am talking with a lighthouse keeper."]
    );
    assert_eq!(
        turn_texts(&doc, 3),
        ["Mostly quiet. You wind the clock, you trim the wick, you write the log."]
    );
    // One timed stretch per segment (a word), at the word it times.
    let t0 = &doc.turns[0];
    assert_eq!(t0.start_ms(), Some(500));
    let times = doc.block_times(t0.item(), 0);
    assert_eq!(times.len(), 13);
    let text = turn_texts(&doc, 0)[0];
    assert_eq!(&text[times[1].at()..times[2].at()], "back ");
    assert_eq!((times[1].start_ms(), times[1].end_ms()), (Some(900), Some(1220)));
    assert_eq!(t0.end_ms(), times.last().unwrap().end_ms());
    let d = dump(&doc);
    assert_eq!(d["turns"][0]["start"], "00:00:00.500");
    assert_eq!(d["turns"][1]["times"][0][0], serde_json::json!([6800, 7120]));
    assert_eq!(d["format"], "json");
}

#[test]
fn whisperx_segments_words_and_speakers_found_in_the_words() {
    let doc = read(include_str!("../fixtures/json/whisperx.json"));
    assert_eq!(speakers(&doc), ["SPEAKER_00", "SPEAKER_01"]);
    assert_eq!(turn_speakers(&doc), ["SPEAKER_00", "SPEAKER_01", "SPEAKER_00", "SPEAKER_01"]);
    assert_eq!(turn_texts(&doc, 0), ["我们先聊聊 Rust 编译器。"]);
    assert_eq!(turn_texts(&doc, 1), ["好的，borrow checker 是最难的部分。"]);
    assert_eq!(turn_texts(&doc, 3), ["Because lifetimes are invisible until they are wrong."]);
    let (t1, t3) = (&doc.turns[1], &doc.turns[3]);
    assert_eq!((t1.start_ms(), t1.end_ms()), (Some(4500), Some(9020)));
    // Words keep their times; a word without times (`until`) has none.
    let w = doc.block_words(t3.item(), 0);
    let text = turn_texts(&doc, 3)[0];
    let said: Vec<&str> = w.iter().map(|m| text[m.at()..].split(' ').next().unwrap()).collect();
    assert_eq!(said, ["Because", "lifetimes", "are", "invisible", "they", "are", "wrong."]);
    assert_eq!((w[4].start_ms(), w[4].end_ms()), (Some(14_900), Some(15_000)));
    // `word_segments` repeat the words: read once.
    assert!(!words(&doc).contains(&"ignored".to_string()));
}

#[test]
fn whisper_without_speakers_reads_in_timed_paragraphs() {
    let doc = read(include_str!("../fixtures/json/whisper_nospeaker.json"));
    assert!(doc.speakers.is_empty() && doc.turns.is_empty());
    let paras: Vec<usize> =
        (0..doc.items.len()).filter(|&i| matches!(doc.items[i], Item::Block(_))).collect();
    assert!(paras.len() >= 2, "a minute and a half of talk in parts: {}", paras.len());
    assert_eq!(words(&doc).iter().filter(|w| *w == "ferry").count(), 5);
    assert_eq!(doc.block_start_ms(paras[0], 0), Some(0));
    let d = dump(&doc);
    let first = &d["paragraphs"][0];
    assert_eq!(first["times"][0], serde_json::json!([0, 4200]));
    assert_eq!(first["times"][1], serde_json::json!([4500, 8700]));
    assert!(!doc.timed_parts().is_empty(), "the outline lists its parts");
}

#[test]
fn utterances_in_milliseconds_and_in_whole_seconds_are_told_apart() {
    let ms = read(include_str!("../fixtures/json/utterances_ms.json"));
    assert_eq!(turn_speakers(&ms), ["A", "B", "A"]);
    assert_eq!((ms.turns[0].start_ms(), ms.turns[0].end_ms()), (Some(240), Some(5120)));
    assert_eq!(ms.turns[2].start_ms(), Some(12_100));
    let secs = read(include_str!("../fixtures/json/utterances_seconds.json"));
    assert_eq!(turn_speakers(&secs), ["Speaker 0", "Speaker 1", "Speaker 0"]);
    assert_eq!((secs.turns[1].start_ms(), secs.turns[1].end_ms()), (Some(8000), Some(12_000)));
    let d = dump(&secs);
    assert_eq!(d["turns"][2]["start"], "00:00:13");
    assert_eq!(d["turns"][2]["end"], "00:00:21");
}

#[test]
fn utterances_nested_in_results_are_read_and_the_rest_left_out() {
    let doc = read(include_str!("../fixtures/json/results_utterances.json"));
    assert_eq!(turn_speakers(&doc), ["Speaker 0", "Speaker 1"]);
    assert_eq!(
        turn_texts(&doc, 1),
        ["Only on Sundays, and only when the wind comes from the east."]
    );
    assert!(!words(&doc).contains(&"ignored".to_string()));
}

#[test]
fn monologues_keep_their_own_spacing_and_named_speakers() {
    let doc = read(include_str!("../fixtures/json/monologues.json"));
    assert_eq!(turn_speakers(&doc), ["Ines Varga", "Speaker 1", "Ines Varga"]);
    assert_eq!(turn_texts(&doc, 0), ["So, where did the river flood?"]);
    assert_eq!(turn_texts(&doc, 1), ["Mostly below the mill."]);
    let t = &doc.turns[1];
    assert_eq!((t.start_ms(), t.end_ms()), (Some(3000), Some(4200)));
    assert_eq!(doc.block_words(t.item(), 0).len(), 4);
}

#[test]
fn recognizer_items_take_speakers_from_time_ranges_and_marks_join_the_word_before() {
    let doc = read(include_str!("../fixtures/json/items_speaker_labels.json"));
    assert_eq!(turn_speakers(&doc), ["spk_0", "spk_1"]);
    assert_eq!(turn_texts(&doc, 0), ["Is the bridge open?"]);
    assert_eq!(turn_texts(&doc, 1), ["Since Tuesday, yes."]);
    assert_eq!(doc.turns[1].start_ms(), Some(2500));
    let doc = read(include_str!("../fixtures/json/results_words.json"));
    assert_eq!(turn_speakers(&doc), ["S1", "S2"]);
    assert_eq!(turn_texts(&doc, 0), ["Who planted the oaks?"]);
    assert_eq!(turn_texts(&doc, 1), ["My grandmother did."]);
}

#[test]
fn channel_words_with_speakers_make_turns() {
    let doc = read(include_str!("../fixtures/json/channel_words.json"));
    assert_eq!(turn_speakers(&doc), ["Speaker 0", "Speaker 1"]);
    assert_eq!(turn_texts(&doc, 0), ["Hello there friend."]);
    assert_eq!(turn_texts(&doc, 1), ["Good morning."]);
    assert_eq!(doc.turns[1].start_ms(), Some(1600));
}

#[test]
fn whisper_cpp_and_caption_events_read_with_their_times() {
    let doc = read(include_str!("../fixtures/json/whispercpp.json"));
    assert!(doc.turns.is_empty());
    let text: Vec<&str> = (0..doc.items.len())
        .flat_map(|i| doc.item_blocks(i).iter().map(|b| b.text).collect::<Vec<_>>())
        .collect();
    assert_eq!(
        text,
        [
            "The tram stops at the harbour. Then it climbs the hill to the old fort. 最后一站是图书馆。"
        ]
    );
    assert_eq!(
        doc.block_times(0, 0).iter().map(|m| (m.start_ms(), m.end_ms())).collect::<Vec<_>>(),
        [(Some(0), Some(3200)), (Some(3200), Some(6900)), (Some(6900), Some(9500))]
    );
    let doc = read(include_str!("../fixtures/json/caption_events.json"));
    let text: Vec<&str> = (0..doc.items.len())
        .flat_map(|i| doc.item_blocks(i).iter().map(|b| b.text).collect::<Vec<_>>())
        .collect();
    assert_eq!(text, ["welcome to the workshop today we sharpen chisels"]);
    let times = doc.block_times(0, 0);
    assert_eq!((times[1].start_ms(), times[1].end_ms()), (Some(3500), Some(6400)));
    let words = doc.block_words(0, 0);
    assert_eq!(words.len(), 6, "words with an offset of their own");
    assert_eq!(words[0].start_ms(), Some(960));
}

#[test]
fn json_of_another_shape_is_refused_with_its_keys_named() {
    let why = try_parse(
        include_str!("../fixtures/json/not_transcript.json").to_string(),
        &ParseOptions::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(why.starts_with("JSON, but not a transcript I know"), "{why}");
    assert!(why.contains("name, items, owner"), "{why}");
    let why = try_parse(
        include_str!("../fixtures/json/chapters.json").to_string(),
        &ParseOptions::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(why.contains("--chapters"), "{why}");
    let why = try_parse("{\"segments\": [{\"text\": \"a\"}".into(), &ParseOptions::default())
        .unwrap_err()
        .to_string();
    assert!(why.starts_with("not valid JSON"), "{why}");
}

#[test]
fn text_in_json_is_as_safe_as_any() {
    let doc = read(
        r#"{"segments": [{"speaker": "X\u001b[31m", "start": 0, "end": 1.5, "text": "a\u001b]52;c;QQ==\u0007 b\u202e"}]}"#,
    );
    let text = turn_texts(&doc, 0)[0];
    assert!(text.chars().all(|c| fangtan::source::safe_char(c) == c), "{text:?}");
    assert!(doc.speakers[0].name.chars().all(|c| fangtan::source::safe_char(c) == c));
}

/// A conversation as segments: (speaker, words, start ms, length ms).
fn conversation() -> impl Strategy<Value = Vec<(usize, Vec<String>, u64)>> {
    let word = prop_oneof![
        "[a-z]{1,8}[.,?]?".prop_map(|s| s),
        "[\u{4e00}-\u{4e20}]{1,4}[，。]?".prop_map(|s| s),
    ];
    prop::collection::vec((0usize..3, prop::collection::vec(word, 1..6), 200u64..4000), 1..40)
}

/// The same segments written in each JSON shape.
fn shapes(segs: &[(usize, Vec<String>, u64)]) -> Vec<(String, String)> {
    let names = ["Ana", "Bo", "Cyd"];
    let mut t = 0u64;
    let mut timed = Vec::new();
    for (who, ws, len) in segs {
        timed.push((names[*who], ws.join(" "), t, t + len));
        t += len + 100;
    }
    let secs = |ms: u64| ms as f64 / 1000.0;
    let podcast: Vec<serde_json::Value> = timed
        .iter()
        .map(|(s, text, a, b)| serde_json::json!({"speaker": s, "startTime": secs(*a), "endTime": secs(*b), "body": text}))
        .collect();
    let whisper: Vec<serde_json::Value> = timed
        .iter()
        .map(|(s, text, a, b)| serde_json::json!({"start": secs(*a), "end": secs(*b), "text": format!(" {text}"), "speaker": s}))
        .collect();
    let utter: Vec<serde_json::Value> = timed
        .iter()
        .map(
            |(s, text, a, b)| serde_json::json!({"speaker": s, "start": a, "end": b, "text": text}),
        )
        .collect();
    vec![
        (
            "podcast".into(),
            serde_json::json!({"version": "1.0.0", "segments": podcast}).to_string(),
        ),
        ("whisper".into(), serde_json::json!({"segments": whisper, "language": "en"}).to_string()),
        ("utterances".into(), serde_json::json!({"utterances": utter.clone()}).to_string()),
        ("array".into(), serde_json::Value::Array(utter).to_string()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
    #[test]
    fn each_shape_reads_to_the_same_turns_times_and_words(segs in conversation()) {
        let mut seen: Option<Vec<String>> = None;
        for (shape, text) in shapes(&segs) {
            let doc = read(&text);
            // Turns change where the speaker changes, and start with the segment that does.
            let mut want = Vec::new();
            let mut t = 0u64;
            for (k, (who, _, len)) in segs.iter().enumerate() {
                if k == 0 || segs[k - 1].0 != *who {
                    want.push((*who, t));
                }
                t += len + 100;
            }
            let got: Vec<(usize, u64)> = doc
                .turns
                .iter()
                .map(|tr| {
                    let name = doc.speakers[tr.speaker()].name.as_str();
                    (["Ana", "Bo", "Cyd"].iter().position(|n| *n == name).unwrap(), tr.start_ms().unwrap())
                })
                .collect();
            prop_assert_eq!(&got, &want, "{}", shape);
            // Every word once, in order.
            let said: Vec<String> = segs.iter().flat_map(|(_, ws, _)| ws.clone()).collect();
            let joined: String = said.concat();
            let read_words: String = words(&doc).concat();
            prop_assert_eq!(&read_words, &joined, "{}", shape);
            // Every segment's times, once, as a timed stretch.
            let marks: Vec<(Option<u64>, Option<u64>)> = (0..doc.items.len())
                .flat_map(|i| (0..doc.item_blocks(i).len()).map(move |k| (i, k)))
                .flat_map(|(i, k)| doc.block_times(i, k).iter().map(|m| (m.start_ms(), m.end_ms())).collect::<Vec<_>>())
                .collect();
            let mut t = 0u64;
            let want_marks: Vec<(Option<u64>, Option<u64>)> = segs
                .iter()
                .map(|(_, _, len)| {
                    let m = (Some(t), Some(t + len));
                    t += len + 100;
                    m
                })
                .collect();
            prop_assert_eq!(&marks, &want_marks, "{}", shape);
            let tree = crate::support::doc::tree(&doc);
            if let Some(before) = &seen {
                prop_assert_eq!(before.len(), tree.len(), "{}", shape);
            }
            seen = Some(tree);
        }
    }

    #[test]
    fn mutated_json_never_panics(seed in 0usize..14, cuts in prop::collection::vec((0usize..10_000, any::<u8>()), 1..12)) {
        let fixtures = [
            include_str!("../fixtures/json/podcast20.json"),
            include_str!("../fixtures/json/whisperx.json"),
            include_str!("../fixtures/json/whisper_nospeaker.json"),
            include_str!("../fixtures/json/utterances_ms.json"),
            include_str!("../fixtures/json/utterances_seconds.json"),
            include_str!("../fixtures/json/results_utterances.json"),
            include_str!("../fixtures/json/not_transcript.json"),
            include_str!("../fixtures/json/chapters.json"),
            include_str!("../fixtures/json/monologues.json"),
            include_str!("../fixtures/json/items_speaker_labels.json"),
            include_str!("../fixtures/json/results_words.json"),
            include_str!("../fixtures/json/channel_words.json"),
            include_str!("../fixtures/json/whispercpp.json"),
            include_str!("../fixtures/json/caption_events.json"),
        ];
        let mut bytes = fixtures[seed].as_bytes().to_vec();
        for (at, b) in cuts {
            let at = at % (bytes.len() + 1);
            match b % 3 {
                0 => bytes.insert(at, b),
                1 if at < bytes.len() => bytes[at] = b,
                _ => bytes.truncate(at.max(1)),
            }
        }
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let _ = try_parse(text.clone(), &ParseOptions::default());
        let doc = parse(text, &ParseOptions::default());
        let _ = fangtan::dump::json(&doc);
    }
}

#[test]
fn turn_times_beside_speakers_are_shown_and_hidden_with_no_times() {
    use fangtan::app::{App, Msg, Options, update};
    let screen = |times: bool| {
        let doc = read(include_str!("../fixtures/json/utterances_seconds.json"));
        let opts = Options { times, ..Options::default() };
        let mut app = App::new(doc, opts);
        update(&mut app, Msg::Resize { width: 80, height: 20 });
        crate::support::frame::render(&app)
    };
    let shown = screen(true);
    assert!(shown.contains("Speaker 1  00:08"), "{shown}");
    let hidden = screen(false);
    assert!(hidden.contains("Speaker 1") && !hidden.contains("00:08"), "{hidden}");
}

#[test]
fn what_real_exports_hold_beside_their_transcripts_is_no_refusal() {
    // A transcript response with `"chapters": null` (its summary features turned off).
    let doc = read(
        r#"{"id": "t1", "chapters": null, "utterances": [{"speaker": "A", "start": 100, "end": 2500, "text": "Good evening from the pier."}, {"speaker": "B", "start": 2600, "end": 9000, "text": "Thanks, the gulls are loud tonight."}]}"#,
    );
    assert_eq!(turn_speakers(&doc), ["A", "B"]);
    // A line break inside a text is a space, never a stand-in glyph.
    let doc = read(
        r#"{"events": [{"tStartMs": 0, "dDurationMs": 4000, "segs": [{"utf8": "first line\nsecond line"}]}]}"#,
    );
    assert_eq!(doc.item_blocks(0).first().unwrap().text, "first line second line");
}

#[test]
fn a_stretch_no_one_is_named_for_is_not_given_to_the_last_speaker() {
    let doc = read(
        r#"{"segments": [
            {"start": 0.0, "end": 2.0, "text": " Shall we begin?", "speaker": "SPEAKER_00"},
            {"start": 2.5, "end": 4.0, "text": " (laughter)"},
            {"start": 4.5, "end": 6.0, "text": " Yes, let us.", "speaker": "SPEAKER_01"}]}"#,
    );
    assert_eq!(turn_speakers(&doc), ["SPEAKER_00", "Unknown speaker", "SPEAKER_01"]);
    assert_eq!(turn_texts(&doc, 1), ["(laughter)"]);
}

#[test]
fn several_audio_channels_interleave_by_time() {
    let doc = read(
        r#"{"results": {"channels": [
            {"alternatives": [{"transcript": "hello how are you", "words": [
                {"word": "hello", "start": 0.0, "end": 0.4}, {"word": "how", "start": 2.0, "end": 2.2},
                {"word": "are", "start": 2.3, "end": 2.4}, {"word": "you", "start": 2.5, "end": 2.8}]}]},
            {"alternatives": [{"transcript": "hi there fine", "words": [
                {"word": "hi", "start": 0.9, "end": 1.1}, {"word": "there", "start": 1.2, "end": 1.5},
                {"word": "fine", "start": 3.5, "end": 3.9}]}]}]}}"#,
    );
    assert_eq!(turn_speakers(&doc), ["Channel 0", "Channel 1", "Channel 0", "Channel 1"]);
    assert_eq!(turn_texts(&doc, 1), ["hi there"]);
}
