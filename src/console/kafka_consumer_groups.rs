//! `kafka-consumer-groups.sh`: list groups, describe them (offsets, members, state), reset
//! their offsets (dry run unless `--execute`) and delete them.
//!
//! Owns ConsumerGroupCommandOptions' checks and usage texts, turning the typed values into
//! [`ResetScope`] / [`ResetScenario`], and which stream each piece of text goes to. Must not
//! compute or lay out the views: [`crate::client::group_admin`] builds the rows and prints
//! Kafka's tables; the only layouts here are the ones it lacks (`--list --state`,
//! `--members --verbose`'s ASSIGNMENT column).

use super::args::{self, OptSpec, Parsed};
use super::output::{log_line, usage_error, Output};
use super::Ctx;
use crate::client::error::GroupAdminError;
use crate::client::group_admin::{
    self, parse_duration_ms, parse_reset_datetime, ResetPlan, ResetScenario, ResetScope,
    NO_EXECUTE_WARNING,
};
use crate::client::{BrokerGroups, SharedGroups};
use crate::group::coordinator::GroupState;

/// The options, in the order Kafka's help lists them.
pub const OPTIONS: &[OptSpec] = &[
    OptSpec::flag("all-groups", "Apply to all consumer groups."),
    OptSpec::flag("all-topics", "Consider all topics assigned to a group in the `reset-offsets` process."),
    OptSpec::value("bootstrap-server", "String: server to connect to", "REQUIRED: The server(s) to connect to. Brooklet's broker listens on localhost:9092."),
    OptSpec::value("by-duration", "String: duration", "Reset offsets to offset by duration from current timestamp. Format: 'PnDTnHnMnS'"),
    OptSpec::value("command-config", "String: command config property file", "Property file containing configs to be passed to Admin Client (accepted, not needed here)."),
    OptSpec::flag("delete", "Pass in groups to delete topic partition offsets and ownership information over the entire consumer group."),
    OptSpec::flag("delete-offsets", "Delete offsets of consumer group (not in Brooklet's console)."),
    OptSpec::flag("describe", "Describe consumer group and list offset lag (number of messages not yet processed) related to given group."),
    OptSpec::flag("dry-run", "Only show results without executing changes on Consumer Groups. Supported operations: reset-offsets."),
    OptSpec::flag("execute", "Execute operation. Supported operations: reset-offsets."),
    OptSpec::flag("export", "Export operation execution to a CSV file (not in Brooklet's console)."),
    OptSpec::value("from-file", "String: path to CSV file", "Reset offsets to values defined in CSV file (not in Brooklet's console)."),
    OptSpec::value("group", "String: consumer group", "The consumer group we wish to act on."),
    OptSpec::flag("help", "Print usage information."),
    OptSpec::flag("list", "List all consumer groups."),
    OptSpec::flag("members", "Describe members of the group. This option may be used with '--describe' and '--bootstrap-server' options only."),
    OptSpec::flag("offsets", "Describe the group and list all topic partitions in the group along with their offset lag. This is the default sub-action."),
    OptSpec::flag("reset-offsets", "Reset offsets of consumer group. Supports one consumer group at the time, and instances should be inactive. Has 2 execution options: --dry-run (the default) and --execute."),
    OptSpec::value("shift-by", "Long: number-of-offsets", "Reset offsets shifting current offset by 'n', where 'n' can be positive or negative."),
    OptSpec::optional("state", "String", "When specified with '--describe', includes the state of the group. When specified with '--list', it displays the state of all groups; it can also filter by state (comma-separated)."),
    OptSpec::value("timeout", "Long: timeout (ms)", "The timeout that can be set for some use cases (default: 5000)."),
    OptSpec::flag("to-current", "Reset offsets to current offset."),
    OptSpec::value("to-datetime", "String: datetime", "Reset offsets to offset from datetime. Format: 'YYYY-MM-DDTHH:mm:SS.sss'"),
    OptSpec::flag("to-earliest", "Reset offsets to earliest offset."),
    OptSpec::flag("to-latest", "Reset offsets to latest offset."),
    OptSpec::value("to-offset", "Long: offset", "Reset offsets to a specific offset."),
    OptSpec::value("topic", "String: topic", "The topic whose consumer group information should be deleted or topic whose should be included in the reset offset process. In `reset-offsets` case, partitions can be specified using this format: `topic1:0,1,2`."),
    OptSpec::value("type", "String", "When specified with '--list', it displays the types of all the groups (all are Classic here)."),
    OptSpec::flag("verbose", "Provide additional information, if any, when describing the group."),
    OptSpec::flag("version", "Display Kafka version."),
];

