//! `stance compare`: score documents and compare them across the corpus.

use anyhow::{Result, bail};
use clap::Args;

use crate::Outcome;
use crate::options::{InputArgs, ModelArgs, OutputArgs, ThreadArgs};

/// Arguments of `stance compare`.
#[derive(Debug, Args)]
pub(crate) struct CompareArgs {
    #[command(flatten)]
    pub(crate) input: InputArgs,
    #[command(flatten)]
    pub(crate) model: ModelArgs,
    #[command(flatten)]
    pub(crate) output: OutputArgs,
    #[command(flatten)]
    pub(crate) threads: ThreadArgs,
    /// Group documents by this field (date month, outlet, or a metadata field) for profiles.
    #[arg(long, value_name = "FIELD")]
    pub(crate) group_by: Option<String>,
    /// Keep only the K nearest neighbours per document in the similarity section.
    #[arg(long, value_name = "N")]
    pub(crate) top_k: Option<usize>,
}

/// Runs `stance compare`.
pub(crate) fn run(args: &CompareArgs) -> Result<Outcome> {
    let _ = args;
    bail!("compare is not available yet")
}
