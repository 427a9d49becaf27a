//! Speaker labels at the start of a line, shared by the Markdown and plain-text parsers,
//! and the document-level decision of which of them count ([`Decision`]).
//!
//! Shapes ([`Shape`]), as exported by people, transcription services and note-takers:
//! - bold: `**Name：**`, `**Name:**`, `**Name**：`, `**Name**:`, `**Name** [0:00]`,
//!   `**Name (00:12:34):**`, `[00:12:34] **Name:**`, `**[00:12:34] Name:**`;
//! - colon: `Name: text`, `Name：text`; timed colon: `[00:12:34] Name: text`,
//!   `Name (00:12:34): text`, `Name (00:12:34):` alone, `Name [00:01:02]: text`,
//!   `Name: [00:00:05] text`;
//! - header: a line of a name and a time only, the text on the lines after it:
//!   `Name  0:00`, `Speaker 1 00:00:12`, `SPEAKER_01 [00:00:04.120]`, or the time first
//!   and a dash: `@12:05 - **Name**`, `[00:12:05] – Name`;
//! - bracket: `[Speaker 1] [00:00] text`, `[SPEAKER_01]: text` (shown without brackets);
//! - time only: `(00:03:41):` or `[00:03:41] text` continues the current speaker;
//! - the user's own patterns (`[speakers] labels`).
//!
//! Invariant: a label is a name that looks like a name ([`looks_like_name`]) in a shape the
//! document establishes. Bold labels and the user's patterns count on their own merits;
//! another shape counts once the document uses it for several labels with a name said
//! twice (or it is timed or bracketed), and then every line of that shape with a name
//! counts, a speaker who speaks once included. A name said twice counts in any shape; but
//! where the document's labels carry a time or brackets, a line of another shape counts only
//! for a name already said in theirs (so `Quick update: …` said twice in an Otter export
//! is text). Prose is never read as speakers: `Note:`, `注意：`, a clause such as
//! `所以我们的目标就是：`, `The short answer is`, `https://` are not names.

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::ops::Range;

/// How a label is written; see the module doc.
const SHAPES: usize = 7;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Shape {
    Bold,
    Pattern,
    /// `Name: text`, without a time.
    Colon,
    /// `Name (00:12:34): text`, `[00:12:34] Name: text`.
    TimedColon,
    Header,
    Bracket,
    /// A time with no name: continues the current speaker.
    TimeOnly,
}

impl Shape {
    const ALL: [Shape; SHAPES] = [
        Shape::Bold,
        Shape::Pattern,
        Shape::Colon,
        Shape::TimedColon,
        Shape::Header,
        Shape::Bracket,
        Shape::TimeOnly,
    ];
    /// The shapes that name a speaker: all but the last, [`Shape::TimeOnly`].
    fn speaking() -> &'static [Shape] {
        &Shape::ALL[..SHAPES - 1]
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// A label found at the start of a string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// The name, as a byte range of the scanned string (empty for [`Shape::TimeOnly`]).
    pub name: Range<usize>,
    pub start_ms: Option<u64>,
    /// Byte offset just past the label (and the spaces after it).
    pub end: usize,
    /// Written in bold (`**Name：**` or `**Name**：`) or by a user pattern: a label on its
    /// own merits.
    pub bold: bool,
    pub shape: Shape,
}

/// Longest name, in characters (a limit on content, not a display width), for the lax
/// [`valid_name`] (metadata keys, bold labels) and for [`looks_like_name`].
const MAX_NAME_CHARS: usize = 30;
const MAX_LABEL_CHARS: usize = 40;

/// Sentence punctuation, quotes and markup: no name holds one.
#[rustfmt::skip]
fn ends_name(c: char) -> bool {
    matches!(
        c,
        '，' | '。' | '！' | '？' | '；' | '?' | '!' | ';' | '*' | '\n' | '：' | ':' | '"' | '“' | '”'
            | '「' | '」' | '、' | '`' | '|' | '#' | '<' | '>' | '[' | ']'
    )
}

/// Is `name` plausible as a speaker name? Short, on one line, no sentence punctuation.
pub fn valid_name(name: &str) -> bool {
    // A character reference (`Jos&eacute;`) is judged by what it stands for: its `;` is no
    // sentence punctuation.
    let decoded = match name.contains('&') && name.len() <= 40 * MAX_NAME_CHARS {
        true => super::entity::decode(name),
        false => std::borrow::Cow::Borrowed(name),
    };
    let name = decoded.as_ref();
    if name.is_empty() || name.trim() != name {
        return false;
    }
    let mut n = 0;
    for c in name.chars() {
        n += 1;
        if n > MAX_NAME_CHARS {
            return false;
        }
        if c == ',' || ends_name(c) {
            return false;
        }
    }
    // "1." or "2024" is a list marker or a number, not a name.
    !name.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ' ')
}

/// Words that begin prose, not speech: `Note:`, `注意：`. Compared whole, ignoring case.
#[rustfmt::skip]
const PROSE_WORDS: &[&str] = &[
    "note", "notes", "nb", "n.b.", "ps", "p.s.", "pps", "update", "updated", "edit", "edited",
    "warning", "caution", "tip", "tips", "todo", "fixme", "example", "examples", "e.g.", "i.e.",
    "eg", "ie", "source", "sources", "link", "links", "url", "via", "credit", "credits",
    "disclaimer", "summary", "tl;dr", "tldr", "see", "see also", "ref", "reference",
    "references", "date", "time", "location", "place", "duration", "length", "recorded",
    "title", "subject", "topic", "author", "by", "transcript", "transcribed by", "language",
    "audio", "video", "episode", "tags", "keywords", "copyright", "http", "https", "mailto",
    "注意", "注", "备注", "提示", "例如", "比如", "譬如", "例", "总结", "结论", "说明", "原文", "来源", "出处", "链接",
    "地址", "网址", "时间", "地点", "日期", "时长", "编辑", "作者", "摘要", "导语", "编者按", "按", "附", "附注", "注释",
    "参考", "更新", "警告", "小结", "标签", "关键词", "版权", "声明", "免责声明", "整理", "校对", "听写", "字幕", "music",
    "applause", "laughter", "laughs", "laughing", "inaudible", "crosstalk", "silence", "noise",
    "pause", "background noise", "unintelligible", "音乐", "笑", "笑声", "掌声", "鼓掌", "听不清", "沉默",
    "停顿", "aside", "correction", "clarification", "addendum", "postscript", "context",
    "background", "translation", "editor's note", "translator's note", "content warning",
    "trigger warning", "spoiler", "spoilers", "编者注", "重点", "要点", "划重点", "提醒", "强调", "关键", "核心", "答案", "小贴士", "贴士", "译者注", "译注", "补充", "更正", "背景", "附言",
];