const ABOUT: &str = "This tool helps to list all consumer groups, describe a consumer group, delete consumer group info, or reset consumer group offsets.";
const LOGGER: &str = "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand";
const ACTIONS: [&str; 5] = [
    "list",
    "describe",
    "delete",
    "reset-offsets",
    "delete-offsets",
];
const SCENARIOS: [&str; 8] = [
    "to-offset",
    "to-datetime",
    "by-duration",
    "to-earliest",
    "to-latest",
    "to-current",
    "shift-by",
    "from-file",
];

/// Help text for `kafka-consumer-groups.sh --help`.
pub fn help() -> String {
    format!("{ABOUT}\n{}", args::help_table(OPTIONS))
}

fn usage(message: &str) -> Output {
    usage_error(message, &args::help_table(OPTIONS))
}

/// Runs `kafka-consumer-groups.sh`.
pub fn run(ctx: &mut Ctx<'_>, argv: &[String]) -> Output {
    if argv.is_empty() {
        return usage(ABOUT);
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
    if ACTIONS.iter().filter(|a| opts.has(a)).count() != 1 {
        return usage("Command must include exactly one action: --list, --describe, --delete, --reset-offsets, --delete-offsets");
    }
    let mut warning = match check_args(&opts) {
        Ok(w) => w,
        Err(out) => return out,
    };
    // ConsumerGroupService builds its admin client after checkArgs (and its warning); every
    // action starts with a request.
    if let Err(out) = ctx.connect(&opts).and_then(|client| client.request()) {
        warning.append(out);
        return warning;
    }
    let groups = match ctx.groups() {
        Ok(g) => g,
        Err(out) => return out,
    };
    // Expired sessions and due rebalances happen before the tool looks.
    groups.borrow_mut().tick();
    let out = if opts.has("list") {
        list(&groups.borrow(), &opts)
    } else if opts.has("describe") {
        describe(&groups.borrow(), &opts)
    } else if opts.has("delete") {
        delete(&groups, &opts)
    } else if opts.has("reset-offsets") {
        reset(&groups, &opts)
    } else {
        Output::failure(
            "--delete-offsets is not in Brooklet's console: reset the offsets instead, or delete the group.\n",
        )
    };
    warning.append(out);
    warning
}

/// ConsumerGroupCommandOptions.checkArgs: usage errors, or the no-execute warning.
fn check_args(opts: &Parsed) -> Result<Output, Output> {
    let invalid = |used: &str, others: &[&str]| {
        args::check_invalid(opts, used, others).map_err(|e| usage(&e.to_string()))
    };
    args::require(opts, &["bootstrap-server"]).map_err(|e| usage(&e.to_string()))?;
    let scope = "[group], [all-groups]";
    if opts.has("describe") {
        if !opts.has("group") && !opts.has("all-groups") {
            return Err(usage(&format!(
                "Option [describe] takes one of these options: {scope}"
            )));
        }
        if ["members", "offsets", "state"]
            .iter()
            .filter(|o| opts.has(o))
            .count()
            > 1
        {
            return Err(usage(
                "Option [describe] takes at most one of these options: [members], [offsets], [state]",
            ));
        }
        if opts.value("state").is_some() {
            return Err(usage("Option [describe] does not take a value for [state]"));
        }
    }
    if opts.has("delete") {
        if !opts.has("group") && !opts.has("all-groups") {
            return Err(usage(&format!(
                "Option [delete] takes one of these options: {scope}"
            )));
        }
        if opts.has("topic") {
            return Err(usage(
                "The consumer does not support topic-specific offset deletion from a consumer group.",
            ));
        }
    }
    if opts.has("delete-offsets") && (!opts.has("group") || !opts.has("topic")) {
        return Err(usage(
            "Option [delete-offsets] takes the following options: [group], [topic]",
        ));
    }
    let mut warning = Output::ok();
    if opts.has("reset-offsets") {
        if opts.has("dry-run") && opts.has("execute") {
            return Err(usage(
                "Option [reset-offsets] only accepts one of [execute] and [dry-run]",
            ));
        }
        if !opts.has("dry-run") && !opts.has("execute") {
            warning.err_line(NO_EXECUTE_WARNING);
        }
        if !opts.has("group") && !opts.has("all-groups") {
            let mut out = warning;
            out.append(usage(&format!(
                "Option [reset-offsets] takes one of these options: {scope}"
            )));
            return Err(out);
        }
        for s in SCENARIOS {
            let others: Vec<&str> = SCENARIOS.iter().copied().filter(|o| *o != s).collect();
            if let Err(e) = invalid(s, &others) {
                let mut out = warning;
                out.append(e);
                return Err(out);
            }
        }
    }
    let checks: [(&str, &[&str]); 3] = [
        ("group", &["all-groups"]),
        ("group", &["list"]),
        ("topic", &["list", "describe"]),
    ];
    for (used, others) in checks {
        if let Err(e) = invalid(used, others) {
            let mut out = warning;
            out.append(e);
            return Err(out);
        }
    }
    Ok(warning)
}

/// `--group` values (repeatable), or every group for `--all-groups`.
fn selected(groups: &BrokerGroups, opts: &Parsed) -> Vec<String> {
    if opts.has("all-groups") {
        groups.list().into_iter().map(|g| g.group_id).collect()
    } else {
        let mut ids: Vec<String> = Vec::new();
        for g in opts.values("group") {
            if !ids.iter().any(|i| i == g) {
                ids.push(g.to_owned());
            }
        }
        ids
    }
}

fn list(groups: &BrokerGroups, opts: &Parsed) -> Output {
    let with_state = opts.has("state");
    let with_type = opts.has("type");
    if !with_state && !with_type {
        return Output::stdout(group_admin::format_list(groups));
    }
    let wanted = match opts.value("state").filter(|v| !v.is_empty()) {
        None => Vec::new(),
        Some(v) => match states_from_string(v) {
            Ok(states) => states,
            Err(message) => return usage(&message),
        },
    };
    let listed: Vec<_> = groups
        .list()
        .into_iter()
        .filter(|g| wanted.is_empty() || wanted.contains(&g.state.name().to_ascii_lowercase()))
        .collect();
    let width = listed
        .iter()
        .map(|g| g.group_id.len())
        .max()
        .unwrap_or(0)
        .max(15)
        + 10;
    let line = |g: &str, t: &str, s: &str| {
        let mut l = format!("{g:<width$}");
        if with_type {
            l.push_str(&format!("{t:<20}"));
        }
        if with_state {
            l.push_str(&format!("{s:<20}"));
        }
        format!("{}\n", l)
    };
    let mut text = line("GROUP", "TYPE", "STATE");
    for g in &listed {
        text.push_str(&line(&g.group_id, "Classic", g.state.name()));
    }
    Output::stdout(text)
}

/// Every group state `--list --state` accepts, in `GroupState`'s declaration order (UNKNOWN
/// left out), as Kafka lists them when one is not valid.
const VALID_STATES: [&str; 7] = [
    "PreparingRebalance",
    "CompletingRebalance",
    "Stable",
    "Dead",
    "Empty",
    "Assigning",
    "Reconciling",
];

/// `ConsumerGroupCommand.groupStatesFromString`: comma-separated, trimmed, any case; one
/// unknown state refuses the whole list with Kafka's text (shown with the usage). Returns
/// the states in lower case.
fn states_from_string(input: &str) -> Result<Vec<String>, String> {
    let mut raw: Vec<&str> = input.split(',').collect();
    // Java's String.split drops trailing empty strings ("stable," is one state), not inner ones.
    while raw.len() > 1 && raw.last().is_some_and(|s| s.is_empty()) {
        raw.pop();
    }
    let parsed: Vec<String> = raw.iter().map(|s| s.trim().to_ascii_lowercase()).collect();
    let known = |s: &String| VALID_STATES.iter().any(|v| v.eq_ignore_ascii_case(s));
    if parsed.iter().all(known) {
        Ok(parsed)
    } else {
        Err(format!(
            "Invalid state list '{input}'. Valid states are: {}",
            VALID_STATES.join(", ")
        ))
    }
}

/// What Kafka says before a view of a group that is not Stable; `false` when it is Dead
/// (nothing more is printed for it).
fn state_notice(out: &mut Output, group: &str, state: GroupState) -> bool {
    match state {
        GroupState::Dead => {
            out.out(&format!(
                "\nError: Consumer group '{group}' does not exist.\n"
            ));
            return false;
        }
        GroupState::Empty => out.err(&format!(
            "\nConsumer group '{group}' has no active members.\n"
        )),
        GroupState::PreparingRebalance | GroupState::CompletingRebalance => out.err(&format!(
            "\nWarning: Consumer group '{group}' is rebalancing.\n"
        )),
        GroupState::Stable => {}
    }
    true
}

fn describe(groups: &BrokerGroups, opts: &Parsed) -> Output {
    let mut ids = selected(groups, opts);
    crate::sort::sort(&mut ids);
    let mut out = Output::ok();
    if opts.has("members") {
        for g in &ids {
            let (state, rows) = group_admin::describe_members(groups, g);
            if state_notice(&mut out, g, state) && !rows.is_empty() {
                let table = group_admin::format_members(&rows);
                if opts.has("verbose") {
                    out.out(&with_assignments(&table, &rows));
                } else {
                    out.out(&table);
                }
            }
        }
    } else if opts.has("state") {
        for g in &ids {
            let view = group_admin::describe_state(groups, g);
            if state_notice(&mut out, g, view.state) {
                out.out(&group_admin::format_state(&view));
            }
        }
    } else {
        let views: Vec<_> = ids
            .iter()
            .map(|g| group_admin::describe_offsets(groups, g))
            .collect();
        let text = group_admin::format_describe_offsets(&views);
        out.printed.append(&text);
    }
    out
}

/// `--members --verbose`: the members table with Kafka 4.0's ASSIGNMENT column
/// (`t1:0,1,t2:0`, partitions sorted per topic, `-` when none) after `#PARTITIONS`.
fn with_assignments(table: &str, rows: &[group_admin::MemberRow]) -> String {
    let mut cells = vec!["ASSIGNMENT".to_owned()];
    for r in rows {
        let mut topics: std::collections::BTreeMap<&str, Vec<i32>> = Default::default();
        for tp in &r.assignment {
            topics
                .entry(tp.topic.as_str())
                .or_default()
                .push(tp.partition);
        }
        let text = topics
            .into_iter()
            .map(|(t, mut ps)| {
                crate::sort::sort(&mut ps);
                let ps: Vec<String> = ps.iter().map(i32::to_string).collect();
                format!("{t}:{}", ps.join(","))
            })
            .collect::<Vec<_>>()
            .join(",");
        cells.push(if text.is_empty() {
            "-".to_owned()
        } else {
            text
        });
    }
    let mut out = String::new();
    let mut cell = cells.into_iter();
    for line in table.split_inclusive('\n') {
        match line.strip_suffix('\n') {
            Some(body) if !body.is_empty() => {
                out.push_str(body);
                out.push_str(&cell.next().unwrap_or_default());
                out.push('\n');
            }
            _ => out.push_str(line),
        }
    }
    out
}

fn delete(groups: &SharedGroups, opts: &Parsed) -> Output {
    let ids = selected(&groups.borrow(), opts);
    let results = group_admin::delete_groups(&mut groups.borrow_mut(), &ids);
    let text = group_admin::format_delete(&results);
    Output::from(text)
}

/// Why a reset's arguments are refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
enum ResetArgError {
    /// Neither `--all-topics` nor `--topic`.
    #[error("One of the reset scopes should be defined: --all-topics, --topic.")]
    NoScope,
    /// No scenario option.
    #[error("Option '[reset-offsets]' requires one of the following scenarios: [[to-offset], [to-datetime], [by-duration], [to-earliest], [to-latest], [to-current], [shift-by], [from-file]]")]
    NoScenario,
    /// A `--topic t:0,x` partition that is not a number.
    #[error("Cannot parse partition '{0}' of option topic")]
    BadPartition(String),
    /// `--from-file`, which this console does not read.
    #[error("--from-file is not in Brooklet's console: use --to-offset, --shift-by, --to-datetime or --to-earliest/--to-latest.")]
    FromFile,
}

fn scope(opts: &Parsed) -> Result<ResetScope, ResetArgError> {
    if opts.has("all-topics") {
        return Ok(ResetScope::AllTopics);
    }
    let topics = opts.values("topic");
    if topics.is_empty() {
        return Err(ResetArgError::NoScope);
    }
    let mut scoped = Vec::new();
    for t in topics {
        match t.split_once(':') {
            None => scoped.push((t.to_owned(), None)),
            Some((name, list)) => {
                let mut ps = Vec::new();
                for p in list.split(',').filter(|p| !p.trim().is_empty()) {
                    ps.push(
                        p.trim()
                            .parse::<i32>()
                            .map_err(|_| ResetArgError::BadPartition(p.to_owned()))?,
                    );
                }
                scoped.push((name.to_owned(), Some(ps)));
            }
        }
    }
    Ok(ResetScope::Topics(scoped))
}

fn scenario(opts: &Parsed) -> Result<ResetScenario, Output> {
    let number = |name: &str| {
        opts.number::<i64>(name)
            .map_err(|e| Output::failure(format!("{e}\n")))
            .map(Option::unwrap_or_default)
    };
    let time_error = |e: GroupAdminError| Output::failure(format!("\nError: {e}\n"));
    if opts.has("to-offset") {
        Ok(ResetScenario::ToOffset(number("to-offset")?))
    } else if opts.has("shift-by") {
        Ok(ResetScenario::ShiftBy(number("shift-by")?))
    } else if let Some(v) = opts.value("to-datetime") {
        parse_reset_datetime(v)
            .map(ResetScenario::ToDatetime)
            .map_err(time_error)
    } else if let Some(v) = opts.value("by-duration") {
        parse_duration_ms(v)
            .map(ResetScenario::ByDuration)
            .map_err(time_error)
    } else if opts.has("to-earliest") {
        Ok(ResetScenario::ToEarliest)
    } else if opts.has("to-latest") {
        Ok(ResetScenario::ToLatest)
    } else if opts.has("to-current") {
        Ok(ResetScenario::ToCurrent)
    } else if opts.has("from-file") {
        Err(Output::failure(format!("{}\n", ResetArgError::FromFile)))
    } else {
        Err(usage(&ResetArgError::NoScenario.to_string()))
    }
}

fn reset(groups: &SharedGroups, opts: &Parsed) -> Output {
    if opts.has("export") {
        return Output::failure(
            "--export is not in Brooklet's console: the table below the command is the plan.\n",
        );
    }
    let scope = match scope(opts) {
        Ok(s) => s,
        Err(e @ ResetArgError::NoScope) => return usage(&e.to_string()),
        Err(e) => return Output::failure(format!("{e}\n")),
    };
    let scenario = match scenario(opts) {
        Ok(s) => s,
        Err(out) => return out,
    };
    let execute = opts.has("execute");
    let ids = selected(&groups.borrow(), opts);
    let now = groups.borrow().broker().borrow().now_ms();
    let mut out = Output::ok();
    let mut plans: Vec<ResetPlan> = Vec::new();
    for g in &ids {
        let result =
            group_admin::reset_offsets(&mut groups.borrow_mut(), g, &scope, scenario, execute);
        match result {
            Ok(plan) => {
                for w in &plan.warnings {
                    if let Some(text) = w.strip_prefix('\n') {
                        out.out("\n");
                        out.out_line(text);
                    } else {
                        out.err_line(&log_line(now, "WARN", w, LOGGER));
                    }
                }
                plans.push(plan);
            }
            Err(e @ GroupAdminError::GroupNotInactive { .. }) => {
                // Kafka prints the error and an empty plan for that group.
                out.out(&format!("\nError: {e}\n"));
                plans.push(ResetPlan {
                    group: g.clone(),
                    offsets: Vec::new(),
                    warnings: Vec::new(),
                    executed: false,
                });
            }
            Err(e @ GroupAdminError::NoCommittedOffsetToShift(_)) => {
                let mut failed = out;
                failed.append(usage(&e.to_string()));
                return failed;
            }
            Err(e) => {
                let mut failed = out;
                failed.append(Output::failure(format!(
                    "\nError: Executing consumer group command failed due to {e}\n"
                )));
                return failed;
            }
        }
    }
    out.out(&reset_table(&plans));
    out
}

/// Kafka prints one `GROUP TOPIC PARTITION NEW-OFFSET` table for every group reset (one
/// header, then each group's rows, then a newline; no header when no group was selected).
fn reset_table(plans: &[ResetPlan]) -> String {
    let Some((first, rest)) = plans.split_first() else {
        return "\n".to_owned();
    };
    let mut text = group_admin::format_reset_plans(std::slice::from_ref(first));
    for plan in rest {
        let one = group_admin::format_reset_plans(std::slice::from_ref(plan));
        // Drop this table's header line and the newline that ended the previous table.
        let rows = one.get(1..).and_then(|t| t.find('\n').map(|i| &t[i..]));
        if let Some(rows) = rows {
            text.pop();
            text.push_str(rows);
        }
    }
    text
}
