//! `kafka-configs.sh` for topics: describe and alter (`--add-config`, `--delete-config`).
//!
//! Owns ConfigCommand's option checks, `--add-config` splitting (`k=v,k2=[a,b]`), and its
//! output (`Dynamic configs for topic t are:`, `Completed updating config for topic t.`,
//! errors). Must not validate config names or values: the broker's topic configs do.

use super::args::{self, OptSpec, Parsed};
use super::kafka_topics::exception_class;
use super::output::{usage_error, Output};
use super::Ctx;
use crate::broker::Broker;
use crate::group::java_hash_order::hash_map_order;

/// The options, in the order Kafka's help lists them.
pub const OPTIONS: &[OptSpec] = &[
    OptSpec::value("add-config", "String", "Key Value pairs of configs to add. Square brackets can be used to group values which contain commas: 'k1=v1,k2=[v1,v2,v2],k3=v3'."),
    OptSpec::value("add-config-file", "String", "Path to a properties file with configs to add."),
    OptSpec::flag("all", "List all configs for the given topic, including defaults."),
    OptSpec::flag("alter", "Alter the configuration for the entity."),
    OptSpec::value("bootstrap-controller", "String: controller to connect to", "The Kafka controllers to connect to (any address reaches this tab's cluster)."),
    OptSpec::value("bootstrap-server", "String: server to connect to", "The Kafka servers to connect to. Brooklet's broker listens on localhost:9092."),
    OptSpec::value("command-config", "String: command config property file", "Property file for the Admin Client (accepted, not needed here)."),
    OptSpec::value("delete-config", "String", "config keys to remove 'k1,k2'"),
    OptSpec::flag("describe", "List configs for the given entity."),
    OptSpec::value("entity-name", "String", "Name of entity (topic name)."),
    OptSpec::value("entity-type", "String", "Type of entity (topics; Brooklet's console handles topics only)."),
    OptSpec::flag("help", "Print usage information."),
    OptSpec::value("topic", "String", "The topic's name (same as --entity-type topics --entity-name <topic>)."),
    OptSpec::flag("version", "Display Kafka version."),
];

/// Help text for `kafka-configs.sh --help`.
pub fn help() -> String {
    format!(
        "This tool helps to manipulate and describe entity config for a topic, client, user, broker, ip, client-metrics or group.\nBrooklet handles topics.\n{}",
        args::help_table(OPTIONS)
    )
}

/// Runs `kafka-configs.sh`.
pub fn run(ctx: &mut Ctx<'_>, argv: &[String]) -> Output {
    let usage = |m: &str| usage_error(m, &args::help_table(OPTIONS));
    if argv.is_empty() {
        return usage("This tool helps to manipulate and describe entity config for a topic, client, user, broker, ip, client-metrics or group");
    }
    let opts = match args::parse(OPTIONS, argv) {
        Ok(o) => o,
        Err(m) => return Output::failure(format!("{m}\n")),
    };
    if opts.has("help") {
        return Output::stdout(help());
    }
    if opts.has("version") {
        return Output::stdout(format!("{}\n", super::KAFKA_VERSION));
    }
    if usize::from(opts.has("alter")) + usize::from(opts.has("describe")) != 1 {
        return usage("Command must include exactly one action: --describe, --alter");
    }
    // IllegalArgumentExceptions: the message alone on stderr.
    let arg_error = |m: &str| Output::failure(format!("{m}\n"));
    if !opts.has("bootstrap-server") && !opts.has("bootstrap-controller") {
        return arg_error(
            "One of the required --bootstrap-server or --bootstrap-controller arguments must be specified",
        );
    }
    let entity_type = if opts.has("topic") {
        Some("topics")
    } else {
        opts.value("entity-type")
    };
    let Some(entity_type) = entity_type else {
        return arg_error("At least one entity type must be specified");
    };
    if entity_type != "topics" {
        return arg_error(&format!(
            "Brooklet's kafka-configs.sh handles --entity-type topics only (got '{entity_type}')"
        ));
    }
    let name = opts.value("topic").or_else(|| opts.value("entity-name"));
    let command = format!(
        "Error while executing config command with args '{}'",
        argv.join(" ")
    );
    let alter_name = if opts.has("alter") {
        let Some(name) = name else {
            return arg_error("An entity name must be specified with --alter of topics");
        };
        let adds = opts.has("add-config") || opts.has("add-config-file");
        if opts.has("add-config") && opts.has("add-config-file") {
            return arg_error("Only one of --add-config or --add-config-file must be specified");
        }
        if !adds && !opts.has("delete-config") {
            return arg_error(
                "At least one of --add-config, --add-config-file, or --delete-config must be specified with --alter",
            );
        }
        Some(name)
    } else {
        None
    };
    // ConfigCommand builds its admin client after checkArgs; --alter parses the configs to
    // add before its first request, --describe starts with one.
    let client = match ctx.connect(&opts) {
        Ok(c) => c,
        Err(out) => return out,
    };
    match alter_name {
        Some(name) => {
            let (set, delete) = match configs_to_alter(ctx.files, &opts) {
                Ok(c) => c,
                Err(out) => return out,
            };
            if let Err(out) = client.request() {
                return out;
            }
            alter(&mut ctx.broker.borrow_mut(), name, &set, &delete, &command)
        }
        None => match client.request() {
            Ok(()) => describe(&ctx.broker.borrow(), opts.has("all"), name, &command),
            Err(out) => out,
        },
    }
}

