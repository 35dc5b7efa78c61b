//! Registration problems, found while the app is built and reported at
//! start-up, and the manifest the registrations describe.

use super::App;

/// Registration problems found while building an [`App`]: duplicate names,
/// invalid names, TypeScript collisions, schema name clashes.
#[derive(Debug, Clone)]
pub struct StartupError(pub Vec<String>);

impl std::fmt::Display for StartupError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the mizan app is misconfigured:")?;
        for e in &self.0 {
            write!(f, "\n  - {e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for StartupError {}

impl App {
    /// Problems found while registering, if any.
    pub fn check(&self) -> Result<(), StartupError> {
        self.manifest().map(drop)
    }

    /// The manifest (version 1), once every registration check passes;
    /// [`Manifest::to_json`](crate::Manifest::to_json) gives its JSON.
    /// Builds no services.
    pub fn manifest(&self) -> Result<crate::Manifest, StartupError> {
        let mut errors = self.errors.clone();
        errors.extend(crate::contexts::startup_errors(&self.functions));
        errors.extend(self.limits.problem());
        errors.extend(self.public_origin().err());
        errors.extend(self.proxies().err());
        let manifest = match crate::manifest::build(&self.functions, &self.channels, &self.forms, &self.pages)
        {
            Err(e) => {
                errors.extend(e.0);
                None
            }
            // Names the generated TypeScript could not hold (a type named like
            // a hook, two types colliding after case conversion) are refused
            // here, at start-up, not later at `generate`: the check codegen
            // runs too. Schemas codegen cannot map (an unbounded u64, say)
            // stay the generator's refusal, for backends that serve no
            // TypeScript.
            Ok(manifest) => {
                if let Err(e) = mizan_manifest::naming::check(&manifest) {
                    errors.push(e.0);
                }
                Some(manifest)
            }
        };
        match manifest {
            Some(m) if errors.is_empty() => Ok(m),
            _ => Err(StartupError(errors)),
        }
    }
}