/// Words that open a sentence, compared whole (ignoring case): `First: …`, `In short: …`,
/// `首先：…` (unlike [`PROSE_WORDS`], `First Officer` is a name).
const OPENERS: &[&str] = &[
    "first",
    "second",
    "third",
    "firstly",
    "secondly",
    "finally",
    "lastly",
    "also",
    "anyway",
    "basically",
    "however",
    "therefore",
    "meanwhile",
    "last thing",
    "one more thing",
    "bottom line",
    "side note",
    "fun fact",
    "long story short",
    "quick question",
    "首先",
    "其次",
    "再次",
    "然后",
    "最后",
    "另外",
    "此外",
    "总之",
    "其实",
    "当然",
    "而且",
    "但是",
    "因为",
    "所以",
    "如果",
    "比如说",
    "换言之",
    "同时",
];

/// First words of a phrase that make it a sentence's opening, not a name: `In short`,
/// `For the record`, `As for the budget`.
const PREPOSITIONS: &[&str] =
    &["in", "on", "at", "for", "to", "as", "with", "from", "after", "before", "about", "of"];

/// An ordinal (`第一`, `第2点`) or a numbered item (`Step 2`, `Lesson one`, `Part IV`): a
/// list's item, not a speaker (`Speaker 2` and `Guest 1` are people, and not listed here).
fn is_ordinal(name: &str) -> bool {
    const NUMERALS: &str = "一二三四五六七八九十百千零两0123456789";
    const ITEMS: &[&str] = &[
        "step", "lesson", "part", "chapter", "section", "point", "rule", "tip", "reason", "item",
        "option", "example", "exhibit", "figure", "table", "day", "week", "round", "phase",
        "stage", "level", "takeaway", "question",
    ];
    const WORDS: &[&str] = &[
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "i", "ii",
        "iii", "iv", "v", "vi", "vii", "viii", "ix", "x",
    ];
    let mut words = name.split_whitespace();
    if let (Some(item), Some(n), None) = (words.next(), words.next(), words.next()) {
        let n = n.trim_end_matches(['.', ')']);
        let numbered = n.bytes().all(|b| b.is_ascii_digit())
            || WORDS.iter().any(|w| w.eq_ignore_ascii_case(n));
        if numbered && !n.is_empty() && ITEMS.iter().any(|w| w.eq_ignore_ascii_case(item)) {
            return true;
        }
    }
    let Some(rest) = name.strip_prefix('第') else { return false };
    rest.starts_with(|c| NUMERALS.contains(c))
        && rest.chars().all(|c| NUMERALS.contains(c) || "点条个步项章节".contains(c))
}

/// Characters that make a Chinese phrase a clause rather than a name (`所以我们的目标就是`,
/// `我们今天要讲的就是`): particles, pronouns and common verbs that names do not hold.
#[rustfmt::skip]
const CLAUSE_CHARS: &[char] = &[
    '的', '了', '是', '就', '在', '说', '这', '那', '吗', '呢', '吧', '啊', '也', '都', '还', '把',
    '被', '让', '很', '最', '么', '怎', '我', '你', '他', '她', '它', '们', '没', '不', '着',
];

/// Words that make a phrase of several words a clause rather than a name (`The short answer
/// is`, `There are three reasons for this`, `We meet again at`): verbs of being and doing,
/// pronouns, conjunctions. Names hold none of them written so (`Will Smith` is a name: a
/// capitalised `Will` only counts first in a phrase, and `Will`, `Can`, `May` never).
const CLAUSE_WORDS: &[&str] = &[
    "is",
    "are",
    "was",
    "were",
    "am",
    "be",
    "been",
    "isn't",
    "aren't",
    "wasn't",
    "weren't",
    "have",
    "has",
    "had",
    "do",
    "does",
    "did",
    "don't",
    "doesn't",
    "didn't",
    "will",
    "would",
    "could",
    "should",
    "must",
    "can",
    "won't",
    "can't",
    "couldn't",
    "wouldn't",
    "shouldn't",
    "i'm",
    "i've",
    "i'd",
    "i'll",
    "we",
    "we're",
    "we've",
    "we'll",
    "you",
    "you're",
    "you've",
    "they",
    "they're",
    "it",
    "it's",
    "he",
    "she",
    "this",
    "that",
    "that's",
    "these",
    "those",
    "there",
    "there's",
    "here",
    "here's",
    "what",
    "what's",
    "which",
    "how",
    "why",
    "when",
    "where",
    "because",
    "if",
    "so",
    "but",
    "not",
    "just",
    "also",
    "very",
    "really",
    "me",
    "us",
    "them",
    "let's",
    "think",
    "know",
    "mean",
    "said",
    "say",
    "says",
    "want",
    "need",
    "going",
    "gonna",
    "get",
    "got",
];

/// Words a name never ends with, written so: a phrase ending in one runs on into what
/// follows (`Doors open at 7:30` is not `Doors open at`, speaking at 7:30).
const RUN_ON: &[&str] = &[
    "a", "an", "the", "and", "or", "at", "to", "in", "on", "for", "of", "with", "from", "by",
    "until", "till", "about", "around", "after", "before", "since", "than", "into",
];

