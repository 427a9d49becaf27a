#![allow(clippy::unwrap_used)]
//! Transcripts as services, note-takers and people export them (issue 12): every header
//! form, in plain text and in Markdown, with and without blank lines between turns. A
//! property test writes random transcripts and checks that `dump` gives back exactly the
//! speakers, the turns in order, their starts and their texts; fixtures written for these
//! tests check whole files of each kind, and the names that are not names.

use fangtan::doc::{Document, Format, Item};
use fangtan::dump::format_time;
use fangtan::parse::join::separator;
use fangtan::parse::{ParseOptions, detect_format, parse};
use proptest::prelude::*;
use serde_json::Value;

use crate::support::doc as support;
use support::{parse_as, speakers, turn_speakers, turn_texts};

// ---------------------------------------------------------------------------------------
// Generated transcripts
// ---------------------------------------------------------------------------------------

/// Names as people and services write them: initials, titles, credentials after a comma,
/// an affiliation in brackets, Chinese names with and without a middle dot.
const NAMES: &[&str] = &[
    "Alice",
    "Bob",
    "Dr. Smith",
    "J. R. Smith",
    "Smith, J.",
    "Elena M. Ruiz, Ph.D",
    "Hon. Jane Doe (D-CA)",
    "Unknown Speaker",
    "主持人",
    "嘉宾 李明",
    "萨提亚·纳德拉",
    "Speaker 2",
    "Speaker 10",
    "Mary-Jane O'Neil",
    "José Álvarez",
    "Prof. Li Wei",
    "李明（嘉宾）",
    "Lee, MD",
    "Martin Luther King Jr.",
    "Q",
    "Dr. Jane Smith-Jones, MD",
    "Rep. Ana Ortiz (R-TX)",
    "K. Tanaka",
    "Jean-Luc Picard",
    "Interviewer",
    "阿卜杜勒·卡里姆",
    "李 明",
    "Speaker 1",
];

/// Diarization labels (WhisperX, pyannote).
const MACHINE: &[&str] = &[
    "SPEAKER_00",
    "SPEAKER_01",
    "SPEAKER_02",
    "SPEAKER_03",
    "SPEAKER_04",
    "SPEAKER_05",
    "SPEAKER_11",
];

/// Lines people say: English and Chinese, some with a colon or a time inside, some without
/// final punctuation (as speech-to-text writes them). None starts with a label.
const LINES: &[&str] = &[
    "Thanks for having me.",
    "So where do we start?",
    "I grew up in a small town near the coast.",
    "That was in 2019, right after the move.",
    "Honestly I had no idea what I was doing",
    "We tried three times and failed twice.",
    "Note that the audio drops out here.",
    "See https://example.org/show for the notes.",
    "It costs about 3.50 a cup, which is a lot.",
    "Yes, exactly.",
    "Okay",
    "大家好，欢迎收听本期节目。",
    "我们的目标就是：让每个人都读得懂。",
    "这件事说来话长",
    "其实我一开始并不想做这个。",
    "对，就是这样。",
    "后来我们搬到了北京，一切都变了。",
    "注意这里的录音有些杂音。",
    "我觉得 AI 会改变很多行业。",
    "嗯",
    // Sentences that begin like a label: a colon or a time after a few words.
    "There are three reasons for this: cost, speed and taste.",
    "The short answer is: no.",
    "Last thing: the bins arrive next week.",
    "In short: it worked.",
    "We meet again at 10:30",
    "Note: this part was inaudible.",
    "例如 config: 这里要改成 30 秒。",
    "todo:fix 这个还没做。",
    "所以我们的目标就是：把它做完。",
    "第一：我们要快。",
    "首先：把数据备份好。",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    /// `Name  0:00` header line, text on the lines after it.
    Otter,
    /// `Name (00:00:00):` alone or with the text after it; a bare `(00:03:41):` continues.
    Rev,
    /// `**Name** [0:00] text`
    BoldBracket,
    /// `**Name** (00:12) text`
    BoldParen,
    /// `Name [00:01:02]: text`
    NameTimeColon,
    /// `[00:01:02] Name: text`
    TimeNameColon,
    /// `Speaker 1 00:00:12` header line.
    SpeakerHeader,
    /// `[Speaker 1] [00:00] text`
    BracketTime,
    /// `[SPEAKER_01]: text`
    MachineColon,
    /// `SPEAKER_01 [00:00:04.120]` header line.
    MachineHeader,
    /// `Name: text`, no time.
    PlainColon,
}