fn generic_failure(command: &str, exception: &str) -> Output {
    Output::failure(format!(
        "{command}\njava.util.concurrent.ExecutionException: {exception}\n"
    ))
}

fn unknown_topic(name: &str) -> String {
    format!("org.apache.kafka.common.errors.UnknownTopicOrPartitionException: The topic '{name}' does not exist.")
}

/// What `--alter` changes: configs to set (`--add-config` or its file) and keys to delete.
type Changes = (Vec<(String, String)>, Vec<String>);

/// `parseConfigsToBeAdded` and `parseConfigsToBeDeleted`.
fn configs_to_alter(files: &dyn super::FileSource, opts: &Parsed) -> Result<Changes, Output> {
    let mut set = match opts.value("add-config") {
        Some(raw) => parse_add_config(raw).map_err(|m| Output::failure(format!("{m}\n")))?,
        None => Vec::new(),
    };
    if let Some(path) = opts.value("add-config-file") {
        let text = files
            .read(path)
            .map_err(|e| Output::failure(format!("{path}: {e}\n")))?;
        set.extend(super::files::parse_properties(&text));
    }
    let delete: Vec<String> = opts
        .values("delete-config")
        .iter()
        .flat_map(|v| v.split(','))
        .map(|k| k.trim().to_owned())
        .filter(|k| !k.is_empty())
        .collect();
    Ok((set, delete))
}

fn alter(
    broker: &mut Broker,
    name: &str,
    set: &[(String, String)],
    delete: &[String],
    command: &str,
) -> Output {
    let Some(topic) = broker.topic(name) else {
        return generic_failure(command, &unknown_topic(name));
    };
    let invalid: Vec<&str> = delete
        .iter()
        .map(String::as_str)
        .filter(|k| !topic.configs.is_overridden(k))
        .collect();
    if !invalid.is_empty() {
        return Output::failure(format!("Invalid config(s): {}\n", invalid.join(",")));
    }
    match broker.alter_topic_configs(name, set, delete) {
        Ok(()) => Output::stdout(format!("Completed updating config for topic {name}.\n")),
        Err(e) => generic_failure(command, &format!("{}: {e}", exception_class(&e))),
    }
}

/// `ConfigCommand.parseConfigsToBeAdded`: split at commas outside `[...]`, each pair at `=`
/// outside brackets; brackets are then dropped from values (`k=[a,b]` → `a,b`).
pub fn parse_add_config(raw: &str) -> Result<Vec<(String, String)>, String> {
    let error = "requirement failed: Invalid entity config: all configs to be added must be in the format \"key=val\" or \"key=[val1,val2]\".";
    let mut out = Vec::new();
    for entry in split_outside_brackets(raw, ',') {
        let parts = split_outside_brackets(entry, '=');
        let [key, value] = parts.as_slice() else {
            return Err(error.to_owned());
        };
        let value: String = value.chars().filter(|c| *c != '[' && *c != ']').collect();
        out.push((key.trim().to_owned(), value.trim().to_owned()));
    }
    Ok(out)
}

