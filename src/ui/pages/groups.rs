//! The consumer-groups page: choose or create a group and a topic, start consumers (c1, c2,
//! ...) with an assignment strategy, step them or let them run (each at its own poll rate and
//! `max.poll.records`), pause / crash / close each one, and watch the partitions move between
//! member cards, the partition table (committed, position, log end, lag bar) and the timeline
//! in plain words; reset a group's offsets (dry run, then execute) and delete it. The
//! standalone reader sits beside them.
//!
//! Owns the page's form state. The engine's `tick`, driven by the shell's one timer, runs the
//! consumers, so they keep going on other pages. Must not hold group logic: every action is a
//! [`GroupAction`] dispatched to the engine, which publishes what changed (this page watches
//! the groups' area) and stores the offset commits.

use yew::prelude::*;

use crate::client::OffsetResetPolicy;
use crate::group::coordinator::MemberDescription;
use crate::playground::action::GroupAction;
use crate::playground::group_words::{
    group_state, idle_reason, member_pace, member_state, GroupStateWords,
};
use crate::playground::groups::{
    group_name_problem, ConsumerStatus, MemberCard, PartitionRow, ResetTarget, LOOP, POLL_RATES,
    STRATEGY_CHOICES,
};
use crate::playground::sample_orders::grouped;
use crate::playground::{Action, Area};
use crate::ui::components::{event_value, StandaloneReader};
use crate::ui::context::{said, use_area, use_playground, PlaygroundHandle, Said};

/// How many timeline lines the page shows.
const TIMELINE_SHOWN: usize = 40;

/// The outcome of the last action, shown under the form.
type Outcome = Option<Said>;

/// Runs a group action and shows its outcome.
fn act(store: &PlaygroundHandle, outcome: &UseStateHandle<Outcome>, action: GroupAction) {
    outcome.set(Some(said(store.dispatch(Action::Group(action)))));
}

/// Props of [`MemberCardView`].
#[derive(Properties, PartialEq)]
struct MemberCardProps {
    card: MemberCard,
    /// The state line ([`member_state`]).
    state: String,
    /// Why it holds no partition, when it is idle ([`idle_reason`]).
    idle: Option<String>,
    outcome: UseStateHandle<Outcome>,
}

