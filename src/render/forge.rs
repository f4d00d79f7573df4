//! Links from an incident page to its source file and history in the forge
//! (GitHub or GitLab), for reviewers. Part of the render stage; pure.
//!
//! Input: `repo_url` and `repo_branch` from the configuration and the file's
//! path relative to the archive root. GitLab puts `/-/` before `blob` and
//! `commits`; every other host gets GitHub's shape, which Gitea and
//! Forgejo share.

use percent_encoding::utf8_percent_encode;
use serde::Serialize;

use crate::model::URL_PATH;

/// The two links shown on an incident page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct ForgeLinks {
    /// The file as it is on the branch.
    pub(crate) source: String,
    /// The commits that touched the file.
    pub(crate) history: String,
}

/// The links for `path` (relative to the repository root, `/`-separated).
pub(crate) fn forge_links(repo_url: &str, branch: &str, path: &str) -> ForgeLinks {
    let base = repo_url.trim_end_matches('/').trim_end_matches(".git");
    let is_gitlab = base
        .split("://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .is_some_and(|host| host.to_ascii_lowercase().contains("gitlab"));
    let sep = if is_gitlab { "/-" } else { "" };
    let encode = |s: &str| {
        s.split('/')
            .map(|seg| utf8_percent_encode(seg, URL_PATH).to_string())
            .collect::<Vec<_>>()
            .join("/")
    };
    let (branch, path) = (encode(branch), encode(path));
    ForgeLinks {
        source: format!("{base}{sep}/blob/{branch}/{path}"),
        history: format!("{base}{sep}/commits/{branch}/{path}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_and_gitlab_shapes() {
        let gh = forge_links("https://github.com/acme/rcas/", "main", "content/a b.md");
        assert_eq!(gh.source, "https://github.com/acme/rcas/blob/main/content/a%20b.md");
        assert_eq!(gh.history, "https://github.com/acme/rcas/commits/main/content/a%20b.md");
        let gl = forge_links(
            "https://gitlab.example.com/sre/rcas.git",
            "release/2024",
            "content/x#1.md",
        );
        assert_eq!(
            gl.source,
            "https://gitlab.example.com/sre/rcas/-/blob/release/2024/content/x%231.md"
        );
        assert_eq!(
            gl.history,
            "https://gitlab.example.com/sre/rcas/-/commits/release/2024/content/x%231.md"
        );
    }
}