/// Splits at `sep` where no `[` is open (Kafka's lookahead `(?=[^\]]*(?:\[|$))`: the next
/// bracket after the separator, if any, is an opening one).
fn split_outside_brackets(s: &str, sep: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    for (i, c) in s.char_indices() {
        if c != sep {
            continue;
        }
        let after = s.get(i + 1..).unwrap_or("");
        let next_bracket = after.find(['[', ']']).and_then(|j| after.get(j..j + 1));
        if next_bracket != Some("]") {
            parts.push(s.get(start..i).unwrap_or(""));
            start = i + 1;
        }
    }
    parts.push(s.get(start..).unwrap_or(""));
    parts
}

fn describe(broker: &Broker, all: bool, name: Option<&str>, command: &str) -> Output {
    let names: Vec<String> = match name {
        Some(n) => vec![n.to_owned()],
        None => {
            // listTopics(listInternal=true).names(): a default-capacity HashSet.
            let sorted = broker.list_topic_names(true);
            hash_map_order(&sorted)
                .into_iter()
                .filter_map(|i| sorted.get(i).cloned())
                .collect()
        }
    };
    let mut out = Output::ok();
    for name in names {
        out.out_line(&format!(
            "{} configs for topic {name} are:",
            if all { "All" } else { "Dynamic" }
        ));
        let Some(topic) = broker.topic(&name) else {
            out.append(generic_failure(command, &unknown_topic(&name)));
            return out;
        };
        for entry in topic.configs.describe_all() {
            if !all && entry.is_default {
                continue;
            }
            let mut synonyms = Vec::new();
            if !entry.is_default {
                synonyms.push(format!(
                    "DYNAMIC_TOPIC_CONFIG:{}={}",
                    entry.name, entry.value
                ));
            }
            match entry.broker_synonym {
                Some(syn) => {
                    let (source, value) = broker_value(broker, syn, entry.name);
                    synonyms.push(format!("{source}:{syn}={value}"));
                }
                None if entry.is_default => {
                    synonyms.push(format!("DEFAULT_CONFIG:{}={}", entry.name, entry.value));
                }
                None => {}
            }
            let shown = if entry.is_default {
                match entry.broker_synonym {
                    Some(syn) => broker_value(broker, syn, entry.name).1,
                    None => entry.value.clone(),
                }
            } else {
                entry.value.clone()
            };
            out.out_line(&format!(
                "  {}={shown} sensitive=false synonyms={{{}}}",
                entry.name,
                synonyms.join(", ")
            ));
        }
    }
    out
}

/// The broker-level value behind a topic config: a broker setting Brooklet knows (static when
/// changed), else the topic default Kafka's broker would report.
fn broker_value(broker: &Broker, synonym: &str, topic_config: &str) -> (&'static str, String) {
    let changed = broker
        .config()
        .describe()
        .into_iter()
        .find(|e| e.name == synonym);
    match changed {
        Some(e) if !e.is_default => ("STATIC_BROKER_CONFIG", e.value),
        Some(e) => ("DEFAULT_CONFIG", e.value),
        None => {
            let default = crate::broker::TopicConfigs::new()
                .describe_all()
                .into_iter()
                .find(|e| e.name == topic_config)
                .map(|e| e.value)
                .unwrap_or_default();
            ("DEFAULT_CONFIG", default)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn add_config_keeps_bracketed_lists_together() {
        assert_eq!(
            parse_add_config("retention.ms=1000,cleanup.policy=[compact,delete]"),
            Ok(vec![
                ("retention.ms".into(), "1000".into()),
                ("cleanup.policy".into(), "compact,delete".into())
            ])
        );
        assert!(parse_add_config("retention.ms").is_err());
        assert!(parse_add_config("a=b=c").is_err());
    }
}
