//! Command-line options as Kafka's tools parse them (jopt-simple): `--name value`,
//! `--name=value`, unique abbreviations, repeatable options, and the usage errors Kafka's
//! `CommandLineUtils` prints.
//!
//! Owns option syntax and the generic checks (required, can't-be-used-with). Must not know
//! what any option means: each tool declares its options and interprets the values.

use std::fmt::Write as _;

/// A command line the options do not allow. Texts are jopt-simple's and `CommandLineUtils`'.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OptionError {
    /// An option no spec matches (or an ambiguous abbreviation).
    #[error("{0} is not a recognized option")]
    Unrecognized(String),
    /// An option that needs a value was given none.
    #[error("Option {0} requires an argument")]
    MissingValue(&'static str),
    /// A flag was given `--flag=value`.
    #[error("Option {0} does not take an argument")]
    UnexpectedValue(&'static str),
    /// A value that is not a number where one is needed.
    #[error("Cannot parse argument '{value}' of option {option}")]
    NotANumber {
        /// The option.
        option: String,
        /// The value given.
        value: String,
    },
    /// A required option is absent (`checkRequiredArgs`).
    #[error("Missing required argument \"[{0}]\"")]
    MissingRequired(String),
    /// Two options that exclude each other (`checkInvalidArgs`).
    #[error("Option \"[{used}]\" can't be used with option \"[{other}]\"")]
    CannotCombine {
        /// The option that was used.
        used: String,
        /// The option it excludes.
        other: String,
    },
}

impl OptionError {
    /// The jopt-simple exception class Kafka's tools would print for this error.
    pub fn java_class(&self) -> &'static str {
        match self {
            Self::Unrecognized(_) => "joptsimple.UnrecognizedOptionException",
            Self::MissingValue(_) => "joptsimple.OptionMissingRequiredArgumentException",
            Self::UnexpectedValue(_) => "joptsimple.UnexpectedArgumentException",
            Self::NotANumber { .. } => "joptsimple.OptionArgumentConversionException",
            Self::MissingRequired(_) | Self::CannotCombine { .. } => {
                "java.lang.IllegalArgumentException"
            }
        }
    }
}

/// Whether an option takes a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arity {
    /// A flag: `--list`.
    Flag,
    /// Needs a value: `--topic t`.
    Required,
    /// May take a value: `--compression-codec [gzip]`.
    Optional,
}

/// One option a tool accepts.
#[derive(Debug, Clone, Copy)]
pub struct OptSpec {
    /// The name without dashes.
    pub name: &'static str,
    /// Whether it takes a value.
    pub arity: Arity,
    /// What the value is, for help (`topic`, `Integer: # of partitions`).
    pub value: &'static str,
    /// One line of help.
    pub help: &'static str,
}

impl OptSpec {
    /// A flag.
    pub const fn flag(name: &'static str, help: &'static str) -> Self {
        Self {
            name,
            arity: Arity::Flag,
            value: "",
            help,
        }
    }

    /// An option with a required value.
    pub const fn value(name: &'static str, value: &'static str, help: &'static str) -> Self {
        Self {
            name,
            arity: Arity::Required,
            value,
            help,
        }
    }

    /// An option whose value may be left out.
    pub const fn optional(name: &'static str, value: &'static str, help: &'static str) -> Self {
        Self {
            name,
            arity: Arity::Optional,
            value,
            help,
        }
    }
}

/// The options given on a command line, in order.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    given: Vec<(&'static str, Option<String>)>,
    /// Words that are not options (Kafka's tools ignore them).
    pub rest: Vec<String>,
}

impl Parsed {
    /// Whether `name` was given.
    pub fn has(&self, name: &str) -> bool {
        self.given.iter().any(|(n, _)| *n == name)
    }

    /// The first value given for `name` (jopt-simple's `valueOf`).
    pub fn value(&self, name: &str) -> Option<&str> {
        self.given
            .iter()
            .find(|(n, _)| *n == name)
            .and_then(|(_, v)| v.as_deref())
    }

    /// Every value given for `name`, in order (`valuesOf`).
    pub fn values(&self, name: &str) -> Vec<&str> {
        self.given
            .iter()
            .filter(|(n, _)| *n == name)
            .filter_map(|(_, v)| v.as_deref())
            .collect()
    }