/// Is the `k`th of `n` words of a phrase one that only clauses hold ([`CLAUSE_WORDS`], or a
/// [`RUN_ON`] word last)?
fn clause_word(w: &str, k: usize, n: usize) -> bool {
    if w.contains('’') {
        return clause_word(&w.replace('’', "'"), k, n);
    }
    // `I` is a pronoun, but `Elizabeth I` a name.
    if w == "I" || w == "i" {
        return k + 1 < n;
    }
    if CLAUSE_WORDS.contains(&w) || (k + 1 == n && RUN_ON.contains(&w)) {
        return true;
    }
    k == 0
        && w.starts_with(|c: char| c.is_ascii_uppercase())
        && !matches!(w, "Will" | "Can" | "May")
        && CLAUSE_WORDS.iter().any(|c| c.eq_ignore_ascii_case(w))
}

/// Does `name` begin prose rather than name someone (`Note`, `注意`, `Note to self`,
/// `例如 config`, `In short`, `首先`, `第一`, a URL)?
pub fn is_prose_word(name: &str) -> bool {
    remembered(name, 0, prose_word)
}

/// The answer of test `kind` (`f`) on `name`, remembered: a transcript says the same few
/// names thousands of times, and every label's name is tested in both passes.
fn remembered(name: &str, kind: u8, f: fn(&str) -> bool) -> bool {
    type Seen = (Vec<(u8, Box<str>, bool)>, usize);
    thread_local! {
        static SEEN: std::cell::RefCell<Seen> = const { std::cell::RefCell::new((Vec::new(), 0)) };
    }
    const KEEP: usize = 24;
    SEEN.with(|cell| {
        let Ok(mut seen) = cell.try_borrow_mut() else { return f(name) };
        let (list, _) = &mut *seen;
        if let Some(&(_, _, hit)) = list.iter().find(|(k, n, _)| *k == kind && &**n == name) {
            return hit;
        }
        drop(seen);
        // Computed with the list released: a test may ask another (`f` calls
        // `is_prose_word`).
        let answer = f(name);
        if name.len() <= 64
            && let Ok(mut seen) = cell.try_borrow_mut()
        {
            let (list, next) = &mut *seen;
            let entry = (kind, name.into(), answer);
            match list.len() < KEEP {
                true => list.push(entry),
                false => list[*next % KEEP] = entry,
            }
            *next = next.wrapping_add(1);
        }
        answer
    })
}

fn prose_word(name: &str) -> bool {
    type Set = std::sync::LazyLock<hashbrown::HashSet<&'static str>>;
    static WORDS: Set = Set::new(|| PROSE_WORDS.iter().copied().collect());
    static OPENING: Set = Set::new(|| OPENERS.iter().copied().collect());
    if name.contains("://") || name.get(..4).is_some_and(|h| h.eq_ignore_ascii_case("http")) {
        return true;
    }
    // The first word, where there are several (a prose word or a preposition leading).
    let first = match memchr::memchr2(b' ', b'\t', name.as_bytes()) {
        Some(i) => &name[..i],
        None => "",
    };
    // Every label of a document is tested: lower-cased once, on the stack. A name longer
    // than the buffer is no prose word or opener (its first word may still be one).
    let mut buf = [0u8; 48];
    let lower = |w: &str, buf: &mut [u8; 48]| -> Option<usize> {
        let out = buf.get_mut(..w.len())?;
        out.copy_from_slice(w.as_bytes());
        out.make_ascii_lowercase();
        Some(w.len())
    };
    let whole = match lower(name, &mut buf).map(|n| std::str::from_utf8(&buf[..n])) {
        Some(Ok(l)) => WORDS.contains(l) || OPENING.contains(l),
        _ => false,
    };
    if whole || is_ordinal(name) {
        return true;
    }
    if first.is_empty() {
        return false;
    }
    match lower(first, &mut buf).map(|n| std::str::from_utf8(&buf[..n])) {
        Some(Ok(l)) => WORDS.contains(l) || PREPOSITIONS.contains(&l),
        _ => false,
    }
}

/// Is `name` prose rather than a name: a prose word ([`is_prose_word`]), an English clause
/// of several words (`The short answer is`), or a Chinese clause (`所以我们的目标就是`)?
pub fn is_prose(name: &str) -> bool {
    if is_prose_word(name) {
        return true;
    }
    // The part before an affiliation in brackets: `主持人（某某台）`.
    let bare = name.split(['(', '（']).next().unwrap_or(name);
    // A phrase of several words with a verb or a pronoun in it is a clause; one word alone
    // may be a chat's `You:` or `Me:`.
    let words = bare.split_whitespace().count();
    if words > 1 && bare.split_whitespace().enumerate().any(|(k, w)| clause_word(w, k, words)) {
        return true;
    }
    let cjk = || bare.chars().filter(|&c| super::join::is_east_asian(c));
    let (n, clause) =
        cjk().fold((0, 0), |(n, k), c| (n + 1, k + usize::from(CLAUSE_CHARS.contains(&c))));
    // `我：` and `你：` are labels some interviews use; longer phrases with a particle or a
    // pronoun are clauses, and no Chinese name runs past eight characters.
    n > 8 || (n > 2 && clause > 0) || (n == 2 && clause == 2)
}

/// Does `name` look like a speaker's name, credentials and all? Short (a few words, at most
/// 40 characters), no sentence punctuation inside, not prose ([`is_prose`]). Initials and
/// titles (`J. R. Smith`, `Dr. Smith`), a comma before a credential or initials
/// (`Elena M. Ruiz, Ph.D`, `Smith, J.`) and an affiliation in brackets at the end
/// (`Hon. Jane Doe (D-CA)`, `主持人（电台）`) are fine; `Well, I think`, `他说，是的` are not.
pub fn looks_like_name(name: &str) -> bool {
    remembered(name, 2, name_shaped)
}

