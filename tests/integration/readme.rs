#![allow(clippy::unwrap_used)]
//! The README's configuration section is generated from the shipped `config.toml`, so the
//! documentation can never drift from the defaults. `FANGTAN_BLESS=1 cargo test --test
//! integration readme` rewrites it.

#[test]
fn readme_configuration_section_matches_the_shipped_file() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
    let readme = std::fs::read_to_string(path).unwrap();
    let want = fangtan::config::readme_section();
    let start = readme.find("## Configuration\n").unwrap_or(readme.len());
    let end = readme[start..].find("\n## License").map_or(readme.len(), |i| start + i + 1);
    if std::env::var_os("FANGTAN_BLESS").is_some() {
        let mut out = readme[..start].to_string();
        out.push_str(&want);
        out.push('\n');
        out.push_str(&readme[end..]);
        std::fs::write(path, out).unwrap();
        return;
    }
    assert_eq!(
        &readme[start..end],
        format!("{want}\n"),
        "run FANGTAN_BLESS=1 cargo test --test integration readme"
    );
}
