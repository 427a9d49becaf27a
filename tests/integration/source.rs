#![allow(clippy::unwrap_used)]
//! Decoding what a user opens: encodings, line endings, errors, control characters.

use std::path::Path;

use fangtan::source::{self, Decoded, SourceError};

const ZH: &str = "主持人：今天我们聊聊茶馆的故事。\n嘉宾：好的，我从小在成都长大，街口就有一家。\n";

fn dec(bytes: &[u8]) -> Result<Decoded, SourceError> {
    source::decode(bytes, None, Path::new("talk.txt"))
}

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut out = if big_endian { vec![0xFE, 0xFF] } else { vec![0xFF, 0xFE] };
    for unit in text.encode_utf16() {
        let b = if big_endian { unit.to_be_bytes() } else { unit.to_le_bytes() };
        out.extend_from_slice(&b);
    }
    out
}

#[test]
fn utf8_without_bom() {
    let d = dec(ZH.as_bytes()).unwrap();
    assert_eq!(d.text, ZH);
    assert_eq!(d.encoding, "UTF-8");
    assert!(!d.had_control_chars);
}

#[test]
fn utf8_bom_is_dropped() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(ZH.as_bytes());
    let d = dec(&bytes).unwrap();
    assert_eq!(d.text, ZH);
    assert_eq!(d.encoding, "UTF-8");
}

#[test]
fn utf16_le_and_be_with_bom() {
    let le = dec(&utf16(ZH, false)).unwrap();
    assert_eq!(le.text, ZH);
    assert_eq!(le.encoding, "UTF-16LE");
    let be = dec(&utf16(ZH, true)).unwrap();
    assert_eq!(be.text, ZH);
    assert_eq!(be.encoding, "UTF-16BE");
}

#[test]
fn gb18030_without_bom_is_detected() {
    let (bytes, _, _) = encoding_rs::GB18030.encode(ZH);
    assert!(std::str::from_utf8(&bytes).is_err());
    let d = dec(&bytes).unwrap();
    assert_eq!(d.text, ZH);
    assert_eq!(d.encoding, "GB18030");
}

#[test]
fn gbk_with_crlf_is_detected_and_normalised() {
    let crlf = ZH.replace('\n', "\r\n");
    let (bytes, _, _) = encoding_rs::GBK.encode(&crlf);
    let d = dec(&bytes).unwrap();
    assert_eq!(d.text, ZH);
}

/// Legacy encodings beyond GB18030, each a short text encoded here: detected (Mozilla's
/// `chardetng`) and named, where they used to come out as GB18030 mojibake or lossy UTF-8.
const LEGACY: &[(&str, &str)] = &[
    ("Big5", "主持人：今天我們聊聊茶館的故事。\n嘉賓：好的，我從小在台北長大，街口就有一家。\n"),
    ("Shift_JIS", "司会：今日は喫茶店の話をしましょう。\nゲスト：はい、私は東京で育ちました。\n"),
    ("EUC-KR", "사회자: 오늘은 찻집 이야기를 해 봅시다.\n손님: 네, 저는 서울에서 자랐어요.\n"),
    ("windows-1252", "Host: Welcome back. “It’s a long story,” she said – café au lait.\n"),
    ("windows-1251", "Ведущий: Добро пожаловать. Сегодня мы поговорим о чае.\n"),
];

#[test]
fn legacy_encodings_are_detected_and_named() {
    for &(name, text) in LEGACY {
        let enc = encoding_rs::Encoding::for_label(name.as_bytes()).unwrap();
        let (bytes, _, lossy) = enc.encode(text);
        assert!(!lossy, "{name}");
        assert!(std::str::from_utf8(&bytes).is_err(), "{name}");
        let d = dec(&bytes).unwrap();
        assert_eq!((d.encoding, d.text.as_str()), (name, text));
        // `--encoding` still decides: the same bytes forced as GBK are GBK.
        let forced = source::decode(&bytes, Some("gbk"), Path::new("x")).unwrap();
        assert_eq!(forced.encoding, "GBK", "{name}");
    }
}

#[test]
fn a_legacy_encoding_is_known_to_the_document_and_not_utf8() {
    use fangtan::parse::ParseOptions;
    let dir = tempfile::tempdir().unwrap();
    let (name, text) = LEGACY[0];
    let path = dir.path().join("big5.txt");
    std::fs::write(&path, encoding_rs::BIG5.encode(text).0).unwrap();
    let doc = fangtan::load::read(&path, None, &ParseOptions::default()).unwrap();
    assert_eq!(doc.encoding, Some(name));
    // Read a part at a time, as a big file is.
    let bytes = encoding_rs::BIG5.encode(&text.repeat(50)).0.into_owned();
    let mut input = bytes.as_slice();
    let opts = ParseOptions::default();
    let doc = fangtan::load::whole_from(&mut input, &path, None, &opts, 64, &mut |_| {}).unwrap();
    assert_eq!(doc.encoding, Some(name));
    let path = dir.path().join("utf8.txt");
    std::fs::write(&path, text).unwrap();
    let doc = fangtan::load::read(&path, None, &ParseOptions::default()).unwrap();
    assert_eq!(doc.encoding, None);
}