fn name_shaped(name: &str) -> bool {
    // A character reference (`Jos&eacute;`) is judged by what it stands for.
    let decoded = match name.contains('&') && name.len() <= 4 * 40 * MAX_LABEL_CHARS {
        true => super::entity::decode(name),
        false => std::borrow::Cow::Borrowed(name),
    };
    let name = decoded.as_ref();
    if name.is_empty() || name.trim() != name || name.chars().count() > MAX_LABEL_CHARS {
        return false;
    }
    // An affiliation or role in brackets, at the end only.
    let (main, paren) = match name.find(['(', '（']) {
        Some(i) => (name[..i].trim_end(), &name[i..]),
        None => (name, ""),
    };
    if !paren.is_empty() {
        let inner = paren.trim_start_matches(['(', '（']).trim_end_matches([')', '）']);
        let closed = paren.ends_with([')', '）']);
        if main.is_empty()
            || !closed
            || inner.contains(['(', ')', '（', '）'])
            || inner.chars().count() > 30
            || inner.contains(['。', '！', '？', '!', '?', ';', '；', '，'])
        {
            return false;
        }
    }
    if main.chars().any(|c| ends_name(c) || matches!(c, '/' | '\\' | '=' | '{' | '}' | '…')) {
        return false;
    }
    // "1." or "2024" is a list marker or a number, not a name; a name has a letter.
    if !main.chars().any(char::is_alphabetic) {
        return false;
    }
    let words = || main.split_whitespace();
    if words().nth(6).is_some() || is_prose(name) || is_prose(main) {
        return false;
    }
    // A comma only before a credential or initials: `Ruiz, Ph.D`, `Smith, J.`, `Lee, MD`.
    if let Some((_, after)) = main.split_once(',') {
        let creds = || after.split([' ', ',']).filter(|w| !w.is_empty());
        let credential = |w: &str| {
            let letters = w.chars().filter(|c| c.is_alphabetic()).count();
            w.contains('.') && letters <= 5
                || (letters <= 4 && w.chars().all(|c| c.is_uppercase() || c == '.'))
                || matches!(w, "Jr" | "Sr" | "Esq" | "PhD" | "MD" | "II" | "III" | "IV")
        };
        let count = creds().count();
        if count == 0 || count > 3 || !creds().all(credential) {
            return false;
        }
    }
    // A full stop only ends an abbreviation or initial (`Dr.`, `J.`, `Ph.D`), never a word
    // of a sentence (`Thanks. So`).
    words()
        .all(|w| !w.contains('.') || w.trim_matches('.').chars().filter(|c| *c != '.').count() <= 4)
}

/// `[00:12:34] ` or `(00:12:34) ` style prefix: the time and the offset after it.
fn bracket_time(s: &str, open: char, close: char) -> Option<(u64, usize)> {
    let rest = s.strip_prefix(open)?;
    let end = rest.find(close)?;
    let ms = parse_time(&rest[..end])?;
    Some((ms, open.len_utf8() + end + close.len_utf8()))
}