    /// Parses the value of `name` as a Java `int`/`long`, with jopt-simple's conversion error.
    pub fn number<T: std::str::FromStr>(&self, name: &str) -> Result<Option<T>, OptionError> {
        match self.value(name) {
            None => Ok(None),
            Some(raw) => raw
                .trim()
                .parse::<T>()
                .map(Some)
                .map_err(|_| OptionError::NotANumber {
                    option: name.to_owned(),
                    value: raw.to_owned(),
                }),
        }
    }
}

/// Parses `args` against `specs`, jopt-simple style. Errors are jopt-simple's messages.
pub fn parse(specs: &[OptSpec], args: &[String]) -> Result<Parsed, OptionError> {
    let mut parsed = Parsed::default();
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        i += 1;
        let Some(body) = arg.strip_prefix("--").or_else(|| {
            arg.strip_prefix('-')
                .filter(|b| !b.is_empty() && !b.starts_with(|c: char| c.is_ascii_digit()))
        }) else {
            parsed.rest.push(arg.clone());
            continue;
        };
        if body.is_empty() {
            // `--` ends the options, as in jopt-simple.
            parsed.rest.extend(args.iter().skip(i).cloned());
            break;
        }
        let (name, inline) = match body.split_once('=') {
            Some((n, v)) => (n, Some(v.to_owned())),
            None => (body, None),
        };
        let spec = find(specs, name).ok_or_else(|| OptionError::Unrecognized(name.to_owned()))?;
        let value = match spec.arity {
            Arity::Flag => {
                if inline.is_some() {
                    return Err(OptionError::UnexpectedValue(spec.name));
                }
                None
            }
            Arity::Required => match inline {
                Some(v) => Some(v),
                None => match args.get(i) {
                    Some(next) if !looks_like_option(next, specs) => {
                        i += 1;
                        Some(next.clone())
                    }
                    _ => return Err(OptionError::MissingValue(spec.name)),
                },
            },
            Arity::Optional => match inline {
                Some(v) => Some(v),
                None => match args.get(i) {
                    Some(next) if !looks_like_option(next, specs) => {
                        i += 1;
                        Some(next.clone())
                    }
                    _ => None,
                },
            },
        };
        parsed.given.push((spec.name, value));
    }
    Ok(parsed)
}

/// jopt-simple treats a following word as the next option when it starts with `-` and is
/// not a negative number.
fn looks_like_option(word: &str, _specs: &[OptSpec]) -> bool {
    word.starts_with('-') && word.len() > 1 && word.parse::<f64>().is_err()
}

/// Exact name, else the only option starting with `name` (jopt-simple accepts abbreviations).
fn find<'a>(specs: &'a [OptSpec], name: &str) -> Option<&'a OptSpec> {
    if let Some(exact) = specs.iter().find(|s| s.name == name) {
        return Some(exact);
    }
    if name.is_empty() {
        return None;
    }
    let mut matches = specs.iter().filter(|s| s.name.starts_with(name));
    match (matches.next(), matches.next()) {
        (Some(only), None) => Some(only),
        _ => None,
    }
}

/// `Missing required argument "[name]"` if `name` is absent (`CommandLineUtils.checkRequiredArgs`).
pub fn require(parsed: &Parsed, names: &[&str]) -> Result<(), OptionError> {
    match names.iter().find(|n| !parsed.has(n)) {
        Some(missing) => Err(OptionError::MissingRequired((*missing).to_owned())),
        None => Ok(()),
    }
}

/// `Option "[used]" can't be used with option "[other]"` for the first `other` given
/// alongside `used` (`CommandLineUtils.checkInvalidArgs`).
pub fn check_invalid(parsed: &Parsed, used: &str, invalid: &[&str]) -> Result<(), OptionError> {
    if !parsed.has(used) {
        return Ok(());
    }
    match invalid.iter().find(|n| parsed.has(n)) {
        Some(other) => Err(OptionError::CannotCombine {
            used: used.to_owned(),
            other: (*other).to_owned(),
        }),
        None => Ok(()),
    }
}