#[test]
fn explicit_encoding_overrides_detection() {
    // A named encoding is used without detection.
    let ja = "こんにちは、今日はよろしくお願いします。\n";
    let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(ja);
    let d = source::decode(&bytes, Some("shift_jis"), Path::new("ja.txt")).unwrap();
    assert_eq!(d.text, ja);
    assert_eq!(d.encoding, "Shift_JIS");

    // And a name overrides even valid UTF-8.
    let d = source::decode("café\n".as_bytes(), Some("latin1"), Path::new("x")).unwrap();
    assert_eq!(d.text, "cafÃ©\n");
}

#[test]
fn unknown_encoding_is_an_error() {
    let err = source::decode(b"hi", Some("klingon-8"), Path::new("x")).unwrap_err();
    assert!(matches!(err, SourceError::UnknownEncoding(_)));
    assert_eq!(err.to_string(), "unknown encoding \"klingon-8\"");
    let err = source::read(Path::new("/nonexistent/never"), Some("klingon-8")).unwrap_err();
    assert!(matches!(err, SourceError::UnknownEncoding(_)));
}

#[test]
fn crlf_and_lone_cr_become_lf() {
    let d = dec(b"Host: hi\r\nGuest: hello\rHost: bye\r\n").unwrap();
    assert_eq!(d.text, "Host: hi\nGuest: hello\nHost: bye\n");
    assert!(!d.had_control_chars, "line endings are not control characters");
}

#[test]
fn missing_path_names_path_and_reason() {
    let err = source::read(Path::new("no-such-notes.md"), None).unwrap_err();
    assert!(matches!(err, SourceError::Io { .. }));
    let msg = err.to_string();
    assert!(msg.starts_with("no-such-notes.md: "), "{msg}");
    assert!(msg.contains("os error 2"), "{msg}");
    assert!(!msg.contains('\n'));
}

#[test]
fn directory_is_an_io_error() {
    let dir = tempfile::tempdir().unwrap();
    let err = source::read(dir.path(), None).unwrap_err();
    assert!(matches!(err, SourceError::Io { .. }), "{err:?}");
    assert!(!err.to_string().contains('\n'));
}

#[test]
fn read_decodes_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.txt");
    std::fs::write(&path, ZH.replace('\n', "\r\n")).unwrap();
    let d = source::read(&path, None).unwrap();
    assert_eq!(d.text, ZH);
}

#[test]
fn binary_is_not_text() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0";
    let err = dec(png).unwrap_err();
    assert!(matches!(err, SourceError::NotText { .. }));
    assert_eq!(err.to_string(), "talk.txt: not a text file");

    // No NUL at all, but mostly bytes that are neither UTF-8 nor GB18030.
    let noise: Vec<u8> =
        (0..4000u32).map(|i| [0x80u8, 0xFF, 0xC0, 0x41][(i % 4) as usize]).collect();
    assert!(matches!(dec(&noise).unwrap_err(), SourceError::NotText { .. }));
}

#[test]
fn empty_and_whitespace_only_have_no_text() {
    let err = dec(b"").unwrap_err();
    assert!(matches!(err, SourceError::NoText { .. }));
    assert_eq!(err.to_string(), "talk.txt: no text");
    assert!(matches!(dec(b" \n\r\n\t  \n").unwrap_err(), SourceError::NoText { .. }));
    assert!(matches!(dec(b"\xEF\xBB\xBF\n").unwrap_err(), SourceError::NoText { .. }));
    assert!(matches!(dec(&utf16(" \n", false)).unwrap_err(), SourceError::NoText { .. }));
}

#[test]
fn truncated_utf8_tail_is_still_utf8() {
    let mut bytes = "嘉宾：我记得那是一个下雨天".as_bytes().to_vec();
    bytes.extend_from_slice(&"。".as_bytes()[..2]);
    let d = dec(&bytes).unwrap();
    assert_eq!(d.encoding, "UTF-8");
    assert_eq!(d.text, "嘉宾：我记得那是一个下雨天\u{FFFD}");
}

#[test]
fn a_stray_bad_byte_keeps_utf8() {
    let mut bytes = ZH.repeat(3).into_bytes();
    bytes.insert(10, 0xFF);
    let d = dec(&bytes).unwrap();
    assert_eq!(d.encoding, "UTF-8");
    assert!(d.text.contains("街口就有一家"));
    assert!(d.text.contains('\u{FFFD}'));
}

