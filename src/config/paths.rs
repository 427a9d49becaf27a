//! Where the user's `config.toml` is.
//!
//! Config stage, the first step: find the file (reading and checking it are `validate`'s).
//! Only the environment and the file system's `is_file` are consulted.
//!
//! Invariant: without `--config`, at most one place is used, the first that exists.
//!
//! Public surface: [`SearchPath`], [`search_paths`], [`search_paths_in`], [`user_file`],
//! [`shown`].

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
