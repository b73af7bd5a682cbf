//! Parsing of actor and lexicon TOML files, with errors that name the file and line.

use toml::Spanned;

use crate::Error;
use crate::model::{Stance, Weight};

mod builtin;
mod files;

#[cfg(test)]
use files::PlacesFile;
use files::{ActorEntry, ActorsFile, CueEntry, LexiconFile};

/// One actor: a code and the phrases that name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// Actor code (ISO 3166-1 alpha-3 for states; UNO, EU, NATO … for organisations).
    pub code: String,
    /// Display name.
    pub name: String,
    /// Alias phrases, in the order they were given (built-ins first, then user files).
    pub aliases: Vec<String>,
}

/// The actor gazetteer: actors, their aliases, and phrases that look like actors but are places.
#[derive(Debug, Clone, Default)]
pub struct Actors {
    pub(crate) actors: Vec<Actor>,
    pub(crate) places: Vec<String>,
}

const BUILTIN_ACTORS: &str = include_str!("../data/actors.toml");
#[cfg(test)]
const BUILTIN_PLACES: &str = include_str!("../data/places.toml");
const BUILTIN_LEXICON: &str = include_str!("../data/lexicon.toml");

/// The 1-based line of byte `offset` in `source`.
fn line_of(source: &str, offset: usize) -> usize {
    let offset = offset.min(source.len());
    source.as_bytes()[..offset]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

fn toml_error(file: &str, source: &str, error: &toml::de::Error) -> Error {
    let line = error.span().map_or(0, |span| line_of(source, span.start));
    Error {
        file: file.to_string(),
        line,
        message: error.message().trim().to_lowercase(),
    }
}

fn error_at(file: &str, source: &str, offset: usize, message: String) -> Error {
    Error {
        file: file.to_string(),
        line: line_of(source, offset),
        message,
    }
}

impl Actors {
    /// The built-in gazetteer: UN member states, observers, and major organisations.
    ///
    /// Its entries were parsed from `data/actors.toml` and `data/places.toml` at build time;
    /// they pass through the same checks and merge as a user file's.
    pub fn builtin() -> Actors {
        let mut actors = Actors::default();
        actors
            .merge_entries(
                builtin::actor_entries(),
                "builtin actors.toml",
                BUILTIN_ACTORS,
                false,
            )
            .expect("built-in actors load");
        actors.places = builtin::PLACES.iter().map(|p| p.to_string()).collect();
        actors
    }

    /// The built-in gazetteer parsed from its TOML at run time, as before the build script
    /// did it: what [`Actors::builtin`] must equal.
    #[cfg(test)]
    fn builtin_from_toml() -> Actors {
        let mut actors = Actors::default();
        actors
            .merge(BUILTIN_ACTORS, "builtin actors.toml", false)
            .expect("built-in actors parse");
        let places: PlacesFile = toml::from_str(BUILTIN_PLACES).expect("built-in places parse");
        actors.places = places.phrases;
        actors
    }

    /// An empty gazetteer (for `--no-default-actors`).
    pub fn empty() -> Actors {
        Actors::default()
    }

    /// Merges an actors file (`[[actor]]` with `code`, `name`, `aliases`) over this gazetteer.
    ///
    /// The same code extends that actor; an alias phrase given here takes precedence over the
    /// same phrase in the built-ins. `file` names the file in error messages.
    pub fn load_toml(&mut self, file: &str, source: &str) -> Result<(), Error> {
        self.merge(source, file, true)
    }

    fn merge(&mut self, source: &str, file: &str, user: bool) -> Result<(), Error> {
        let parsed: ActorsFile =
            toml::from_str(source).map_err(|e| toml_error(file, source, &e))?;
        self.merge_entries(parsed.actor, file, source, user)
    }

    /// Checks and merges parsed entries; spans are byte offsets into `source`.
    fn merge_entries(
        &mut self,
        entries: Vec<Spanned<ActorEntry>>,
        file: &str,
        source: &str,
        user: bool,
    ) -> Result<(), Error> {
        for entry in entries {
            let span = entry.span();
            let entry = entry.into_inner();
            let code_span = entry.code.span();
            let code = entry.code.into_inner();
            if code.is_empty()
                || code.len() > 8
                || !code
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
            {
                return Err(error_at(
                    file,
                    source,
                    code_span.start,
                    format!("actor code {code:?} must be 1 to 8 uppercase ASCII letters or digits"),
                ));
            }
            if let Some(kind) = &entry.kind
                && !matches!(kind.as_str(), "state" | "organisation" | "territory")
            {
                return Err(error_at(
                    file,
                    source,
                    span.start,
                    format!("actor kind {kind:?} must be state, organisation or territory"),
                ));
            }
            let index = match self.actors.iter().position(|a| a.code == code) {
                Some(index) => index,
                None => {
                    let Some(name) = entry.name.clone() else {
                        return Err(error_at(
                            file,
                            source,
                            span.start,
                            format!("actor {code} needs a name"),
                        ));
                    };
                    self.actors.push(Actor {
                        code: code.clone(),
                        name,
                        aliases: Vec::new(),
                    });
                    self.actors.len() - 1
                }
            };
            if let Some(name) = entry.name {
                self.actors[index].name = name;
            }
            for alias in entry.aliases {
                let alias_span = alias.span();
                let alias = alias.into_inner();
                let trimmed = alias.trim();
                if trimmed.is_empty() || !trimmed.chars().any(char::is_alphanumeric) {
                    return Err(error_at(
                        file,
                        source,
                        alias_span.start,
                        format!("alias {alias:?} of {code} has no letters"),
                    ));
                }
                if user {
                    // A phrase given in a user file belongs to this actor alone.
                    for (other, actor) in self.actors.iter_mut().enumerate() {
                        if other != index {
                            actor.aliases.retain(|a| a != trimmed);
                        }
                    }
                }
                if !self.actors[index].aliases.iter().any(|a| a == trimmed) {
                    self.actors[index].aliases.push(trimmed.to_string());
                }
            }
        }
        self.actors.sort_by(|a, b| a.code.cmp(&b.code));
        Ok(())
    }

    /// All actors, sorted by code.
    pub fn list(&self) -> &[Actor] {
        &self.actors
    }

    /// Phrases that contain an actor's alias but name a place ("South China Sea").
    pub fn places(&self) -> &[String] {
        &self.places
    }
}

/// One lexicon entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Cue {
    /// The pattern: lowercase words, a trailing `*` on a word for any suffix.
    pub pattern: String,
    /// Which way it pulls.
    pub stance: Stance,
    /// Its weight in (0, 1].
    pub weight: Weight,
    /// The closest CAMEO category, if the lexicon names one.
    pub category: Option<String>,
    /// True for mutual acts reported of a pair ("talks", "joint drills"): both directions count.
    pub symmetric: bool,
}

