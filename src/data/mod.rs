//! The threshold database, part of the model stage: `data/*.yaml` parsed, typed and validated into
//! one immutable [`Database`]. Ids are resolved to indexes here, once, so nothing downstream holds
//! a contaminant or a land use as a string that might not exist.
//!
//! A record is contaminant × country × instrument × land use × value type → value, with the
//! conditions under which it applies and the source it was read in. Every problem is a diagnostic
//! located in the data file; the database keeps every record that could be read.

mod band;
mod parse;
mod types;
mod units;

pub use band::{Band, Bound, Property};
pub use types::*;
pub use units::{Quantity, Unit, format_number};

use crate::config::Config;
use crate::diagnostics::{Diagnostics, SourceMap};
use crate::load::DataFile;

/// Parses and validates the data files into a database. The site's languages are `config`'s,
/// default first: `contaminants.fr.yaml` holds French names.
pub fn build(files: &[DataFile], sources: &SourceMap, config: &Config) -> (Database, Diagnostics) {
    let (mut database, diagnostics) = parse::database(files, sources, config);
    let mut hasher = std::hash::DefaultHasher::new();
    for file in files {
        std::hash::Hash::hash(&sources.get(file.file).digest, &mut hasher);
    }
    database.digest = std::hash::Hasher::finish(&hasher);
    (database, diagnostics)
}