#[test]
fn escape_sequences_are_defused_and_flagged() {
    let d = dec(b"Guest: \x1b[2J\x1b]0;pwned\x07 hello\n").unwrap();
    assert!(d.had_control_chars);
    assert!(!d.text.contains('\u{1b}'));
    assert!(!d.text.contains('\u{7}'));
    assert_eq!(d.text, "Guest: \u{241B}[2J\u{241B}]0;pwned\u{2407} hello\n");
}

#[test]
fn c1_del_and_bidi_controls_are_replaced() {
    let text = "a\u{7f}b\u{9b}c\u{202e}d\u{2067}e\u{200e}f\u{61c}g\tok\n";
    let d = dec(text.as_bytes()).unwrap();
    assert!(d.had_control_chars);
    for c in ['\u{7f}', '\u{9b}', '\u{202e}', '\u{2067}', '\u{200e}', '\u{61c}'] {
        assert!(!d.text.contains(c), "{c:?} survived in {:?}", d.text);
    }
    assert!(d.text.contains("\u{2421}"), "DEL becomes the DEL picture");
    assert!(d.text.ends_with("g\tok\n"), "tab and newline stay");
    assert_eq!(d.text.chars().filter(|&c| c == '\u{FFFD}').count(), 5);
}

#[test]
fn controls_in_utf16_are_replaced_too() {
    let d = dec(&utf16("x\u{1b}[1my\n", true)).unwrap();
    assert!(d.had_control_chars);
    assert_eq!(d.text, "x\u{241B}[1my\n");
}

#[test]
fn control_characters_in_a_path_do_not_reach_the_terminal() {
    let err = source::read(Path::new("evil\u{1b}[2Jname\nx.md"), None).unwrap_err();
    let msg = err.to_string();
    assert!(!msg.contains('\u{1b}') && !msg.contains('\n'), "{msg:?}");
}

#[test]
fn a_50_mb_single_line_decodes() {
    let mut bytes = "访谈".repeat(50 * 1024 * 1024 / 6).into_bytes();
    bytes.extend_from_slice(b"\r\n");
    let len = bytes.len();
    let d = dec(&bytes).unwrap();
    assert_eq!(d.text.len(), len - 1);
    assert!(d.text.ends_with("访谈\n"));
}

#[test]
fn io_reason_is_printed_once_even_with_the_error_chain() {
    let err = source::read(Path::new("gone.vtt"), None).unwrap_err();
    assert!(std::error::Error::source(&err).is_none());
    assert_eq!(err.to_string().matches("os error 2").count(), 1);
}

#[test]
fn committed_fixtures_read_from_disk() {
    let gbk = source::read(Path::new("tests/fixtures/encodings/gbk_crlf.txt"), None).unwrap();
    assert_eq!(gbk.encoding, "GB18030");
    assert!(gbk.text.starts_with("主持人：欢迎来到今天的节目。\n嘉宾："));
    assert!(!gbk.text.contains('\r'));

    let le = source::read(Path::new("tests/fixtures/encodings/utf16le_bom.txt"), None).unwrap();
    assert_eq!(le.encoding, "UTF-16LE");
    assert_eq!(le.text, "Host: Welcome to the show.\nGuest: 谢谢, glad to be here.\n");

    // The wrong explicit encoding is obeyed, not second-guessed.
    let forced =
        source::read(Path::new("tests/fixtures/encodings/gbk_crlf.txt"), Some("big5")).unwrap();
    assert_eq!(forced.encoding, "Big5");
    assert!(!forced.text.contains("主持人"));
}

fn is_control(c: char) -> bool {
    let u = c as u32;
    (u < 0x20 && c != '\t' && c != '\n')
        || (0x7F..=0x9F).contains(&u)
        || matches!(u, 0x061C | 0x200E | 0x200F | 0x202A..=0x202E | 0x2066..=0x2069)
}

proptest::proptest! {
    #[test]
    fn arbitrary_bytes_never_panic_nor_leak_controls(
        bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400),
        forced in proptest::option::of(proptest::sample::select(vec!["utf-8", "gbk", "utf-16be", "latin1"])),
    ) {
        if let Ok(d) = source::decode(&bytes, forced, Path::new("p")) {
            proptest::prop_assert!(!d.text.chars().any(is_control), "{:?}", d.text);
            proptest::prop_assert!(!d.text.contains('\r'));
            proptest::prop_assert!(!d.text.trim().is_empty());
        }
    }

    #[test]
    fn text_with_controls_keeps_everything_else(s in "[a-z你好\u{1b}\u{7f}\u{85}\u{202e}\r\n\t ]{1,60}") {
        if let Ok(d) = dec(s.as_bytes()) {
            proptest::prop_assert!(!d.text.chars().any(is_control));
            let kept = |t: &str| t.chars().filter(|c| c.is_alphanumeric()).collect::<String>();
            proptest::prop_assert_eq!(kept(&d.text), kept(&s));
        }
    }
}
