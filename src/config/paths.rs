//! Where the user's `config.toml` is.
//!
//! Config stage, the first step: find the file (reading and checking it are `validate`'s).
//! Only the environment and the file system's `is_file` are consulted.
//!
//! Invariant: without `--config`, at most one place is used, the first that exists.
//!
//! Public surface: [`SearchPath`], [`search_paths`], [`search_paths_in`], [`user_file`],
//! [`shown`], [`expand_home`], [`expand_home_in`].

use std::path::{Path, PathBuf};

/// One place fangtan looks for the user's file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchPath {
    pub path: PathBuf,
    pub exists: bool,
}

/// Where fangtan looks for the user's file without `--config` (for `fangtan config --path`):
/// `$XDG_CONFIG_HOME/fangtan/config.toml` if that variable is set, else
/// `~/.config/fangtan/config.toml`.
pub fn search_paths() -> Vec<SearchPath> {
    let xdg = std::env::var_os("XDG_CONFIG_HOME").map(PathBuf::from);
    search_paths_in(xdg.as_deref(), dirs::home_dir().as_deref())
}

/// The user's file fangtan would use without `--config`: the first existing
/// [`search_paths`] entry (for `fangtan config --check` without a path).
pub fn user_file() -> Option<PathBuf> {
    search_paths().into_iter().find(|s| s.exists).map(|s| s.path)
}

/// [`search_paths`] with the environment passed in. A relative `XDG_CONFIG_HOME` is
/// ignored, as the XDG spec asks.
pub fn search_paths_in(xdg_config_home: Option<&Path>, home: Option<&Path>) -> Vec<SearchPath> {
    let dir = match (xdg_config_home.filter(|p| p.is_absolute()), home) {
        (Some(x), _) => Some(x.to_path_buf()),
        (None, Some(h)) => Some(h.join(".config")),
        (None, None) => None,
    };
    dir.into_iter()
        .map(|d| {
            let path = d.join("fangtan").join("config.toml");
            SearchPath { exists: path.is_file(), path }
        })
        .collect()
}

/// A path as messages show it: home abbreviated to `~`.
pub fn shown(path: &Path) -> String {
    if let Some(home) = dirs::home_dir()
        && let Ok(rest) = path.strip_prefix(&home)
    {
        return format!("~/{}", rest.display());
    }
    path.display().to_string()
}

/// A path written in the configuration: a leading `~` (alone, or `~/…`) is the home
/// folder; anything else is taken as written.
pub fn expand_home(written: &str) -> PathBuf {
    expand_home_in(written, dirs::home_dir().as_deref())
}

/// [`expand_home`] with the home folder passed in (`None`: `~` stays as written).
pub fn expand_home_in(written: &str, home: Option<&Path>) -> PathBuf {
    let rest = match written.strip_prefix('~') {
        Some("") => Some(""),
        Some(r) => r.strip_prefix('/'),
        None => None,
    };
    match (rest, home) {
        (Some(""), Some(h)) => h.to_path_buf(),
        (Some(r), Some(h)) => h.join(r),
        _ => PathBuf::from(written),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_leading_tilde_is_the_home_folder() {
        let home = Some(Path::new("/home/u"));
        assert_eq!(expand_home_in("~", home), PathBuf::from("/home/u"));
        assert_eq!(expand_home_in("~/talks", home), PathBuf::from("/home/u/talks"));
        // `~user` and a tilde inside are names, as written.
        assert_eq!(expand_home_in("~bob/x", home), PathBuf::from("~bob/x"));
        assert_eq!(expand_home_in("/a/~/b", home), PathBuf::from("/a/~/b"));
        assert_eq!(expand_home_in("~/x", None), PathBuf::from("~/x"));
    }
}
