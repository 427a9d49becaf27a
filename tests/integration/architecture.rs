//! The architecture as the compiler and the source hold it, not as prose: the core crate
//! depends on no terminal crate (`cargo tree`), and no two modules import each other (the
//! import graph of both crates, read from their source, has no circle).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Crates that draw, read keys, catch signals or find the user's folders: the edge's.
const EDGE_CRATES: &[&str] =
    &["ratatui", "crossterm", "termina", "signal-hook", "dirs", "nix", "filedescriptor"];

#[test]
fn the_core_crate_depends_on_no_terminal_crate() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let out = Command::new(cargo)
        .current_dir(ROOT)
        .args(["tree", "--locked", "-p", "fangtan-core", "-e", "normal,build"])
        .args(["--prefix", "none", "--format", "{p}"])
        .output()
        .expect("cargo tree runs");
    assert!(out.status.success(), "cargo tree: {}", String::from_utf8_lossy(&out.stderr));
    let tree = String::from_utf8_lossy(&out.stdout);
    let names: BTreeSet<&str> = tree.lines().filter_map(|l| l.split_whitespace().next()).collect();
    assert!(names.contains("fangtan-core") && names.contains("unicode-width"), "{tree}");
    let edge: Vec<&&str> = EDGE_CRATES.iter().filter(|c| names.contains(**c)).collect();
    assert!(edge.is_empty(), "fangtan-core depends on {edge:?}:\n{tree}");
}

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("source folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file belongs to: `src/app/update.rs` → `app`.
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    (!matches!(name, "lib" | "main")).then(|| name.to_owned())
}

/// `text` without its line comments (a doc link is not an import). Good enough for this
/// source: no string here holds `//` before a `crate::` path.
fn code_only(text: &str) -> String {
    text.lines().map(|l| l.split("//").next().unwrap_or("")).collect::<Vec<_>>().join("\n")
}

/// The first segment of each path in a `use` tree's braces: `{a, b::{c, d}, e}` → a, b, e.
fn brace_heads(inner: &str) -> Vec<String> {
    let (mut heads, mut depth, mut item) = (Vec::new(), 0usize, String::new());
    for c in inner.chars() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                heads.push(std::mem::take(&mut item));
                continue;
            }
            _ => {}
        }
        if depth == 0 || c == '{' {
            item.push(c);
        }
    }
    heads.push(item);
    heads
        .iter()
        .map(|i| i.trim().split("::").next().unwrap_or("").trim().to_owned())
        .filter(|h| !h.is_empty() && h != "self")
        .collect()
}

/// The modules named in `text` after `prefix` (`crate::`, `fangtan_core::`).
fn named_after(text: &str, prefix: &str) -> BTreeSet<String> {
    let code = code_only(text);
    let mut found = BTreeSet::new();
    let mut rest = code.as_str();
    while let Some(at) = rest.find(prefix) {
        let after = &rest[at + prefix.len()..];
        if let Some(inner) = after.strip_prefix('{') {
            found.extend(brace_heads(inner));
        } else {
            let name: String =
                after.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            if !name.is_empty() {
                found.insert(name);
            }
        }
        rest = after;
    }
    found
}

/// Nodes are `core::doc`, `bin::app`…; an edge is "imports".
fn import_graph() -> BTreeMap<String, BTreeSet<String>> {
    let core_modules: BTreeSet<String> = {
        let mut files = Vec::new();
        let src = Path::new(ROOT).join("fangtan-core/src");
        rust_files(&src, &mut files);
        files.iter().filter_map(|f| module_of(&src, f)).collect()
    };
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (krate, dir) in [("core", "fangtan-core/src"), ("bin", "src")] {
        let src = Path::new(ROOT).join(dir);
        let mut files = Vec::new();
        rust_files(&src, &mut files);
        for file in files {
            let Some(module) = module_of(&src, &file) else { continue };
            let text = std::fs::read_to_string(&file).expect("readable source");
            let from = format!("{krate}::{module}");
            let edges = graph.entry(from.clone()).or_default();
            let mut to = BTreeSet::new();
            for name in named_after(&text, "crate::") {
                // The binary crate's `crate::doc` is the core's, re-exported.
                let here_core = krate == "core" || core_modules.contains(&name);
                let is_bin_module = krate == "bin"
                    && Path::new(ROOT).join("src").join(format!("{name}.rs")).exists();
                let node = if here_core && !is_bin_module {
                    format!("core::{name}")
                } else {
                    format!("bin::{name}")
                };
                to.insert(node);
            }
            for name in named_after(&text, "fangtan_core::") {
                to.insert(format!("core::{name}"));
            }
            to.remove(&from);
            edges.extend(to);
        }
    }
    graph
}

/// A circle through `start`, if there is one.
fn circle_from(
    graph: &BTreeMap<String, BTreeSet<String>>,
    start: &str,
    at: &str,
    path: &mut Vec<String>,
    seen: &mut BTreeSet<String>,
) -> Option<Vec<String>> {
    for next in graph.get(at).into_iter().flatten() {
        if next == start {
            let mut circle = path.clone();
            circle.push(start.to_owned());
            return Some(circle);
        }
        if seen.insert(next.clone()) {
            path.push(next.clone());
            if let Some(c) = circle_from(graph, start, next, path, seen) {
                return Some(c);
            }
            path.pop();
        }
    }
    None
}

#[test]
fn no_two_modules_import_each_other() {
    let graph = import_graph();
    assert!(graph.contains_key("core::parse") && graph.contains_key("bin::app"), "{graph:?}");
    assert!(graph["core::layout"].contains("core::width"), "the scan sees imports");
    let mut circles = Vec::new();
    for start in graph.keys() {
        let mut path = vec![start.clone()];
        if let Some(c) = circle_from(&graph, start, start, &mut path, &mut BTreeSet::new()) {
            circles.push(c.join(" → "));
        }
    }
    assert!(circles.is_empty(), "import circles:\n{}", circles.join("\n"));
}

#[test]
fn the_core_names_nothing_of_the_binary_crate() {
    let graph = import_graph();
    let leaks: Vec<String> = graph
        .iter()
        .filter(|(from, _)| from.starts_with("core::"))
        .flat_map(|(from, to)| {
            to.iter().filter(|t| t.starts_with("bin::")).map(move |t| format!("{from} → {t}"))
        })
        .collect();
    assert!(leaks.is_empty(), "{leaks:?}");
}

#[test]
fn the_app_reads_no_clock_and_touches_no_file() {
    // `update` and what it calls: the app's modules and the core's bookmark operations.
    let mut files = vec![Path::new(ROOT).join("src/app.rs")];
    rust_files(&Path::new(ROOT).join("src/app"), &mut files);
    rust_files(&Path::new(ROOT).join("fangtan-core/src/store"), &mut files);
    let banned = ["SystemTime", "Instant::now", "std::fs", "File::", "thread::sleep"];
    let mut found = Vec::new();
    for f in &files {
        let code = code_only(&std::fs::read_to_string(f).expect("readable source"));
        for b in banned {
            if code.contains(b) {
                found.push(format!("{}: {b}", f.display()));
            }
        }
    }
    assert!(files.len() > 8, "{files:?}");
    assert!(found.is_empty(), "{found:?}");
}