impl Form {
    fn names(self) -> &'static [&'static str] {
        match self {
            Form::MachineColon | Form::MachineHeader => MACHINE,
            _ => NAMES,
        }
    }

    fn timed(self) -> bool {
        !matches!(self, Form::MachineColon | Form::PlainColon)
    }

    fn bold(self) -> bool {
        matches!(self, Form::BoldBracket | Form::BoldParen)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Spacing {
    /// No blank lines: one utterance per line.
    Tight,
    /// A blank line between turns.
    Blank,
    /// A blank line between turns and after each header line.
    Airy,
}

#[derive(Debug, Clone)]
struct Turn {
    speaker: &'static str,
    ms: u64,
    lines: Vec<&'static str>,
    /// Rev: the header alone on its line (else the text follows on it). Plain colons: a
    /// full-width colon after a Chinese name.
    alone: bool,
    /// Rev: the same speaker again after a bare `(00:03:41):`.
    more: Option<(u64, Vec<&'static str>)>,
}

fn m_ss(ms: u64) -> String {
    let s = ms / 1000;
    format!("{}:{:02}", s / 60, s % 60)
}

fn mm_ss(ms: u64) -> String {
    let s = ms / 1000;
    format!("{:02}:{:02}", s / 60, s % 60)
}

fn hh_mm_ss(ms: u64) -> String {
    let s = ms / 1000;
    format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

/// Otter writes `m:ss` under an hour, `h:mm:ss` past it.
fn otter_time(ms: u64) -> String {
    let s = ms / 1000;
    match s >= 3600 {
        true => format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60),
        false => m_ss(ms),
    }
}

/// Rev writes `(00:00)` under an hour on some exports, `(00:00:00)` on others.
fn rev_time(ms: u64, short: bool) -> String {
    match short && ms < 3_600_000 {
        true => mm_ss(ms),
        false => hh_mm_ss(ms),
    }
}

/// The label line of a turn, and whether the first line of text is on it.
fn label_line(form: Form, t: &Turn) -> (String, bool) {
    let (n, ms) = (t.speaker, t.ms);
    match form {
        Form::Otter => {
            let sep = ["  ", "\t", "   "][(ms / 1000 % 3) as usize];
            (format!("{n}{sep}{}", otter_time(ms)), false)
        }
        Form::Rev => (format!("{n} ({}):", rev_time(ms, ms / 1000 % 2 == 0)), !t.alone),
        Form::BoldBracket => (format!("**{n}** [{}]", m_ss(ms)), true),
        Form::BoldParen => (format!("**{n}** ({})", mm_ss(ms)), true),
        Form::NameTimeColon => (format!("{n} [{}]:", hh_mm_ss(ms)), true),
        Form::TimeNameColon => (format!("[{}] {n}:", hh_mm_ss(ms)), true),
        Form::SpeakerHeader => (format!("{n} {}", hh_mm_ss(ms)), false),
        Form::BracketTime => (format!("[{n}] [{}]", mm_ss(ms)), true),
        Form::MachineColon => (format!("[{n}]:"), true),
        Form::MachineHeader => (format!("{n} [{}.{:03}]", hh_mm_ss(ms), ms % 1000), false),
        // Chinese labels take a full-width colon as often as not.
        Form::PlainColon if t.alone && !n.is_ascii() => (format!("{n}："), true),
        Form::PlainColon => (format!("{n}:"), true),
    }
}

/// A label line, then the text: on the label's line or below it.
fn write_part(out: &mut Vec<String>, label: String, inline: bool, lines: &[&str], airy: bool) {
    if inline {
        out.push(format!("{label} {}", lines[0]));
        out.extend(lines[1..].iter().map(|l| l.to_string()));
    } else {
        out.push(label);
        if airy {
            out.push(String::new());
        }
        out.extend(lines.iter().map(|l| l.to_string()));
    }
}

fn render(form: Form, turns: &[Turn], spacing: Spacing, markdown: bool) -> String {
    let mut out: Vec<String> = Vec::new();
    if markdown {
        out.push("# A conversation".into());
        out.push(String::new());
    }
    let gap = |out: &mut Vec<String>| {
        if spacing != Spacing::Tight {
            out.push(String::new());
        }
    };
    let airy = spacing == Spacing::Airy;
    for (i, t) in turns.iter().enumerate() {
        if i > 0 {
            gap(&mut out);
        }
        let (label, inline) = label_line(form, t);
        write_part(&mut out, label, inline, &t.lines, airy);
        if let Some((ms, lines)) = &t.more {
            gap(&mut out);
            let label = format!("({}):", rev_time(*ms, ms / 1000 % 2 == 0));
            write_part(&mut out, label, t.alone, lines, airy);
        }
    }
    let mut s = out.join("\n");
    s.push('\n');
    s
}

/// The lines of one utterance as the parser gives them back: one paragraph per line in a
/// file of one utterance per line, else joined as hard wraps are.
fn paragraphs(lines: &[&str], spacing: Spacing) -> Vec<String> {
    if spacing == Spacing::Tight {
        return lines.iter().map(|l| l.to_string()).collect();
    }
    let mut s = String::new();
    for l in lines {
        if let (Some(a), Some(c)) = (s.chars().next_back(), l.chars().next()) {
            s.push_str(separator(a, c));
        }
        s.push_str(l);
    }
    vec![s]
}

/// Read `src` and compare its dump with what was written.
fn check(form: Form, turns: &[Turn], spacing: Spacing, markdown: bool) -> Result<(), String> {
    let src = render(form, turns, spacing, markdown);
    let doc = match markdown {
        true => {
            let f = detect_format(&src);
            if f != Format::Markdown {
                return Err(format!("detected {f:?}\n{src}"));
            }
            parse(src.clone(), &ParseOptions::default())
        }
        false => {
            let f = detect_format(&src);
            if !form.bold() && f != Format::Plain {
                return Err(format!("detected {f:?}\n{src}"));
            }
            parse_as(Format::Plain, &src)
        }
    };
    let fail = |what: String| Err(format!("{what}\n--- {form:?} {spacing:?} md={markdown}\n{src}"));
    let dump: Value = serde_json::from_str(&fangtan::dump::json(&doc)).unwrap();

    let mut want_speakers: Vec<&str> = Vec::new();
    for t in turns {
        if !want_speakers.contains(&t.speaker) {
            want_speakers.push(t.speaker);
        }
    }
    let got_speakers: Vec<&str> =
        dump["speakers"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    if got_speakers != want_speakers {
        return fail(format!("speakers: want {want_speakers:?}, got {got_speakers:?}"));
    }
    let got_turns = dump["turns"].as_array().unwrap();
    if got_turns.len() != turns.len() {
        let got: Vec<&str> = got_turns.iter().map(|t| t["speaker"].as_str().unwrap()).collect();
        return fail(format!("turns: want {}, got {} ({got:?})", turns.len(), got_turns.len()));
    }
    for (i, (want, got)) in turns.iter().zip(got_turns).enumerate() {
        if got["speaker"] != want.speaker {
            return fail(format!("turn {i}: want {}, got {}", want.speaker, got["speaker"]));
        }
        let start = form.timed().then(|| format_time(want.ms));
        if got["start"].as_str() != start.as_deref() {
            return fail(format!("turn {i} start: want {start:?}, got {}", got["start"]));
        }
        let mut paras = paragraphs(&want.lines, spacing);
        let first_more = paras.len();
        if let Some((_, lines)) = &want.more {
            paras.extend(paragraphs(lines, spacing));
        }
        let got_paras: Vec<&str> =
            got["paragraphs"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect();
        if got_paras != paras {
            return fail(format!("turn {i} text: want {paras:?}, got {got_paras:?}"));
        }
        // A bare time keeps its time: the start of the paragraph it begins.
        if let Some((ms, _)) = &want.more {
            let got = doc.turn_block_start(i, first_more);
            if got != Some(*ms) {
                return fail(format!("turn {i} continuation start: want {ms}, got {got:?}"));
            }
        }
    }
    // Every word is in a turn: nothing outside them but the title.
    if doc.items.iter().any(|it| !matches!(it, Item::Turn(_))) {
        return fail("text outside the turns".into());
    }
    Ok(())
}

/// A random conversation of 3 to 12 turns among two to six people, the first of whom
/// speaks at least twice (a document establishes its labels by using them); others may
/// speak once. Times strictly increase.
fn conversation(form: Form) -> impl Strategy<Value = Vec<Turn>> {
    let pool = form.names();
    let people = proptest::sample::subsequence(pool.to_vec(), 2..=6.min(pool.len())).prop_shuffle();
    let utterance = proptest::collection::vec(proptest::sample::select(LINES), 1..=3);
    let more = proptest::option::weighted(0.3, (1u64..300_000, utterance.clone()));
    let turn = (0usize..6, 1_000u64..400_000, utterance, any::<bool>(), more);
    (people, 0u64..30_000, proptest::collection::vec(turn, 3..=12)).prop_map(
        move |(people, first, raw)| {
            let mut ms = first;
            let mut turns = Vec::new();
            for (k, (who, gap, lines, alone, more)) in raw.into_iter().enumerate() {
                // The first speaker speaks again on the third turn.
                let who = if k == 0 || k == 2 { 0 } else { who % people.len() };
                ms += if k == 0 { 0 } else { gap };
                // Labels with seconds only: whole seconds, but for the machine header.
                if form != Form::MachineHeader {
                    ms = ms / 1000 * 1000;
                }
                let start = ms;
                let more = more.filter(|_| form == Form::Rev).map(|(d, lines)| {
                    ms += d.max(1000);
                    ms = ms / 1000 * 1000;
                    (ms, lines)
                });
                turns.push(Turn { speaker: people[who], ms: start, lines, alone, more });
                ms += 1000;
            }
            turns
        },
    )
}

fn check_all(form: Form, turns: &[Turn]) -> Result<(), TestCaseError> {
    for spacing in [Spacing::Tight, Spacing::Blank, Spacing::Airy] {
        for markdown in [false, true] {
            check(form, turns, spacing, markdown).map_err(TestCaseError::fail)?;
        }
    }
    Ok(())
}

macro_rules! form_roundtrip {
    ($name:ident, $form:expr) => {
        proptest! {
            #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
            #[test]
            fn $name(turns in conversation($form)) {
                check_all($form, &turns)?;
            }
        }
    };
}

form_roundtrip!(otter_headers_round_trip, Form::Otter);
form_roundtrip!(rev_headers_round_trip, Form::Rev);
form_roundtrip!(bold_name_bracket_time_round_trips, Form::BoldBracket);
form_roundtrip!(bold_name_paren_time_round_trips, Form::BoldParen);
form_roundtrip!(name_time_colon_round_trips, Form::NameTimeColon);
form_roundtrip!(time_name_colon_round_trips, Form::TimeNameColon);
form_roundtrip!(speaker_time_headers_round_trip, Form::SpeakerHeader);
form_roundtrip!(bracket_name_time_round_trips, Form::BracketTime);
form_roundtrip!(machine_colon_round_trips, Form::MachineColon);
form_roundtrip!(machine_headers_round_trip, Form::MachineHeader);
form_roundtrip!(plain_colon_lines_round_trip, Form::PlainColon);

// ---------------------------------------------------------------------------------------
// Fixtures: whole files as each kind of export writes them
// ---------------------------------------------------------------------------------------

/// A fixture read as plain text (it must be detected so) and as Markdown (a `# ` title
/// line put first, which makes it Markdown).
fn both(text: &str) -> Vec<(&'static str, Document)> {
    assert_eq!(detect_format(text), Format::Plain);
    let md = format!("# Title\n\n{text}");
    assert_eq!(detect_format(&md), Format::Markdown);
    vec![
        ("plain", parse(text.to_string(), &ParseOptions::default())),
        ("markdown", parse(md, &ParseOptions::default())),
    ]
}

fn starts(doc: &Document) -> Vec<Option<u64>> {
    doc.turns.iter().map(|t| t.start_ms()).collect()
}

/// No paragraph of a turn begins with a label: a speaker's name before a colon, a time or
/// in brackets, or a bare time.
fn assert_no_label_left(doc: &Document, how: &str) {
    for t in 0..doc.turns.len() {
        for p in turn_texts(doc, t) {
            for s in speakers(doc) {
                for label in [
                    format!("{s}:"),
                    format!("{s}："),
                    format!("{s} ("),
                    format!("{s} ["),
                    format!("{s}  "),
                    format!("{s}\t"),
                    format!("[{s}]"),
                    format!("**{s}"),
                ] {
                    assert!(!p.starts_with(&label), "{how}: label left in turn {t}: {p:?}");
                }
            }
            let b = p.as_bytes();
            let bare_time = b.len() > 1 && matches!(b[0], b'(' | b'[') && b[1].is_ascii_digit();
            assert!(!bare_time, "{how}: time left in turn {t}: {p:?}");
        }
    }
}

/// The turns' texts, one list of paragraphs per turn.
fn texts(doc: &Document) -> Vec<Vec<&str>> {
    (0..doc.turns.len()).map(|t| turn_texts(doc, t)).collect()
}

const fn s(secs: u64) -> Option<u64> {
    Some(secs * 1000)
}

#[test]
fn otter_export_headers_give_speakers_and_starts() {
    for (how, doc) in both(include_str!("../fixtures/transcripts/otter.txt")) {
        let (p, t, u) = ("Priya Natarajan", "Tom Becker", "Unknown Speaker");
        assert_eq!(speakers(&doc), vec![p, t, u], "{how}");
        assert_eq!(turn_speakers(&doc), vec![p, t, p, t, u, p, t, p], "{how}");
        assert_eq!(
            starts(&doc),
            vec![s(3), s(19), s(31), s(35), s(252), s(255), s(3778), s(3820)],
            "{how}"
        );
        assert_eq!(
            turn_texts(&doc, 1),
            vec![
                "Sure. The library said we can use the community room on the twentieth, from \
                 ten until two."
            ],
            "{how}"
        );
        // A sentence with a colon inside a header-line file is text, not a speaker.
        assert_eq!(
            turn_texts(&doc, 6),
            vec!["Last thing: the compost bins arrive next week."],
            "{how}"
        );
        assert_eq!(turn_texts(&doc, 4), vec!["Sorry, can you repeat the date?"], "{how}");
        assert_no_label_left(&doc, how);
        // The header of the export (title, date, keywords, speaker list) is text before
        // the first turn, every word of it kept.
        let before: Vec<&str> = (0..doc.items.len())
            .take_while(|&i| !matches!(doc.items[i], Item::Turn(_)))
            .flat_map(|i| doc.item_blocks(i).iter().map(|b| b.text).collect::<Vec<_>>())
            .collect();
        let before = before.join(" ");
        for w in ["Garden Club Planning Call", "1:04:17", "compost, seed swap", "Tom Becker"] {
            assert!(before.contains(w), "{how}: {w:?} missing from {before:?}");
        }
    }
}

#[test]
fn rev_export_with_a_bare_time_continues_the_speaker_with_its_own_start() {
    for (how, doc) in both(include_str!("../fixtures/transcripts/rev.txt")) {
        let (m, r) = ("Marisol Vega", "Dr. Anand Rao");
        assert_eq!(speakers(&doc), vec![m, r], "{how}");
        assert_eq!(turn_speakers(&doc), vec![m, r, m, r, m, r], "{how}");
        assert_eq!(starts(&doc), vec![s(4), s(15), s(19), s(24), s(242), s(245)], "{how}");
        // `(00:03:41):` is a new paragraph of the same turn, starting at its own time.
        assert_eq!(
            turn_texts(&doc, 3),
            vec![
                "You'd wake before dawn and check the lamp, then the fuel, then the weather log.",
                "And the radio. Always the radio, twice a day, even when nothing happened.",
            ],
            "{how}"
        );
        assert_eq!(doc.turn_block_start(3, 1), s(221), "{how}");
        // The label with the text on its own line, and the text's hard wrap joined.
        assert_eq!(turn_texts(&doc, 4), vec!["Did anything ever happen?"], "{how}");
        assert_eq!(
            turn_texts(&doc, 5),
            vec!["Once. A trawler lost its engine in a storm. We talked them through the night."],
            "{how}"
        );
        assert_no_label_left(&doc, how);
    }
}

#[test]
fn whisperx_machine_labels_lose_their_brackets() {
    for (how, doc) in both(include_str!("../fixtures/transcripts/whisperx.txt")) {
        let (a, b, c) = ("SPEAKER_00", "SPEAKER_01", "SPEAKER_02");
        assert_eq!(speakers(&doc), vec![a, b, c], "{how}");
        assert_eq!(turn_speakers(&doc), vec![a, b, a, b, c, a, b], "{how}");
        assert!(starts(&doc).iter().all(Option::is_none), "{how}");
        // One utterance per line: the unlabelled line is a paragraph of its own.
        assert_eq!(
            turn_texts(&doc, 3),
            vec![
                "I wanted watercolor, and the watercolor room was full.",
                "So they put me in ceramics."
            ],
            "{how}"
        );
        assert_eq!(turn_texts(&doc, 4), vec!["Sorry, is this the ceramics room?"], "{how}");
        assert_no_label_left(&doc, how);
    }
}

#[test]
fn a_chat_log_of_one_utterance_per_line_has_a_turn_per_line() {
    for (how, doc) in both(include_str!("../fixtures/transcripts/chat.txt")) {
        let (m, r, j) = ("Mina", "Ravi", "Jo");
        // Jo speaks once and is a speaker all the same.
        assert_eq!(speakers(&doc), vec![m, r, j], "{how}");
        assert_eq!(turn_speakers(&doc), vec![m, r, m, r, r, j, m, r], "{how}");
        assert_eq!(turn_texts(&doc, 3), vec!["Yes. Note: I pinned the old version for now."]);
        assert_eq!(
            turn_texts(&doc, 4),
            vec!["And see https://ci.example.com/runs/881 for the logs."],
            "{how}"
        );
        assert_eq!(turn_texts(&doc, 5), vec!["Can I take one of them?"], "{how}");
        assert_no_label_left(&doc, how);
    }
}

#[test]
fn a_panel_names_people_with_credentials_commas_and_affiliations() {
    for (how, doc) in both(include_str!("../fixtures/transcripts/panel.txt")) {
        let (m, e, j, s, a) = (
            "Moderator",
            "Elena M. Ruiz, Ph.D",
            "Hon. Jane Doe (D-CA)",
            "Smith, J.",
            "Audience Member",
        );
        assert_eq!(speakers(&doc), vec![m, e, j, s, a], "{how}");
        assert_eq!(turn_speakers(&doc), vec![m, e, j, s, m, e, j, a, s, m], "{how}");
        assert_eq!(
            turn_texts(&doc, 2),
            vec![
                "And I represent a district where a third of homes have no wired connection at \
                 all."
            ],
            "{how}"
        );
        // A sentence with a colon, in a file whose labels are `Name:`, is still a sentence.
        assert_eq!(
            turn_texts(&doc, 5),
            vec![
                "Distance, mostly. A mile of fiber costs about the same whether it serves two \
                 homes or two hundred.",
                "The short answer is: density.",
            ],
            "{how}"
        );
        assert_eq!(turn_texts(&doc, 7), vec!["How long until my road gets service?"], "{how}");
        assert_no_label_left(&doc, how);
    }
}

#[test]
fn a_chinese_interview_keeps_clauses_with_colons_as_text() {
    for (how, doc) in both(include_str!("../fixtures/transcripts/interview_zh.txt")) {
        // 观众 asks one question and is a speaker; 所以我们的目标就是 is not.
        assert_eq!(speakers(&doc), vec!["问", "答", "观众"], "{how}");
        assert_eq!(
            turn_speakers(&doc),
            vec!["问", "答", "问", "答", "问", "答", "观众", "答"],
            "{how}"
        );
        assert_eq!(
            turn_texts(&doc, 1),
            vec!["一九九四年。那时候学校只有两间教室，一个操场，冬天要自己生炉子。"],
            "{how}"
        );
        assert_eq!(
            turn_texts(&doc, 3),
            vec![
                "留住孩子。很多家长觉得读书没用，让孩子早早出去打工。",
                "所以我们的目标就是：让每个孩子至少读完初中。",
                "我们挨家挨户去劝，有时候一个晚上要走十几里山路。",
            ],
            "{how}"
        );
        assert_eq!(turn_texts(&doc, 6), vec!["老师，您还会继续教下去吗？"], "{how}");
        assert_no_label_left(&doc, how);
    }
}

#[test]
fn notes_urls_and_clauses_in_a_labelled_file_are_not_speakers() {
    for (how, doc) in both(include_str!("../fixtures/transcripts/notes.txt")) {
        assert_eq!(speakers(&doc), vec!["Kai", "Lin"], "{how}");
        assert_eq!(turn_speakers(&doc), vec!["Kai", "Lin", "Kai", "Lin", "Kai", "Lin"], "{how}");
        assert_eq!(
            texts(&doc),
            vec![
                vec!["Let's go over the release checklist before we ship."],
                vec![
                    "好的。先说配置文件。",
                    "例如 config: 里的 timeout 要改成 30 秒。",
                    "Note: the recording cut out for a minute here.",
                ],
                vec![
                    "Right. The docs moved as well.",
                    "https://docs.example.org/release 是新的地址。",
                    "注意：下面这段是会后补录的。",
                ],
                vec![
                    "还有一个问题。",
                    "todo:fix 日志轮转还没做。",
                    "所以我们的目标就是：这周五之前全部合并。"
                ],
                vec!["Agreed. Ship it Friday."],
                vec!["好，周五见。"],
            ],
            "{how}"
        );
        assert_no_label_left(&doc, how);
    }
}

#[test]
fn timed_labels_count_though_no_name_is_said_twice() {
    // A short excerpt: three people, one line each. The times make them labels.
    let text = "Ann Lee (00:00:01): Hi, I'm Ann.\n\nBo Chen (00:00:05): Hello.\n\n\
                Cy Diaz (00:00:09): Hey there.\n";
    for (how, doc) in both(text) {
        assert_eq!(speakers(&doc), vec!["Ann Lee", "Bo Chen", "Cy Diaz"], "{how}");
        assert_eq!(starts(&doc), vec![s(1), s(5), s(9)], "{how}");
        assert_eq!(texts(&doc), vec![vec!["Hi, I'm Ann."], vec!["Hello."], vec!["Hey there."]]);
    }
}

#[test]
fn a_phrase_said_twice_with_a_colon_in_a_file_of_timed_labels_is_text() {
    // `Quick update` looks like a name and is said twice, but this file's labels are
    // header lines with times: a `Words: text` line is what someone says.
    let text = "Ana Ruiz  0:01\nQuick update: the venue is booked.\n\nBen Ode  0:09\nGreat.\n\n\
                Ana Ruiz  0:12\nQuick update: catering too.\n\nBen Ode  0:20\nEven better.\n";
    for (how, doc) in both(text) {
        assert_eq!(speakers(&doc), vec!["Ana Ruiz", "Ben Ode"], "{how}");
        assert_eq!(doc.turns.len(), 4, "{how}");
        assert_eq!(turn_texts(&doc, 2), vec!["Quick update: catering too."], "{how}");
    }
    // The same in a file of `[00:00:01] Name: text` lines, one utterance per line.
    let text = "[00:00:01] Ana Ruiz: Morning.\nQuick update: the venue is booked.\n\
                [00:00:09] Ben Ode: Great.\n[00:00:12] Ana Ruiz: And\nQuick update: catering too.\n";
    for (how, doc) in both(text) {
        assert_eq!(speakers(&doc), vec!["Ana Ruiz", "Ben Ode"], "{how}");
        assert_eq!(turn_speakers(&doc), vec!["Ana Ruiz", "Ben Ode", "Ana Ruiz"], "{how}");
        assert_eq!(turn_texts(&doc, 2), vec!["And", "Quick update: catering too."], "{how}");
    }
}

#[test]
fn sentence_openers_with_a_colon_are_not_speakers() {
    let text = "问：您怎么看？\n\n答：有三点。\n\n首先：成本太高。\n\n第一：没人用。\n\n\
                问：还有呢？\n\n答：没了。\n\n补充：录音到此结束。\n\nAl: In short: no.\n\nIn short: no.\n\n\
                Aside: the mic was off.\n\nAl: Bye.\n";
    for (how, doc) in both(text) {
        assert_eq!(speakers(&doc), vec!["问", "答", "Al"], "{how}");
        assert_eq!(turn_texts(&doc, 1), vec!["有三点。", "首先：成本太高。", "第一：没人用。"]);
        assert_eq!(turn_texts(&doc, 3), vec!["没了。", "补充：录音到此结束。"], "{how}");
        assert_eq!(
            turn_texts(&doc, 4),
            vec!["In short: no.", "In short: no.", "Aside: the mic was off."],
            "{how}"
        );
    }
}

#[test]
fn a_chat_right_under_a_title_is_talk_not_metadata() {
    // Short lines, no final stops: shaped like `key: value` metadata, but a key said twice
    // is someone talking.
    let doc =
        parse("# Chat\n\nMina: hi\nRavi: hello\nMina: ok then\n".into(), &ParseOptions::default());
    assert!(doc.meta.is_empty());
    assert_eq!(turn_speakers(&doc), vec!["Mina", "Ravi", "Mina"]);
    assert_eq!(texts(&doc), vec![vec!["hi"], vec!["hello"], vec!["ok then"]]);
    // Metadata stays metadata.
    let doc = parse(
        "# Chat\n\nHost: Mina Park\nGuest: Ravi Shah\n\nMina: hi\n\nRavi: hello\n\nMina: ok then\n"
            .into(),
        &ParseOptions::default(),
    );
    assert_eq!(doc.meta.len(), 2);
    assert_eq!(turn_speakers(&doc), vec!["Mina", "Ravi", "Mina"]);
}

#[test]
fn a_wrapped_line_ending_in_a_time_is_not_a_header() {
    // Lines of text in an Otter-like export, wrapped so that one ends with a time.
    let text = "Ana Ruiz  0:01\nHello there everyone.\n\nBen Ode  0:09\nDoors open at 7:30\n\
                and we close late.\n\nAna Ruiz  0:12\nGood.\n";
    for (how, doc) in both(text) {
        assert_eq!(speakers(&doc), vec!["Ana Ruiz", "Ben Ode"], "{how}");
        assert_eq!(starts(&doc), vec![s(1), s(9), s(12)], "{how}");
        assert_eq!(turn_texts(&doc, 1), vec!["Doors open at 7:30 and we close late."], "{how}");
    }
}

#[test]
fn a_time_inside_the_bold_or_after_the_colon_is_the_start() {
    let doc = parse(
        "# T\n\n**[00:01:02] Alice:** hi\n\n**[00:01:09] Bob:** hello\n\n**[00:01:12] Alice:** bye\n"
            .into(),
        &ParseOptions::default(),
    );
    assert_eq!(turn_speakers(&doc), vec!["Alice", "Bob", "Alice"]);
    assert_eq!(starts(&doc), vec![s(62), s(69), s(72)]);
    assert_eq!(texts(&doc), vec![vec!["hi"], vec!["hello"], vec!["bye"]]);
    let text =
        "Alice Chen: [00:00:05] Hello.\n\nBob Li: [00:00:09] Hi.\n\nAlice Chen: [00:00:12] Bye.\n";
    for (how, doc) in both(text) {
        assert_eq!(turn_speakers(&doc), vec!["Alice Chen", "Bob Li", "Alice Chen"], "{how}");
        assert_eq!(starts(&doc), vec![s(5), s(9), s(12)], "{how}");
        assert_eq!(texts(&doc), vec![vec!["Hello."], vec!["Hi."], vec!["Bye."]], "{how}");
    }
}