/// `hh:mm:ss`, `mm:ss`, with optional `.mmm` or `,mmm`, into milliseconds.
pub fn parse_time(s: &str) -> Option<u64> {
    let s = s.trim();
    if s.len() > 16 || !s.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let (main, frac) = match s.find(['.', ',']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let parts = main.split(':');
    if !(2..=3).contains(&parts.clone().count()) {
        return None;
    }
    let mut secs: u64 = 0;
    for (i, p) in parts.enumerate() {
        if p.is_empty() || p.len() > 3 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let v: u64 = p.parse().ok()?;
        if i > 0 && v >= 60 {
            return None;
        }
        secs = secs * 60 + v;
    }
    let mut ms = secs * 1000;
    if let Some(f) = frac {
        if f.is_empty() || f.len() > 3 || !f.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let v: u64 = f.parse().ok()?;
        ms += v * 10u64.pow(3 - f.len() as u32);
    }
    Some(ms)
}

/// Past the spaces, tabs and ideographic spaces (U+3000, bytes E3 80 80) at `i`. Runs after
/// every label: bytes compared directly, no char decoding.
fn skip_spaces(s: &str, mut i: usize) -> usize {
    let b = s.as_bytes();
    loop {
        match b.get(i) {
            Some(b' ' | b'\t') => i += 1,
            Some(0xE3) if b[i + 1..].starts_with(&[0x80, 0x80]) => i += 3,
            _ => return i,
        }
    }
}

/// A colon ending a label: `：` anywhere, `:` only before whitespace or the end (so a URL's
/// `https://` is never a label).
fn colon_at(s: &str, i: usize) -> Option<usize> {
    let rest = &s[i..];
    if rest.starts_with('：') {
        return Some(i + '：'.len_utf8());
    }
    let after = rest.strip_prefix(':')?;
    let ends = after.is_empty()
        || after.starts_with([' ', '\t', '\n', '\u{3000}'])
        || after.starts_with("**");
    ends.then_some(i + 1)
}

/// Split a trailing `(00:12:34)` / `（00:12:34）` / `[00:12:34]` off a name.
fn name_and_time(s: &str, name: Range<usize>) -> (Range<usize>, Option<u64>) {
    let text = &s[name.clone()];
    let trimmed = text.trim_end();
    // Every closing mark ends in `)`, `]` or 0x89 (the last byte of `）`): most names end
    // in none of them.
    if !matches!(trimmed.as_bytes().last(), Some(b')' | b']' | 0x89)) {
        return (name, None);
    }
    for (open, close) in [('(', ')'), ('（', '）'), ('[', ']')] {
        if let Some(inner) = trimmed.strip_suffix(close)
            && let Some(o) = inner.rfind(open)
            && let Some(ms) = parse_time(&inner[o + open.len_utf8()..])
        {
            let n = inner[..o].trim_end().len();
            return (name.start..name.start + n, Some(ms));
        }
    }
    (name, None)
}

/// A bold label at the very start of `s`: `**Name：**`, `**Name**：` (optionally after a
/// `[00:12:34]` timestamp, or with one inside the bold: `**[00:12:34] Name:**`).
pub fn bold_label(s: &str) -> Option<Label> {
    let (pre_ms, mut i) = match bracket_time(s, '[', ']') {
        Some((ms, n)) => (Some(ms), skip_spaces(s, n)),
        None => (None, 0),
    };
    if !s[i..].starts_with("**") || s[i..].starts_with("***") {
        return None;
    }
    i += 2;
    // `**[00:01:02] Name:**`: the time inside the bold.
    let (pre_ms, i) = match (pre_ms, bracket_time(&s[i..], '[', ']')) {
        (None, Some((ms, n))) => (Some(ms), skip_spaces(s, i + n)),
        (pre_ms, _) => (pre_ms, i),
    };
    let close = double_star(s.as_bytes(), i)?;
    let inner = &s[i..close];
    if inner.contains('\n') {
        return None;
    }
    let after_close = close + 2;
    // `**Name：**` — the colon inside the bold.
    let inner_trim = inner.trim_end();
    let (name_end, end) = if let Some(stripped) = inner_trim.strip_suffix('：') {
        (i + stripped.len(), after_close)
    } else if let Some(stripped) = inner_trim.strip_suffix(':') {
        (i + stripped.len(), after_close)
    } else {
        // `**Name**：` — the colon right after the bold; or `**Name** [0:00]`, a time.
        match colon_at(s, after_close) {
            Some(end) => (close, end),
            None => {
                let t = skip_spaces(s, after_close);
                bracket_time(&s[t..], '[', ']').or_else(|| bracket_time(&s[t..], '(', ')'))?;
                (close, after_close)
            }
        }
    };
    let (name, ms) = name_and_time(s, i..name_end);
    let name = trim_range(s, name);
    let n = &s[name.clone()];
    // Lax, but a comma before a credential (`**Elena M. Ruiz, Ph.D:**`) is fine too.
    if !remembered(n, 1, |n| (valid_name(n) || looks_like_name(n)) && !is_prose_word(n)) {
        return None;
    }
    let (ms, end) = match ms.or(pre_ms) {
        Some(ms) => (Some(ms), end),
        None => time_after(s, end),
    };
    Some(Label { name, start_ms: ms, end: skip_spaces(s, end), bold: true, shape: Shape::Bold })
}

/// Offset of the first `**` at or after `from`. Every paragraph line is tried as a label
/// twice: a byte search is much cheaper here than setting up a substring searcher.
fn double_star(b: &[u8], from: usize) -> Option<usize> {
    memchr::memchr_iter(b'*', b.get(from..)?)
        .map(|p| from + p)
        .find(|&p| b.get(p + 1) == Some(&b'*'))
}

/// A label matched by one of the user's patterns (`[speakers] labels`): the `name` group is
/// the speaker, an optional `time` group the start time. Such a label counts on its own
/// merits, like a bold one.
pub fn pattern_label(s: &str, patterns: &[regex::Regex]) -> Option<Label> {
    for re in patterns {
        let Some(c) = re.captures(s) else { continue };
        let (Some(all), Some(name)) = (c.get(0), c.name("name")) else { continue };
        if all.start() != 0 || !valid_name(name.as_str().trim()) {
            continue;
        }
        let name = trim_range(s, name.range());
        let start_ms = c.name("time").and_then(|t| parse_time(t.as_str()));
        let end = skip_spaces(s, all.end());
        return Some(Label { name, start_ms, end, bold: true, shape: Shape::Pattern });
    }
    None
}

/// A colon label at the start of `s`: `Name：text`, `Name: text`, `[00:12:34] Name: text`,
/// `Name (00:12:34): text`, `Name [00:01:02]:`, `Name: [00:00:05] text`.
pub fn plain_label(s: &str) -> Option<Label> {
    let (pre_ms, start) = match bracket_time(s, '[', ']') {
        Some((ms, n)) => (Some(ms), skip_spaces(s, n)),
        None => (None, 0),
    };
    // A name is short, so only the head of the line can hold its colon.
    let mut window = (start + MAX_LABEL_CHARS * 4 + 16).min(s.len());
    while !s.is_char_boundary(window) {
        window -= 1;
    }
    // The first colon on the line ends the candidate name, but for one inside a time in
    // brackets after the name (`Name (00:12:34): text`, `Name [00:01:02]: text`).
    let mut idx = first_colon(&s[start..window])?;
    let head = &s[start..start + idx];
    if let Some(open) = head.rfind(['(', '[', '（'])
        && !head[open..].contains([')', ']', '）'])
    {
        let close = start + idx + s[start + idx..window].find([')', ']', '）'])?;
        idx = close - start + first_colon(&s[close..window])?;
    }
    let end = colon_at(s, start + idx)?;
    let (name, ms) = name_and_time(s, start..start + idx);
    let name = trim_range(s, name);
    if !looks_like_name(&s[name.clone()]) {
        return None;
    }
    // The time may also follow the colon: `Name: [00:00:05] text`.
    let (start_ms, end) = match pre_ms.or(ms) {
        Some(ms) => (Some(ms), end),
        None => time_after(s, end),
    };
    let shape = if start_ms.is_some() { Shape::TimedColon } else { Shape::Colon };
    Some(Label { name, start_ms, end: skip_spaces(s, end), bold: false, shape })
}

/// A header line: a name and a time and nothing else (`Name  0:00`, `Speaker 1 00:00:12`,
/// `SPEAKER_01 [00:00:04.120]`, `Name (00:00):`), the turn's text on the lines after it.
pub fn header_label(s: &str) -> Option<Label> {
    // Most lines end in a letter or punctuation: a time ends in a digit or a bracket.
    let t = s.trim_end().trim_end_matches([':', '：']).trim_end();
    if !t.ends_with(|c: char| c.is_ascii_digit() || c == ']' || c == ')') {
        return None;
    }
    if t.len() > MAX_LABEL_CHARS * 4 + 32 {
        return None;
    }
    // The time is the last word, bare or in brackets.
    let cut = t.rfind([' ', '\t', '\u{3000}'])?;
    let (head, time) = (&t[..cut], t[cut..].trim_start());
    let inner = time
        .strip_prefix('[')
        .and_then(|x| x.strip_suffix(']'))
        .or_else(|| time.strip_prefix('(').and_then(|x| x.strip_suffix(')')))
        .unwrap_or(time);
    let ms = parse_time(inner)?;
    let name = trim_range(s, 0..head.len());
    if !looks_like_name(&s[name.clone()]) || s[name.clone()].starts_with('[') {
        return None;
    }
    Some(Label { name, start_ms: Some(ms), end: s.len(), bold: false, shape: Shape::Header })
}

/// A header written time first, then a dash and the name alone (bold or not):
/// `@12:05 - **Name**`, `00:12:05 – Name`, `[00:12:05] - Name`.
pub fn time_first_header(s: &str) -> Option<Label> {
    if !s.starts_with(|c: char| c == '@' || c == '[' || c == '(' || c.is_ascii_digit()) {
        return None;
    }
    let t = s.trim_end();
    let at = usize::from(t.starts_with('@'));
    let body = &t[at..];
    let (ms, n) =
        bracket_time(body, '[', ']').or_else(|| bracket_time(body, '(', ')')).or_else(|| {
            let end = body.find([' ', '\t'])?;
            Some((parse_time(&body[..end])?, end))
        })?;
    let i = skip_spaces(t, at + n);
    let dash = t[i..].chars().next().filter(|c| matches!(c, '-' | '–' | '—'))?;
    let mut name = skip_spaces(t, i + dash.len_utf8())..t.len();
    let inner = &t[name.clone()];
    if inner.len() > 4 && inner.starts_with("**") && inner.ends_with("**") {
        name = name.start + 2..name.end - 2;
    }
    let name = trim_range(s, name);
    if name.is_empty() || !looks_like_name(&s[name.clone()]) {
        return None;
    }
    Some(Label { name, start_ms: Some(ms), end: s.len(), bold: false, shape: Shape::Header })
}

/// A bracketed name: `[Speaker 1] [00:00] text`, `[SPEAKER_01]: text`, `[Name] (00:12): text`.
/// Without a colon or a time after it, `[Music]` or `[笑]` is a sound, not a speaker.
pub fn bracket_label(s: &str) -> Option<Label> {
    let rest = s.strip_prefix('[')?;
    let close = rest.find(']')?;
    if close > MAX_LABEL_CHARS * 4 {
        return None;
    }
    let name = trim_range(s, 1..1 + close);
    if parse_time(&s[name.clone()]).is_some() || !looks_like_name(&s[name.clone()]) {
        return None;
    }
    let mut i = skip_spaces(s, 1 + close + 1);
    let time = bracket_time(&s[i..], '[', ']').or_else(|| bracket_time(&s[i..], '(', ')'));
    if let Some((_, n)) = time {
        i = skip_spaces(s, i + n);
    }
    let colon = colon_len(s, i);
    if time.is_none() && colon == 0 {
        return None;
    }
    let start_ms = time.map(|(ms, _)| ms);
    Some(Label {
        name,
        start_ms,
        end: skip_spaces(s, i + colon),
        bold: false,
        shape: Shape::Bracket,
    })
}

/// A time with no name: `(00:03:41):`, `[00:03:41] text`, `00:03:41` alone.
pub fn time_only(s: &str) -> Option<Label> {
    if !s.starts_with(|c: char| c.is_ascii_digit() || c == '(' || c == '[') {
        return None;
    }
    let (ms, n) = match bracket_time(s, '(', ')').or_else(|| bracket_time(s, '[', ']')) {
        Some(t) => t,
        None => {
            let t = s.trim_end().trim_end_matches([':', '：']);
            (parse_time(t)?, s.len())
        }
    };
    let end = skip_spaces(s, n + colon_len(s, n));
    Some(Label { name: 0..0, start_ms: Some(ms), end, bold: false, shape: Shape::TimeOnly })
}

/// The label at the start of a line, of any shape: whether it counts is the document's
/// [`Decision`].
pub fn scan(s: &str, patterns: &[regex::Regex]) -> Option<Label> {
    let first = *s.as_bytes().first()?;
    if let Some(l) = (!patterns.is_empty()).then(|| pattern_label(s, patterns)).flatten() {
        return Some(l);
    }
    // Bold and bracketed labels begin with their mark.
    if (first == b'*' || first == b'[')
        && let Some(l) = bold_label(s)
    {
        return Some(l);
    }
    (if first == b'[' { bracket_label(s) } else { None })
        .or_else(|| plain_label(s))
        .or_else(|| header_label(s))
        .or_else(|| time_first_header(s))
        .or_else(|| time_only(s))
}

/// The length of a label colon at `i` (`：`, or `:` before a space or the end), else 0.
fn colon_len(s: &str, i: usize) -> usize {
    colon_at(s, i).map_or(0, |e| e - i)
}

/// A time in brackets right after a bold name (`**Name** [0:00]`): the time and where
/// the label ends (past an optional colon).
fn time_after(s: &str, end: usize) -> (Option<u64>, usize) {
    let t = skip_spaces(s, end);
    if !matches!(s.as_bytes().get(t), Some(b'[' | b'(')) {
        return (None, end);
    }
    match bracket_time(&s[t..], '[', ']').or_else(|| bracket_time(&s[t..], '(', ')')) {
        Some((ms, n)) => (Some(ms), t + n + colon_len(s, t + n)),
        None => (None, end),
    }
}

/// Byte offset of the first `:` or `：` (U+FF1A, bytes EF BC 9A) in `s`. Called for every
/// paragraph line, several times: `memchr2` on the bytes avoids decoding each char. It
/// looks for the colon's last byte, 0x9A, which is rarer in Chinese text than the lead
/// byte 0xEF shared by all full-width punctuation.
/// The search stops at the end of the first line.
fn first_colon(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    for p in memchr::memchr3_iter(b':', 0x9A, b'\n', b) {
        match b[p] {
            b'\n' => return None,
            b':' => return Some(p),
            _ if p >= 2 && b[p - 2] == 0xEF && b[p - 1] == 0xBC => return Some(p - 2),
            _ => {}
        }
    }
    None
}

fn trim_range(s: &str, r: Range<usize>) -> Range<usize> {
    let t = &s[r.clone()];
    let lead = t.len() - t.trim_start().len();
    let trail = t.trim_end().len().max(lead);
    r.start + lead..r.start + trail
}

/// What a survey of a document's lines found, for [`Decision`]: label uses per shape and
/// per name. Names are kept as 64-bit hashes, not copies: an archive may hold hundreds of
/// thousands (two names colliding would only share a count).
#[derive(Debug, Clone, Default)]
pub struct Tally {
    uses: [usize; SHAPES],
    /// Uses on a line that is not the first of its paragraph (one utterance per line).
    inner: [usize; SHAPES],
    /// Header lines right after another header line: a list of chapters (`Intro 0:00`,
    /// `The delta 12:10`), not speakers, whose text would follow each.
    stacked: usize,
    by_name: HashMap<u64, Uses>,
}

/// How one name was used as a label.
#[derive(Debug, Clone, Copy, Default)]
struct Uses {
    /// Weighted uses (see [`Tally::add`]).
    count: u32,
    /// The shapes it was written in (a bit per [`Shape`]), and those twice or more.
    shapes: u8,
    repeated: u8,
}

fn name_key(name: &str) -> u64 {
    // One hasher for the whole process, so that the tallies of a document's parts agree.
    static HASHER: std::sync::LazyLock<hashbrown::DefaultHashBuilder> =
        std::sync::LazyLock::new(hashbrown::DefaultHashBuilder::default);
    HASHER.hash_one(name)
}

impl Tally {
    /// Count a label found on a line (`inner`: not its paragraph's first line).
    pub fn add(&mut self, l: &Label, name: &str, inner: bool) {
        let i = l.shape.index();
        self.uses[i] += 1;
        self.inner[i] += usize::from(inner);
        if l.shape == Shape::TimeOnly {
            return;
        }
        let uses = self.by_name.entry(name_key(name)).or_default();
        let bit = 1 << i;
        uses.repeated |= uses.shapes & bit;
        uses.shapes |= bit;
        // A bold label counts double where it begins a paragraph (a label on its own
        // merits), and not at all inside one.
        let weight = match (l.bold, inner) {
            (true, false) => 2,
            (true, true) => 0,
            (false, _) => 1,
        };
        uses.count += weight;
    }

    /// Count a header line that came right after another header line.
    pub fn add_stacked(&mut self) {
        self.stacked += 1;
    }

    /// Add the counts of `other` (an earlier part of the document).
    pub fn merge(&mut self, other: &Tally) {
        self.stacked += other.stacked;
        for i in 0..SHAPES {
            self.uses[i] += other.uses[i];
            self.inner[i] += other.inner[i];
        }
        for (k, o) in &other.by_name {
            let u = self.by_name.entry(*k).or_default();
            u.repeated |= o.repeated | (u.shapes & o.shapes);
            u.shapes |= o.shapes;
            u.count += o.count;
        }
    }

    /// How many labels of this tally will start turns, at most.
    pub fn labels(&self) -> usize {
        self.uses.iter().sum()
    }

    /// Distinct names, an upper bound on the speakers.
    pub fn names(&self) -> usize {
        self.by_name.len()
    }
}

/// Which labels a document uses: decided once from the whole document's [`Tally`] (for a
/// big file read in parts, from the parts read so far).
#[derive(Debug, Clone, Default)]
pub struct Decision {
    accept: [bool; SHAPES],
    /// The document's labels carry a time or brackets: a line of another shape counts only
    /// for a name already said in an accepted shape.
    timed: bool,
    tally: Tally,
    /// Labels follow each other line after line: the lines are utterances, each its own
    /// paragraph, not hard wraps to join.
    pub line_mode: bool,
}

impl Decision {
    pub fn new(tally: Tally) -> Decision {
        let uses = tally.uses;
        let speaking = Shape::speaking();
        let best = speaking.iter().map(|s| uses[s.index()]).max().unwrap_or(0);
        let repeated =
            |shape: Shape| tally.by_name.values().any(|u| u.repeated & (1 << shape.index()) != 0);
        let mut accept = [false; SHAPES];
        for shape in Shape::ALL {
            let n = uses[shape.index()];
            accept[shape.index()] = match shape {
                Shape::Bold | Shape::Pattern => true,
                // A shape the document uses for its labels: several of them, not dwarfed by
                // another shape; plain colons also need a name said twice (prose has colons).
                Shape::Colon => n >= 2 && n * 3 >= best && repeated(shape),
                Shape::Header => n >= 2 && n * 3 >= best && tally.stacked * 2 < n,
                Shape::TimedColon | Shape::Bracket => n >= 2 && n * 3 >= best,
                Shape::TimeOnly => false,
            };
        }
        // Where the labels carry a time or brackets, a plain `Words: text` line is text
        // (`Last thing: the bins arrive.` in an Otter export).
        let timed = [Shape::TimedColon, Shape::Header, Shape::Bracket]
            .iter()
            .any(|s| accept[s.index()] && uses[s.index()] > 0);
        if timed {
            accept[Shape::Colon.index()] = false;
        }
        let speakers = speaking.iter().any(|s| accept[s.index()] && uses[s.index()] > 0);
        accept[Shape::TimeOnly.index()] = uses[Shape::TimeOnly.index()] >= 2 || speakers;
        let (mut inner, mut all) = (0, 0);
        for shape in speaking {
            if accept[shape.index()] {
                inner += tally.inner[shape.index()];
                all += uses[shape.index()];
            }
        }
        let line_mode = inner >= 2 && inner * 2 >= all;
        Decision { accept, timed, tally, line_mode }
    }

    /// A name said as a label at least twice (a bold one at a paragraph's start counts
    /// double), in any shape; where the document's labels carry a time or brackets, also
    /// in a shape it accepts.
    fn known(&self, name: &str) -> bool {
        let accepted = |u: &Uses| {
            !self.timed
                || Shape::speaking()
                    .iter()
                    .any(|s| self.accept[s.index()] && u.shapes & (1 << s.index()) != 0)
        };
        self.tally.by_name.get(&name_key(name)).is_some_and(|u| u.count >= 2 && accepted(u))
    }

    /// Does label `l` (naming `name`) count? `inner`: the line is not the first of its
    /// paragraph.
    pub fn accepts(&self, l: &Label, name: &str, inner: bool) -> bool {
        let shape = self.accept[l.shape.index()];
        match l.shape {
            Shape::TimeOnly => shape,
            Shape::Bold | Shape::Pattern if !inner => true,
            // Inside a paragraph a bold label needs its name known from elsewhere, or a
            // document of one utterance per line.
            Shape::Bold | Shape::Pattern => self.line_mode || self.known(name),
            _ => shape || self.known(name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(s: &str, l: Option<Label>) -> Option<String> {
        l.map(|l| s[l.name].to_string())
    }

    #[test]
    fn bold_forms() {
        for s in [
            "**主持人Brad：** 你好",
            "**主持人Brad:** 你好",
            "**主持人Brad**：你好",
            "**主持人Brad**: 你好",
        ] {
            let l = bold_label(s).unwrap();
            assert_eq!(&s[l.name.clone()], "主持人Brad", "{s}");
            assert_eq!(&s[l.end..], "你好", "{s}");
        }
    }

    #[test]
    fn timestamps() {
        let s = "**Ada (00:12:34):** hi";
        let l = bold_label(s).unwrap();
        assert_eq!((&s[l.name.clone()], l.start_ms), ("Ada", Some(754_000)));
        let s = "[00:12:34] **Ada:** hi";
        assert_eq!(bold_label(s).unwrap().start_ms, Some(754_000));
        let s = "[01:02] Ada: hi";
        let l = plain_label(s).unwrap();
        assert_eq!((&s[l.name.clone()], l.start_ms), ("Ada", Some(62_000)));
    }

    #[test]
    fn headers_time_first() {
        for (s, who, ms) in [
            ("@12:05 - **Ann Lee**", "Ann Lee", 725_000),
            ("00:12:05 – Speaker 2", "Speaker 2", 725_000),
            ("[01:02:03] - Bo", "Bo", 3_723_000),
        ] {
            let l = scan(s, &[]).unwrap();
            assert_eq!((&s[l.name.clone()], l.start_ms, l.shape), (who, Some(ms), Shape::Header));
        }
        // A time then text is a time, not a header; a dash then a sentence is no name.
        assert_eq!(scan("[00:03:41] Okay", &[]).unwrap().shape, Shape::TimeOnly);
        assert_eq!(time_first_header("12:05 - we started again, slowly."), None);
    }

    #[test]
    fn label_then_quote() {
        let s = "**萨提亚·纳德拉：****我正在构建的**";
        let l = bold_label(s).unwrap();
        assert_eq!(&s[l.name.clone()], "萨提亚·纳德拉");
        assert_eq!(&s[l.end..], "**我正在构建的**");
    }

    #[test]
    fn not_labels() {
        assert_eq!(name("**我认为，这很好：**", bold_label("**我认为，这很好：**")), None);
        assert_eq!(name("**bold** text", bold_label("**bold** text")), None);
        assert_eq!(plain_label("see https://example.com"), None);
        assert_eq!(plain_label("https://example.com is down"), None);
        assert_eq!(plain_label("他说，是的：好"), None);
        assert_eq!(plain_label("2024: x"), None);
    }

    #[test]
    fn first_colon_finds_either_width() {
        assert_eq!(first_colon("问：好"), Some(3));
        assert_eq!(first_colon("Ada: 你：好"), Some(3));
        // Other U+FFxx characters share the 0xEF lead byte but are not colons.
        assert_eq!(first_colon("！？；x：y"), Some(10));
        assert_eq!(first_colon("无冒号，也无"), None);
        assert_eq!(first_colon("无冒号\n下一行：有"), None);
    }

    #[test]
    fn plain_forms() {
        let s = "问：你好吗？";
        assert_eq!(name(s, plain_label(s)).as_deref(), Some("问"));
        let s = "Dr. Wu: Thanks.";
        assert_eq!(name(s, plain_label(s)).as_deref(), Some("Dr. Wu"));
    }

    #[test]
    fn a_time_after_the_name_holds_a_colon_of_its_own() {
        for (s, ms) in [
            ("Ada (00:12:34): hi", 754_000),
            ("Ada (12:34): hi", 754_000),
            ("Ada [00:12:34]: hi", 754_000),
            ("Hon. Jane Doe (D-CA) (00:00:05): hi", 5_000),
        ] {
            let l = plain_label(s).unwrap();
            assert_eq!(l.start_ms, Some(ms), "{s}");
            assert_eq!(&s[l.end..], "hi", "{s}");
        }
        assert_eq!(plain_label("Ada (00:12:34) says hi"), None);
    }

    #[test]
    fn english_clauses_are_not_names() {
        for s in [
            "The short answer is",
            "There are three reasons for this",
            "We meet again at",
            "I think",
            "It’s simple",
            "What I mean",
            "Doors open at",
            "Mix the flour and",
        ] {
            assert!(!looks_like_name(s), "{s}");
        }
        for s in ["In short", "Last thing", "For the record", "首先", "第一", "第2点", "First"]
        {
            assert!(!looks_like_name(s), "{s}");
        }
        for s in [
            "Will Smith",
            "Elizabeth I",
            "You",
            "Me",
            "Audience Member",
            "Can Yücel",
            "First Officer",
            "第一夫人",
            "Speaker A",
            "Member of the Audience",
        ] {
            assert!(looks_like_name(s), "{s}");
        }
    }

    #[test]
    fn bold_names_may_hold_a_comma_before_a_credential() {
        for s in
            ["**Elena M. Ruiz, Ph.D:** hi", "**Smith, J.** [0:02] hi", "**Lee, MD** (00:06) hi"]
        {
            let l = bold_label(s).unwrap();
            assert_eq!(&s[l.end..], "hi", "{s}");
        }
        assert_eq!(bold_label("**Well, I think:** hi"), None);
    }
}