/// jopt-simple's help table (`BuiltinHelpFormatter`, 80 columns): `Option` and `Description`
/// columns, each wrapped at word boundaries, continuation lines indented by two spaces.
pub fn help_table(specs: &[OptSpec]) -> String {
    const LEFT: usize = 39;
    const RIGHT: usize = 37;
    let mut out = String::new();
    let _ = writeln!(out, "{:<41}Description", "Option");
    let _ = writeln!(out, "{:<41}-----------", "------");
    for s in specs {
        let left = match s.arity {
            Arity::Flag => format!("--{}", s.name),
            Arity::Required => format!("--{} <{}>", s.name, s.value),
            Arity::Optional => format!("--{} [{}]", s.name, s.value),
        };
        let left = wrap(&left, LEFT);
        let right = wrap(s.help, RIGHT);
        for i in 0..left.len().max(right.len()) {
            let l = left.get(i).map_or("", String::as_str);
            let r = right.get(i).map_or("", String::as_str);
            let l = if i > 0 && !l.is_empty() {
                format!("  {l}")
            } else {
                l.to_owned()
            };
            let r = if i > 0 && !r.is_empty() {
                format!("  {r}")
            } else {
                r.to_owned()
            };
            let line = format!("{l:<41}{r}");
            let _ = writeln!(out, "{}", line.trim_end());
        }
    }
    out
}

/// Splits `text` into lines of at most `width` characters at spaces (a longer word is cut).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let mut word = word.to_owned();
        loop {
            let needed = if line.is_empty() {
                word.chars().count()
            } else {
                line.chars().count() + 1 + word.chars().count()
            };
            if needed <= width {
                if !line.is_empty() {
                    line.push(' ');
                }
                line.push_str(&word);
                break;
            }
            if line.is_empty() {
                let cut: String = word.chars().take(width).collect();
                word = word.chars().skip(width).collect();
                lines.push(cut);
                if word.is_empty() {
                    break;
                }
            } else {
                lines.push(std::mem::take(&mut line));
            }
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPECS: &[OptSpec] = &[
        OptSpec::value("topic", "topic", ""),
        OptSpec::value("partitions", "n", ""),
        OptSpec::flag("create", ""),
        OptSpec::flag("config-file", ""),
        OptSpec::value("config", "k=v", ""),
    ];

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn values_flags_abbreviations_and_equals_forms_parse() {
        let p = parse(
            SPECS,
            &args("--create --top=a --partitions 3 --config x=1 --config y=2"),
        )
        .unwrap_or_default();
        assert!(p.has("create"));
        assert_eq!(p.value("topic"), Some("a"));
        assert_eq!(p.number::<i32>("partitions"), Ok(Some(3)));
        assert_eq!(
            require(&p, &["topic", "list"]).map_err(|e| e.to_string()),
            Err("Missing required argument \"[list]\"".to_owned())
        );
        assert_eq!(
            check_invalid(&p, "config", &["list", "create"]).map_err(|e| e.to_string()),
            Err("Option \"[config]\" can't be used with option \"[create]\"".to_owned())
        );
        assert_eq!(p.values("config"), vec!["x=1", "y=2"]);
    }

    #[test]
    fn help_wraps_both_columns_at_eighty() {
        let specs = [OptSpec::value(
            "bootstrap-server",
            "String: server to connect to",
            "REQUIRED: The Kafka server to connect to.",
        )];
        let help = help_table(&specs);
        let lines: Vec<&str> = help.lines().collect();
        assert_eq!(
            lines[2],
            "--bootstrap-server <String: server to    REQUIRED: The Kafka server to connect"
        );
        assert_eq!(lines[3], "  connect to>                              to.");
        assert!(help.lines().all(|l| l.chars().count() <= 80));
    }

    #[test]
    fn errors_use_jopt_simple_texts() {
        assert_eq!(
            parse(SPECS, &args("--zookeeper x"))
                .err()
                .map(|e| e.to_string()),
            Some("zookeeper is not a recognized option".into())
        );
        assert_eq!(
            parse(SPECS, &args("--topic")).err().map(|e| e.to_string()),
            Some("Option topic requires an argument".into())
        );
        assert_eq!(
            parse(SPECS, &args("--topic --create"))
                .err()
                .map(|e| e.to_string()),
            Some("Option topic requires an argument".into())
        );
    }
}
