//! The repository cites only itself: no tracked file outside `.ci/` points
//! at the design notes kept beside the repository (by their directory or
//! their file name). README, ARCHITECTURE and code comments cite `docs/`.

use std::process::Command;

#[test]
fn no_tracked_file_points_outside_the_repository() {
    let root = crate::support::repo_root();
    let listed = Command::new("git")
        .arg("-C")
        .arg(&root)
        .args(["ls-files", "-z"])
        .output()
        .expect("git runs: this check lists the tracked files with `git ls-files`");
    assert!(listed.status.success(), "git ls-files failed: {}", String::from_utf8_lossy(&listed.stderr));
    // Spelled in pieces, so that this file does not contain them.
    let needles = [format!("..{}shared", '/'), format!("DESIGN{}md", '.')];
    let mut found = Vec::new();
    let mut read = 0;
    for name in listed.stdout.split(|b| *b == 0).filter(|n| !n.is_empty()) {
        let name = String::from_utf8_lossy(name);
        if name.starts_with(".ci/") {
            continue;
        }
        // A tracked file deleted in the work tree has nothing to check.
        let Ok(bytes) = std::fs::read(root.join(name.as_ref())) else { continue };
        read += 1;
        for needle in &needles {
            let needle = needle.as_bytes();
            if name.as_bytes().windows(needle.len()).any(|w| w == needle)
                || bytes.windows(needle.len()).any(|w| w == needle)
            {
                found.push(format!("{name}: {}", String::from_utf8_lossy(needle)));
            }
        }
    }
    assert!(read > 100, "only {read} tracked files were read: is this the repository?");
    assert!(found.is_empty(), "cite docs/protocol.md or docs/manifest.md instead:\n{}", found.join("\n"));
}