/// The stance lexicon: hawkish and conciliatory cues with weights.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    pub(crate) cues: Vec<Cue>,
}

impl Lexicon {
    /// The built-in lexicon, calibrated against the Goldstein scale.
    ///
    /// Its entries were parsed from `data/lexicon.toml` at build time; they pass through the
    /// same checks and merge as a user file's.
    pub fn builtin() -> Lexicon {
        let mut lexicon = Lexicon::default();
        lexicon
            .merge_entries(
                builtin::cue_entries(),
                "builtin lexicon.toml",
                BUILTIN_LEXICON,
            )
            .expect("built-in lexicon loads");
        lexicon
    }

    /// An empty lexicon.
    pub fn empty() -> Lexicon {
        Lexicon::default()
    }

    /// Merges a lexicon file (`[[cue]]` with `pattern`, `stance`, `weight`).
    ///
    /// A pattern already present is replaced, so a user file can re-weight or flip a built-in cue.
    pub fn load_toml(&mut self, file: &str, source: &str) -> Result<(), Error> {
        let parsed: LexiconFile =
            toml::from_str(source).map_err(|e| toml_error(file, source, &e))?;
        self.merge_entries(parsed.cue, file, source)
    }

    /// Checks and merges parsed entries; spans are byte offsets into `source`.
    fn merge_entries(
        &mut self,
        entries: Vec<Spanned<CueEntry>>,
        file: &str,
        source: &str,
    ) -> Result<(), Error> {
        // Where each pattern already is: an entry replaces the cue with its pattern. Searching
        // the list for every entry was quadratic, a third of loading the built-in lexicon.
        let mut positions: std::collections::HashMap<String, usize> =
            std::collections::HashMap::with_capacity(self.cues.len() + entries.len());
        positions.extend(
            self.cues
                .iter()
                .enumerate()
                .map(|(at, cue)| (cue.pattern.clone(), at)),
        );
        for entry in entries {
            let entry = entry.into_inner();
            let pattern_span = entry.pattern.span();
            let pattern = normalise_pattern(entry.pattern.into_inner());
            if pattern.is_empty() || !pattern.chars().any(char::is_alphanumeric) {
                return Err(error_at(
                    file,
                    source,
                    pattern_span.start,
                    "empty cue pattern".into(),
                ));
            }
            if pattern
                .split(' ')
                .any(|w| w.strip_suffix('*').unwrap_or(w).contains('*'))
            {
                return Err(error_at(
                    file,
                    source,
                    pattern_span.start,
                    format!("pattern {pattern:?}: `*` may only end a word"),
                ));
            }
            if pattern.split(' ').any(|w| w == "*") {
                return Err(error_at(
                    file,
                    source,
                    pattern_span.start,
                    format!("pattern {pattern:?}: `*` needs a stem before it"),
                ));
            }
            let stance = match entry.stance.get_ref().as_str() {
                "hawkish" => Stance::Hawkish,
                "conciliatory" => Stance::Conciliatory,
                other => {
                    return Err(error_at(
                        file,
                        source,
                        entry.stance.span().start,
                        format!("stance {other:?} must be \"hawkish\" or \"conciliatory\""),
                    ));
                }
            };
            let weight = *entry.weight.get_ref();
            if !(weight > 0.0 && weight <= 1.0) {
                return Err(error_at(
                    file,
                    source,
                    entry.weight.span().start,
                    format!("weight {weight} must be in (0, 1]"),
                ));
            }
            let cue = Cue {
                pattern,
                stance,
                weight: Weight::from_f64(weight),
                category: entry.category,
                symmetric: entry.symmetric,
            };
            match positions.get(&cue.pattern) {
                Some(&at) => self.cues[at] = cue,
                None => {
                    positions.insert(cue.pattern.clone(), self.cues.len());
                    self.cues.push(cue);
                }
            }
        }
        // Patterns are unique here, so an unstable sort gives the same order.
        self.cues.sort_unstable_by(|a, b| a.pattern.cmp(&b.pattern));
        Ok(())
    }

    /// All cues, sorted by pattern.
    pub fn cues(&self) -> &[Cue] {
        &self.cues
    }
}

/// Lowercases a pattern and folds runs of whitespace and hyphens to one space.
fn normalise_pattern(pattern: String) -> String {
    // Most patterns (all the built-in ones) are already lowercase ASCII words joined by single
    // spaces: kept as they are, without the three copies below.
    let bytes = pattern.as_bytes();
    let normal = bytes.first() != Some(&b' ')
        && bytes.last() != Some(&b' ')
        && !pattern.contains("  ")
        && bytes
            .iter()
            .all(|&b| b == b' ' || (b.is_ascii_graphic() && !b.is_ascii_uppercase() && b != b'-'));
    if normal {
        return pattern;
    }
    normalise_words(&pattern)
}

/// Lowercase words, split at whitespace and dashes, joined by single spaces.
fn normalise_words(pattern: &str) -> String {
    let lower = pattern.to_lowercase().replace('’', "'");
    let mut out = String::with_capacity(lower.len());
    for word in lower.split(|c: char| c.is_whitespace() || c == '-' || c == '–') {
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests;