/// One member: colour, state, partitions, buttons.
#[function_component(MemberCardView)]
fn member_card_view(props: &MemberCardProps) -> Html {
    let store = use_playground();
    let card = &props.card;
    let id = card.client_id.clone();
    let button = |label: &str, class: &str, action: fn(String) -> GroupAction| {
        let (store, outcome, id) = (store.clone(), props.outcome.clone(), id.clone());
        let onclick = Callback::from(move |_| act(&store, &outcome, action(id.clone())));
        html! {
            <button type="button" class={classes!("small", class.to_owned())} {onclick}
                aria-label={format!("{label} {}", card.client_id)}>{ label.to_owned() }</button>
        }
    };
    // What is being typed into max.poll.records, until the field's `change` applies it: the
    // running consumers re-render the card many times a second, and Yew would otherwise write
    // the applied value back over the keystrokes.
    let max_records_draft = use_state(|| None::<String>);
    let setting = |apply: fn(String, String) -> GroupAction| {
        let (store, outcome, id) = (store.clone(), props.outcome.clone(), id.clone());
        let draft = max_records_draft.clone();
        Callback::from(move |e: Event| {
            let value = event_value(&e);
            draft.set(None);
            act(&store, &outcome, apply(id.clone(), value));
        })
    };
    let on_max_records_typed = {
        let draft = max_records_draft.clone();
        Callback::from(move |e: InputEvent| draft.set(Some(event_value(&e))))
    };
    let max_records_shown = (*max_records_draft)
        .clone()
        .unwrap_or_else(|| card.max_poll_records.to_string());
    let rate = card.pace.label();
    let crashed = card.status == ConsumerStatus::Crashed;
    let state = props.state.clone();
    html! {
        <article class={classes!("card", "member-card", format!("member-{}", card.colour), (card.status == ConsumerStatus::Crashed).then_some("crashed"))}
            data-testid={format!("member-{}", card.client_id)} aria-label={format!("Consumer {}", card.client_id)}>
            <header class="member-head">
                <span class="member-dot" aria-hidden="true"></span>
                <h3>{ &card.client_id }</h3>
                <span class="member-state" data-testid="member-state">{ state }</span>
            </header>
            <p class="member-id muted" title="The member id the coordinator gave it">
                { card.member_id.clone().unwrap_or_else(|| "no member id yet".to_owned()) }
            </p>
            <p class="muted member-meta">{ format!("{} · {} · {} read", card.topics.join(", "), card.strategy, grouped(card.consumed)) }</p>
            <div class="member-rate">
                // A script's consumer is polled by its own run loop: no rate to pick.
                if !card.external {
                    <label title="How often this consumer calls poll() while the consumers run: in a loop, as a Kafka consumer does (the default), or slower, to watch positions creep up">{ "Polls per second" }
                        <select name="poll-rate" onchange={setting(|client_id, rate| GroupAction::SetPollRate { client_id, rate })} disabled={crashed}
                            aria-label={format!("Polls per second of {}", card.client_id)}>
                            { for POLL_RATES.iter().map(|r| html! { <option value={*r} selected={*r == rate}>{ if *r == LOOP { "loop (default)" } else { *r } }</option> }) }
                        </select>
                    </label>
                }
                <label title="max.poll.records: at most this many records one poll() returns">{ "max.poll.records" }
                    <input name="max-poll-records" type="number" min="1" inputmode="numeric" value={max_records_shown}
                        oninput={on_max_records_typed} onchange={setting(|client_id, records| GroupAction::SetMaxPollRecords { client_id, records })} disabled={crashed}
                        aria-label={format!("max.poll.records of {}", card.client_id)} />
                </label>
            </div>
            <p class="muted member-pace" data-testid="member-pace">{ member_pace(card) }</p>
            <ul class="chips" aria-label="Assigned partitions" data-testid="partitions">
                if card.partitions.is_empty() && props.idle.is_none() {
                    <li class="chip none">{ "no partitions" }</li>
                }
                { for card.partitions.iter().map(|(tp, fresh)| html! {
                    <li class={classes!("chip", fresh.then_some("fresh"))}>{ tp.to_string() }</li>
                }) }
            </ul>
            if let Some(idle) = &props.idle {
                <p class="member-idle" data-testid="member-idle">{ idle }</p>
            }
            if let Some(error) = &card.error {
                <p class="notice error" role="alert">{ error }</p>
            }
            <div class="member-actions">
                { match card.status {
                    ConsumerStatus::Running => button("Pause", "", |client_id| GroupAction::SetPaused { client_id, paused: true }),
                    ConsumerStatus::Paused => button("Resume", "", |client_id| GroupAction::SetPaused { client_id, paused: false }),
                    ConsumerStatus::Crashed => html! {},
                } }
                if card.status == ConsumerStatus::Crashed {
                    { button("Remove", "", |client_id| GroupAction::Remove { client_id }) }
                } else {
                    { button("Crash", "danger", |client_id| GroupAction::Crash { client_id }) }
                    { button("Leave", "", |client_id| GroupAction::Leave { client_id }) }
                }
            </div>
        </article>
    }
}

/// The partition table with a lag bar per partition.
fn partition_table(rows: &[PartitionRow]) -> Html {
    let dash = |v: Option<i64>| v.map_or_else(|| "-".to_owned(), |v| v.to_string());
    html! {
        <div class="table-scroll">
        <table class="data partitions" data-testid="partition-table">
            <thead><tr>
                <th>{ "Partition" }</th><th>{ "Owner" }</th><th>{ "Committed" }</th>
                <th>{ "Position" }</th><th>{ "Log end" }</th><th>{ "Lag" }</th>
            </tr></thead>
            <tbody>
            { for rows.iter().map(|r| {
                let share = match (r.lag, r.log_end) {
                    (Some(lag), end) if end > 0 => (lag * 100 / end).clamp(0, 100),
                    _ => 0,
                };
                html! {
                    <tr data-testid={format!("partition-{}", r.partition)}>
                        <td>{ r.partition.to_string() }</td>
                        <td class="owner">
                            if let (Some(owner), Some(colour)) = (&r.owner, r.owner_colour) {
                                <span class={classes!("owner-tag", format!("member-{colour}"))}>{ owner }</span>
                            } else {
                                { r.owner.clone().unwrap_or_else(|| "-".to_owned()) }
                            }
                        </td>
                        <td class="committed">{ dash(r.committed) }</td>
                        <td class="position">{ dash(r.position) }</td>
                        <td class="log-end">{ r.log_end }</td>
                        <td class="lag">
                            <span class="lag-value">{ dash(r.lag) }</span>
                            <span class="lag-bar" role="img" aria-label={format!("lag {}", dash(r.lag))}>
                                <span style={format!("width: {share}%")}></span>
                            </span>
                        </td>
                    </tr>
                }
            }) }
            </tbody>
        </table>
        </div>
    }
}

