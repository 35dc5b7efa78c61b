//! The generated files, and writing or checking them on disk.

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::io;
use std::path::Path;

use crate::emit::HEADER;

/// Generated files: relative path (`/`-separated) → contents, ordered by
/// path.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GeneratedFiles {
    files: BTreeMap<String, String>,
}

impl GeneratedFiles {
    pub(crate) fn insert(&mut self, path: &str, contents: String) {
        self.files.insert(path.to_owned(), contents);
    }

    /// The contents of `path`, if it is generated.
    pub fn get(&self, path: &str) -> Option<&str> {
        self.files.get(path).map(String::as_str)
    }

    /// `(path, contents)` pairs in path order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.files.iter().map(|(p, c)| (p.as_str(), c.as_str()))
    }

    /// The number of files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether there are no files.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

impl IntoIterator for GeneratedFiles {
    type Item = (String, String);
    type IntoIter = std::collections::btree_map::IntoIter<String, String>;

    fn into_iter(self) -> Self::IntoIter {
        self.files.into_iter()
    }
}

/// Writes `files` under `dir` (created if missing). Files are rewritten only
/// when their contents differ. Files left over from an earlier generation
/// (they start with the generated header) are removed; other files are left
/// alone, and [`check`] reports them.
pub fn write(dir: &Path, files: &GeneratedFiles) -> io::Result<()> {
    fs::create_dir_all(dir)?;
    for (path, contents) in files.iter() {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)?;
        }
        if fs::read(&target).ok().as_deref() != Some(contents.as_bytes()) {
            fs::write(&target, contents)?;
        }
    }
    for stray in list_files(dir)? {
        if files.get(&stray).is_none() {
            let target = dir.join(&stray);
            let ours = fs::read_to_string(&target).is_ok_and(|text| text.starts_with(HEADER));
            if ours {
                fs::remove_file(target)?;
            }
        }
    }
    Ok(())
}

/// Compares `dir` with `files` without writing anything.
///
/// Every difference is reported: generated files missing from `dir`, files
/// in `dir` that are not generated (stray files, whatever they contain), and
/// files whose contents differ.
pub fn check(dir: &Path, files: &GeneratedFiles) -> Result<(), Drift> {
    let mut drift = Drift::default();
    let on_disk = match list_files(dir) {
        Ok(found) => found,
        Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
        Err(e) => {
            drift.changed.push(ChangedFile {
                path: ".".to_owned(),
                summary: format!("cannot read the directory: {e}"),
            });
            return Err(drift);
        }
    };
    for (path, expected) in files.iter() {
        if !on_disk.iter().any(|p| p == path) {
            drift.added.push(path.to_owned());
            continue;
        }
        match fs::read(dir.join(path)) {
            Ok(bytes) if bytes == expected.as_bytes() => {}
            Ok(bytes) => drift.changed.push(ChangedFile {
                path: path.to_owned(),
                summary: diff_summary(&String::from_utf8_lossy(&bytes), expected),
            }),
            Err(e) => drift
                .changed
                .push(ChangedFile { path: path.to_owned(), summary: format!("cannot read: {e}") }),
        }
    }
    drift.removed = on_disk.into_iter().filter(|p| files.get(p).is_none()).collect();
    if drift.is_empty() { Ok(()) } else { Err(drift) }
}

/// Relative paths of every file under `dir`, `/`-separated, sorted.
fn list_files(dir: &Path) -> io::Result<Vec<String>> {
    let mut out = Vec::new();
    let mut todo = vec![(dir.to_path_buf(), String::new())];
    while let Some((path, prefix)) = todo.pop() {
        for entry in fs::read_dir(&path)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let rel = if prefix.is_empty() { name } else { format!("{prefix}/{name}") };
            if entry.file_type()?.is_dir() {
                todo.push((entry.path(), rel));
            } else {
                out.push(rel);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// How a directory differs from what generation produces.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Drift {
    /// Generated files that are missing from the directory (generation
    /// would add them).
    pub added: Vec<String>,
    /// Files in the directory that generation does not produce (generation
    /// would remove them).
    pub removed: Vec<String>,
    /// Files whose contents differ.
    pub changed: Vec<ChangedFile>,
}

/// One file whose contents differ from the generated ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangedFile {
    /// Relative path.
    pub path: String,
    /// A short readable diff: the first differing lines, on disk (`-`)
    /// versus generated (`+`).
    pub summary: String,
}

impl Drift {
    /// Whether nothing differs.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

impl fmt::Display for Drift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.added.len() + self.removed.len() + self.changed.len();
        writeln!(
            f,
            "generated code is out of date ({count} file{} differ):",
            if count == 1 { "" } else { "s" }
        )?;
        for path in &self.added {
            writeln!(f, "  added:   {path} (missing on disk)")?;
        }
        for path in &self.removed {
            writeln!(f, "  removed: {path} (stray file, not generated)")?;
        }
        for change in &self.changed {
            writeln!(f, "  changed: {}", change.path)?;
            for line in change.summary.lines() {
                writeln!(f, "    {line}")?;
            }
        }
        write!(f, "regenerate with `generate` (without --check) to update")
    }
}

impl std::error::Error for Drift {}

/// The differing middle of two texts (common leading and trailing lines
/// trimmed), at most a few lines each side.
fn diff_summary(old: &str, new: &str) -> String {
    const MAX: usize = 6;
    let old: Vec<&str> = old.lines().collect();
    let new: Vec<&str> = new.lines().collect();
    let prefix = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let suffix =
        old[prefix..].iter().rev().zip(new[prefix..].iter().rev()).take_while(|(a, b)| a == b).count();
    let removed = &old[prefix..old.len() - suffix];
    let added = &new[prefix..new.len() - suffix];
    let mut out = format!(
        "@@ line {}: {} line{} on disk, {} generated @@\n",
        prefix + 1,
        removed.len(),
        if removed.len() == 1 { "" } else { "s" },
        added.len()
    );
    for (sign, lines) in [('-', removed), ('+', added)] {
        for line in lines.iter().take(MAX) {
            out.push_str(&format!("{sign} {line}\n"));
        }
        if lines.len() > MAX {
            out.push_str(&format!("{sign} … {} more\n", lines.len() - MAX));
        }
    }
    if removed.is_empty() && added.is_empty() {
        out.push_str("(line endings or a trailing newline differ)\n");
    }
    out
}
