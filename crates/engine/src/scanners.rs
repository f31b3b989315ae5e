//! The scanners the engine can run, behind one small trait.

use std::collections::HashMap;

use palisade_core::{Finding, RuleMeta, ScanError, ScanKind};

use crate::EngineError;

/// A scanner that looks at one file at a time. Implementations must be cheap to call from many
/// threads at once and must never panic on any input.
pub trait FileScanner: Send + Sync {
    fn kind(&self) -> ScanKind;
    /// Metadata of every rule the scanner may report, so reports can describe each finding's rule.
    fn rules(&self) -> Vec<RuleMeta>;
    /// Whether the scanner wants to see this file at all (e.g. SAST only reads source files).
    fn accepts(&self, _path: &str) -> bool {
        true
    }
    fn scan_file(&self, path: &str, content: &[u8]) -> FileOutcome;
}

/// What scanning one file produced.
#[derive(Debug, Default)]
pub struct FileOutcome {
    pub findings: Vec<Finding>,
    pub errors: Vec<ScanError>,
}

impl From<Vec<Finding>> for FileOutcome {
    fn from(findings: Vec<Finding>) -> Self {
        FileOutcome {
            findings,
            errors: Vec::new(),
        }
    }
}

/// Scan kinds implemented in this build, in the order `--kinds` lists them.
pub(crate) const AVAILABLE: &[ScanKind] = &[];

/// The built-in scanners for a set of kinds.
pub(crate) struct ScannerSet {
    file: Vec<Box<dyn FileScanner>>,
}

impl ScannerSet {
    pub(crate) fn for_kinds(kinds: &[ScanKind]) -> Result<ScannerSet, EngineError> {
        let file: Vec<Box<dyn FileScanner>> = Vec::new();
        if let Some(&kind) = kinds.iter().find(|k| !AVAILABLE.contains(k)) {
            return Err(EngineError::KindUnavailable(kind));
        }
        Ok(ScannerSet { file })
    }

    pub(crate) fn file_scanners(&self) -> Vec<&dyn FileScanner> {
        self.file.iter().map(|s| s.as_ref()).collect()
    }
}

/// Rule metadata by id, over all scanners.
pub(crate) fn rule_index(scanners: &[&dyn FileScanner]) -> HashMap<String, RuleMeta> {
    scanners
        .iter()
        .flat_map(|s| s.rules())
        .map(|r| (r.id.clone(), r))
        .collect()
}