/// A member this page did not start (a console consumer in the terminal): what the
/// coordinator knows of it, and where to stop it.
fn other_member_card(member: &MemberDescription) -> Html {
    let partitions: Vec<String> = member.assignment.iter().map(ToString::to_string).collect();
    html! {
        <article class={classes!("card", "member-card", "other-member")} key={member.member_id.clone()}
            data-testid="other-member" aria-label={format!("Consumer {} (started elsewhere)", member.client_id)}>
            <header class="member-head">
                <span class="member-dot" aria-hidden="true"></span>
                <h3>{ &member.client_id }</h3>
                <span class="member-state">{ "started elsewhere: stop it in its terminal tab with Ctrl-C" }</span>
            </header>
            <p class="member-id">{ &member.member_id }</p>
            <p class="member-meta">{ format!("{} · {}", member.topics.join(", "),
                if partitions.is_empty() { "no partitions yet".to_owned() } else { partitions.join(", ") }) }</p>
        </article>
    }
}

/// The consumer-groups page.
#[function_component(GroupsPage)]
pub fn groups_page() -> Html {
    // Records: the partition table's log ends and lags move as records arrive.
    let store = use_area(vec![Area::Groups, Area::Topics, Area::Records]);
    let group = use_state(|| "g1".to_owned());
    let topics: Vec<String> = store
        .read()
        .topic_rows(false)
        .into_iter()
        .map(|t| t.name)
        .collect();
    let topic = use_state(String::new);
    let strategy = use_state(|| STRATEGY_CHOICES[0].0.to_owned());
    let reset = use_state(|| OffsetResetPolicy::Earliest);
    let outcome = use_state(|| None::<Said>);
    let admin = use_state(|| None::<Said>);
    let target = use_state(|| ResetTarget::Earliest);

    // Load the group service (and the committed offsets kept in storage) when the page opens.
    {
        let store = store.clone();
        use_effect_with((), move |_| {
            // A refusal (a read-only tab) shows as the page's "loading" state.
            let _ = store.dispatch(Action::Group(GroupAction::Load));
        });
    }
    let chosen_topic = if topics.contains(&*topic) {
        (*topic).clone()
    } else {
        topics.first().cloned().unwrap_or_default()
    };
    let group_name = group.trim().to_owned();
    let problem = group_name_problem(&group);

    let (names, state, protocol, members, others, rows, timeline) = {
        let playground = store.read();
        match playground.groups() {
            Some(model) => (
                model.group_names(),
                group_state(model, &group_name),
                model.protocol(&group_name),
                model
                    .members(&group_name)
                    .into_iter()
                    .map(|card| {
                        let state = member_state(&card, model.is_running());
                        let idle = idle_reason(model, &group_name, &card);
                        (card, state, idle)
                    })
                    .collect::<Vec<_>>(),
                model.other_members(&group_name),
                model.partitions(&group_name),
                model
                    .timeline()
                    .take(TIMELINE_SHOWN)
                    .cloned()
                    .collect::<Vec<_>>(),
            ),
            None => (
                Vec::new(),
                GroupStateWords {
                    badge: "loading".to_owned(),
                    meaning: "the group service is loading".to_owned(),
                },
                String::new(),
                Vec::new(),
                Vec::new(),
                Vec::new(),
                Vec::new(),
            ),
        }
    };

    let on_group = {
        let group = group.clone();
        Callback::from(move |e: InputEvent| group.set(event_value(&e)))
    };
    let on_topic = {
        let topic = topic.clone();
        Callback::from(move |e: Event| topic.set(event_value(&e)))
    };
    let on_strategy = {
        let strategy = strategy.clone();
        Callback::from(move |e: Event| strategy.set(event_value(&e)))
    };
    let on_reset = {
        let reset = reset.clone();
        Callback::from(move |e: Event| {
            reset.set(match event_value(&e).as_str() {
                "latest" => OffsetResetPolicy::Latest,
                "none" => OffsetResetPolicy::None,
                _ => OffsetResetPolicy::Earliest,
            })
        })
    };
    let on_start = {
        let (store, outcome) = (store.clone(), outcome.clone());
        let (group, topic, strategy, reset) = (
            group_name.clone(),
            chosen_topic.clone(),
            (*strategy).clone(),
            *reset,
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let action = GroupAction::StartConsumer {
                group: group.clone(),
                topic: topic.clone(),
                strategy: strategy.clone(),
                reset,
            };
            act(&store, &outcome, action);
        })
    };
    let on_step = {
        let (store, outcome) = (store.clone(), outcome.clone());
        Callback::from(move |_| act(&store, &outcome, GroupAction::Step))
    };
    let running = store.read().groups().is_some_and(|g| g.is_running());
    let on_auto = {
        let (store, outcome) = (store.clone(), outcome.clone());
        Callback::from(move |_| act(&store, &outcome, GroupAction::SetRunning(!running)))
    };
    let on_target = {
        let target = target.clone();
        Callback::from(move |e: Event| {
            target.set(if event_value(&e) == "latest" {
                ResetTarget::Latest
            } else {
                ResetTarget::Earliest
            })
        })
    };
    let reset_button = |label: &str, execute: bool| {
        let (store, admin, group, target) =
            (store.clone(), admin.clone(), group_name.clone(), *target);
        let onclick = Callback::from(move |_| {
            let action = GroupAction::ResetOffsets {
                group: group.clone(),
                target,
                execute,
            };
            act(&store, &admin, action)
        });
        html! { <button type="button" class={if execute { "danger" } else { "" }} {onclick}>{ label.to_owned() }</button> }
    };
    let on_delete = {
        let (store, admin, group) = (store.clone(), admin.clone(), group_name.clone());
        Callback::from(move |_| {
            let action = GroupAction::DeleteGroup {
                group: group.clone(),
            };
            act(&store, &admin, action)
        })
    };
    let notice = |o: &Outcome, testid: &str| match o {
        Some(Ok(m)) => {
            html! { <pre class="notice ok" role="status" data-testid={testid.to_owned()}>{ m }</pre> }
        }
        Some(Err(refused)) => {
            html! { <pre class="notice error" role="alert" data-testid={testid.to_owned()}>{ refused.to_string() }</pre> }
        }
        None => html! {},
    };

    html! {
        <section aria-labelledby="groups-title" class="groups-page">
            <h1 id="groups-title">{ "Consumer groups" }</h1>
            <p class="lead">{ "Start consumers in a group and watch Kafka share the topic's partitions among them. \
                A second consumer joining, one leaving or crashing: each is a rebalance." }</p>
            <form class="card form-grid" onsubmit={on_start} aria-label="Start a consumer">
                <h2>{ "Start a consumer" }</h2>
                <label>{ "Group (group.id)" }
                    <input name="group" list="group-names" value={(*group).clone()} oninput={on_group}
                        aria-invalid={problem.is_some().then_some("true")} aria-describedby="group-problem" autocomplete="off" />
                    <datalist id="group-names">
                        { for names.iter().map(|n| html! { <option value={n.clone()} /> }) }
                    </datalist>
                </label>
                <label>{ "Topic" }
                    <select name="topic" onchange={on_topic}>
                        { for topics.iter().map(|t| html! { <option value={t.clone()} selected={*t == chosen_topic}>{ t }</option> }) }
                    </select>
                </label>
                <label title="partition.assignment.strategy">{ "Assignment strategy" }
                    <select name="strategy" onchange={on_strategy}>
                        { for STRATEGY_CHOICES.iter().map(|(value, label)| html! {
                            <option value={*value} selected={*strategy == *value}>{ *label }</option>
                        }) }
                    </select>
                </label>
                <label title="auto.offset.reset: where a consumer starts when the group has no committed offset">{ "Start (auto.offset.reset)" }
                    <select name="offset-reset" onchange={on_reset}>
                        { for [("earliest", OffsetResetPolicy::Earliest), ("latest", OffsetResetPolicy::Latest), ("none", OffsetResetPolicy::None)]
                            .iter().map(|(v, p)| html! { <option value={*v} selected={*reset == *p}>{ *v }</option> }) }
                    </select>
                </label>
                <div class="form-actions">
                    <button type="submit" class="primary" disabled={problem.is_some()}>{ "Add consumer" }</button>
                </div>
                <p id="group-problem" class="field-problem" aria-live="polite">{ problem.as_ref().map(ToString::to_string).unwrap_or_default() }</p>
                if topics.is_empty() {
                    <p class="notice error">{ "There are no topics yet: " }<a href="#/topics">{ "create one" }</a>{ " (try orders with 3 partitions) and produce a few records." }</p>
                }
                { notice(&outcome, "group-result") }
            </form>

            <div class="group-bar" role="group" aria-label="Run the consumers">
                <h2>{ format!("Group {group_name}") }</h2>
                <span class={classes!("group-state", format!("state-{}", state.badge.replace(' ', "-")))} data-testid="group-state"
                    title={state.meaning.clone()}>{ state.badge.clone() }</span>
                <span class="muted group-state-meaning" data-testid="group-state-meaning">{ state.meaning.clone() }</span>
                if !protocol.is_empty() {
                    <span class="muted">{ format!("assignor: {protocol}") }</span>
                }
                <button type="button" class="primary" onclick={on_step} data-testid="step">{ "Step (poll once)" }</button>
                <label class="toggle" title="Each consumer polls at the rate on its card"><input type="checkbox" checked={running} onchange={on_auto} data-testid="auto-run" />{ " Run the consumers (each at its own rate)" }</label>
            </div>

            <div class="member-cards" data-testid="member-cards">
                if members.is_empty() && others.is_empty() {
                    <p class="muted">{ "No consumers of yours in this group. Add one above; then add a second and watch the partitions split." }</p>
                }
                { for members.into_iter().map(|(card, state, idle)| html! {
                    <MemberCardView key={card.client_id.clone()} card={card.clone()} {state} {idle} outcome={outcome.clone()} />
                }) }
                { for others.iter().map(other_member_card) }
            </div>

            <div class="groups-layout">
                <div>
                    <h2>{ "Partitions" }</h2>
                    if rows.is_empty() {
                        <p class="muted">{ "No partitions yet: the group has no consumers and no committed offsets." }</p>
                    } else {
                        { partition_table(&rows) }
                    }
                    <p class="fine-print">{ "Committed is the group's offset in __consumer_offsets (the next record to read); \
                        position is where the owner reads next; lag is log end − committed, as kafka-consumer-groups.sh shows it." }</p>
                    <div class="card admin" aria-label="Reset offsets and delete the group">
                        <h2>{ "Reset offsets, delete the group" }</h2>
                        <p class="muted">{ "Kafka refuses both while the group has active members: stop them first." }</p>
                        <div class="inline-form">
                            <label>{ "Reset to " }
                                <select name="reset-target" onchange={on_target}>
                                    <option value="earliest" selected={*target == ResetTarget::Earliest}>{ "--to-earliest" }</option>
                                    <option value="latest" selected={*target == ResetTarget::Latest}>{ "--to-latest" }</option>
                                </select>
                            </label>
                            { reset_button("Dry run", false) }
                            { reset_button("Execute", true) }
                            <button type="button" class="danger" onclick={on_delete}>{ "Delete group" }</button>
                        </div>
                        { notice(&admin, "admin-result") }
                    </div>
                </div>
                <div>
                    <h2>{ "Timeline" }</h2>
                    <p class="muted">{ "Newest first." }</p>
                    <ul class="group-timeline" data-testid="group-timeline" aria-live="polite">
                        { for timeline.iter().map(|event| html! { <li>{ event.to_string() }</li> }) }
                    </ul>
                </div>
            </div>

            <StandaloneReader topics={topics.clone()} />
        </section>
    }
}
