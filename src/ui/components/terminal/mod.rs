//! The terminal dock at the bottom of the playground, like an editor's integrated terminal:
//! tabs (+ to open, × to close), each a session's scrollback and an input line after the
//! console's prompt; minimise and grow buttons; the Terminal page shows it maximised.
//!
//! Owns turning keys into calls on the plain-Rust [`Terminal`] (Enter, Shift+Enter, ↑/↓,
//! Tab, Ctrl-C, Ctrl-D, Ctrl-L, Esc), the timer that polls running console consumers (every
//! 250 ms, only while one runs) with its Stop button, and telling the playground after a
//! command ran, so other views re-render and the change is stored. Must not interpret
//! commands or keep Kafka state: the sessions' consoles talk to the playground's own broker
//! and its group coordinator.

mod scrollback;

use std::cell::Cell;
use std::rc::Rc;

use gloo::storage::{LocalStorage, Storage};
use gloo::timers::callback::Interval;
use web_sys::{HtmlElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::playground::terminal::{key_runs_command, DockSize, Effect, Session, Terminal};
use crate::ui::components::event_value;
use crate::ui::context::{after_change, use_playground, use_view, PlaygroundContext};
use crate::ui::model::Page;
use crate::ui::view_settings;
use scrollback::Scrollback;

/// The `id` of the input line, so the Terminal page's examples can fill it.
pub const INPUT_ID: &str = "terminal-input";

/// The keys the dock understands, as shown under it.
const KEYS_HINT: &str = "Enter runs · Shift+Enter adds a line · Tab completes · ↑↓ history · PgUp/PgDn scroll · Ctrl-C interrupts · Ctrl-D ends input · Ctrl-L clears · Esc leaves";

/// How often running console consumers poll, in ms.
const FOLLOW_POLL_MS: u32 = 250;

/// Whether a dock action can run a command, and so append records a console producer sent.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Runs {
    /// Enter, Ctrl-C, Ctrl-D, closing a session or stopping its consumer.
    Command,
    /// Typing, history, completion, tabs and sizes: no command runs.
    Nothing,
}

/// Where the page keeps the terminal's command history between visits, as a shell keeps its
/// history file.
pub const HISTORY_KEY: &str = "brooklet.terminal.history";

/// The commands an earlier visit typed; none when there are none or they cannot be read.
fn load_history() -> Vec<String> {
    LocalStorage::get(HISTORY_KEY).unwrap_or_default()
}

/// Keeps the commands for the next visit. A full or disabled localStorage only means the
/// history is not kept, which is not worth interrupting the learner for.
fn save_history(terminal: &Terminal) {
    let _ = LocalStorage::set(HISTORY_KEY, terminal.shared_history());
}

/// After a command ran: tell the timeline, re-render the other views and store what changed.
fn settle(store: &PlaygroundContext, effect: Effect) {
    if !effect.ran {
        return;
    }
    store.playground.borrow_mut().absorb_changes();
    after_change(store);
}

/// True when the learner has text selected (in the page or in the input), so Ctrl-C copies.
fn has_selection(input: Option<&HtmlTextAreaElement>) -> bool {
    let page = gloo::utils::window()
        .get_selection()
        .ok()
        .flatten()
        .is_some_and(|s| !s.is_collapsed());
    let typed = input.is_some_and(|i| {
        matches!(
            (i.selection_start(), i.selection_end()),
            (Ok(Some(a)), Ok(Some(b))) if a != b
        )
    });
    page || typed
}

fn focus_element(id: &str) {
    if let Some(element) = gloo::utils::document().get_element_by_id(id) {
        if let Ok(element) = wasm_bindgen::JsCast::dyn_into::<HtmlElement>(element) {
            // Focusing a live element cannot fail in a way worth reporting.
            let _ = element.focus();
        }
    }
}

/// Brings the dock to `size` with the toggles the plain-Rust terminal offers.
fn resize(terminal: &mut Terminal, size: DockSize) {
    if (terminal.size() == DockSize::Minimised) != (size == DockSize::Minimised) {
        terminal.toggle_minimised();
    }
    if (terminal.size() == DockSize::Tall) != (size == DockSize::Tall) {
        terminal.toggle_tall();
    }
}

fn tab_id(session: u32) -> String {
    format!("terminal-tab-{session}")
}

/// The dock.
#[function_component(TerminalDock)]
pub fn terminal_dock() -> Html {
    let store = use_playground();
    let view = use_view();
    let terminal = {
        let playground = Rc::clone(&store.playground);
        use_mut_ref(move || {
            let seed = js_sys::Date::now() as u64;
            let mut playground = playground.borrow_mut();
            let broker = playground.broker();
            // One coordinator for the terminal and the groups page, so each sees the other's
            // members; if __consumer_offsets cannot be read, each session loads its own and
            // reports the error when a command needs the groups.
            let mut terminal = match playground.shared_groups() {
                Ok(groups) => Terminal::with_groups(broker, groups, seed),
                Err(_) => Terminal::new(broker, seed),
            };
            terminal.set_store_acknowledgements(playground.store_acknowledgements());
            terminal.remember(load_history());
            // The size an earlier visit chose; minimised on a first visit.
            resize(&mut terminal, view_settings::load().dock());
            terminal
        })
    };
    let redraw = use_force_update();
    let input_ref = use_node_ref();
    let body_ref = use_node_ref();
    let focus_input = use_mut_ref(|| false);

    let maximised = view.0.page == Page::Terminal;
    let read_only = store.playground.borrow().read_only().map(str::to_owned);
    let t = terminal.borrow();
    let size = if maximised { DockSize::Tall } else { t.size() };
    let active = t.active();
    let active_id = active.map(Session::id);
    let revision = active.map_or(0, Session::revision);
    let input = active.map(|s| s.input().to_owned()).unwrap_or_default();
    let prompt = active.map_or("$ ", Session::prompt);
    let running = active.is_some_and(Session::is_following);
    let follow_hint = active.and_then(Session::follow_hint);
    let any_running = t.is_following();

    // Keep the newest output in view.
    {
        let body_ref = body_ref.clone();
        let input_lines = input.lines().count();
        use_effect_with((active_id, revision, input_lines, size), move |_| {
            if let Some(body) = body_ref.cast::<HtmlElement>() {
                body.set_scroll_top(body.scroll_height() as f64);
            }
        });
    }
    // Opening the Terminal page puts the cursor on the command line.
    {
        let input_ref = input_ref.clone();
        use_effect_with(maximised, move |maximised| {
            if *maximised {
                if let Some(input) = input_ref.cast::<HtmlElement>() {
                    let _ = input.focus();
                }
            }
        });
    }
    // Focus the input after an action that asked for it (a new or selected tab).
    {
        let focus_input = focus_input.clone();
        let input_ref = input_ref.clone();
        use_effect(move || {
            if focus_input.replace(false) {
                if let Some(input) = input_ref.cast::<HtmlElement>() {
                    let _ = input.focus();
                }
            }
        });
    }

    // While a console consumer runs in any session, poll them all on a timer.
    {
        let (terminal, redraw, store) = (terminal.clone(), redraw.clone(), store.clone());
        use_effect_with(any_running, move |running| {
            let interval = running.then(|| {
                Interval::new(FOLLOW_POLL_MS, move || {
                    // A tab that lost the playground to another must not write: its running
                    // consumers stop polling (and committing), as if their process was gone.
                    if store.playground.borrow().read_only().is_some() {
                        return;
                    }
                    let effect = terminal.borrow_mut().poll_following();
                    if effect.shown {
                        redraw.force_update();
                    }
                    settle(&store, effect);
                })
            });
            move || drop(interval)
        });
    }

    // The store acknowledged or lost records: the console producers' delivery callbacks
    // print Kafka's producer error in their session for a send that failed.
    {
        let (terminal, redraw) = (terminal.clone(), redraw.clone());
        use_effect_with(store.revision, move |_| {
            if terminal.borrow_mut().poll_deliveries() {
                redraw.force_update();
            }
        });
    }

    let act = {
        let (terminal, redraw, store, focus_input) = (
            terminal.clone(),
            redraw.clone(),
            store.clone(),
            focus_input.clone(),
        );
        move |change: Box<dyn FnOnce(&mut Terminal) -> Effect>, focus: bool, _runs: Runs| {
            let effect = {
                let mut t = terminal.borrow_mut();
                let size_before = t.size();
                let effect = change(&mut t);
                if maximised {
                    // On the Terminal page the dock fills the page whatever its size: opening
                    // or picking a tab there is not a choice to show the dock on other pages.
                    resize(&mut t, size_before);
                } else if t.size() != size_before {
                    let size = t.size();
                    view_settings::update(|kept| kept.with_dock(size));
                }
                effect
            };
            if focus {
                *focus_input.borrow_mut() = true;
            }
            redraw.force_update();
            settle(&store, effect);
        }
    };

    let onkeydown = {
        let (act, input_ref, body_ref) = (act.clone(), input_ref.clone(), body_ref.clone());
        let (single_line, empty) = (!input.contains('\n'), input.is_empty());
        Callback::from(move |e: KeyboardEvent| {
            if e.is_composing() || e.alt_key() || e.meta_key() {
                return;
            }
            let ctrl = e.ctrl_key();
            let key = e.key();
            let change: Box<dyn FnOnce(&mut Terminal) -> Effect> = match key.as_str() {
                "Enter" if !ctrl && !e.shift_key() => Box::new(|t: &mut Terminal| {
                    let effect = t.submit();
                    save_history(t);
                    effect
                }),
                "ArrowUp" if !ctrl && single_line => Box::new(|t: &mut Terminal| {
                    t.with_active(|s| {
                        s.history_previous();
                        Effect::default()
                    })
                }),
                "ArrowDown" if !ctrl && single_line => Box::new(|t: &mut Terminal| {
                    t.with_active(|s| {
                        s.history_next();
                        Effect::default()
                    })
                }),
                // On an empty line Tab moves focus on as usual, so the dock is no trap.
                "Tab" if !ctrl && !e.shift_key() && !empty => Box::new(|t: &mut Terminal| {
                    t.with_active(|s| {
                        s.complete();
                        Effect::default()
                    })
                }),
                "c" | "C" if ctrl && !has_selection(input_ref.cast().as_ref()) => {
                    Box::new(|t: &mut Terminal| t.with_active(Session::interrupt))
                }
                "d" | "D" if ctrl && empty => {
                    Box::new(|t: &mut Terminal| t.with_active(Session::end_of_input))
                }
                "l" | "L" if ctrl => Box::new(|t: &mut Terminal| {
                    t.with_active(|s| {
                        s.clear();
                        Effect::default()
                    })
                }),
                "PageUp" | "PageDown" if !ctrl => {
                    e.prevent_default();
                    if let Some(body) = body_ref.cast::<HtmlElement>() {
                        let page = f64::from(body.client_height()) * 0.9;
                        let step = if key == "PageUp" { -page } else { page };
                        body.set_scroll_top(body.scroll_top() + step);
                    }
                    return;
                }
                "Escape" => {
                    e.prevent_default();
                    let Some(id) = active_id else { return };
                    focus_element(&tab_id(id));
                    return;
                }
                _ => return,
            };
            e.prevent_default();
            let runs = if key_runs_command(&key, ctrl, e.shift_key()) {
                Runs::Command
            } else {
                Runs::Nothing
            };
            act(change, false, runs);
        })
    };
    let oninput = {
        let act = act.clone();
        Callback::from(move |e: InputEvent| {
            let text = event_value(&e);
            act(
                Box::new(move |t: &mut Terminal| {
                    if let Some(s) = t.active_mut() {
                        s.set_input(text);
                    }
                    Effect::default()
                }),
                false,
                Runs::Nothing,
            );
        })
    };
    let on_new = {
        let act = act.clone();
        Callback::from(move |_: MouseEvent| {
            act(
                Box::new(|t: &mut Terminal| {
                    t.open();
                    Effect::default()
                }),
                true,
                Runs::Nothing,
            );
        })
    };
    let on_minimise = {
        let act = act.clone();
        Callback::from(move |_: MouseEvent| {
            act(
                Box::new(|t: &mut Terminal| {
                    t.toggle_minimised();
                    Effect::default()
                }),
                false,
                Runs::Nothing,
            );
        })
    };
    let on_tall = {
        let act = act.clone();
        Callback::from(move |_: MouseEvent| {
            act(
                Box::new(|t: &mut Terminal| {
                    t.toggle_tall();
                    Effect::default()
                }),
                true,
                Runs::Nothing,
            );
        })
    };
    // A click in the output focuses the input, unless it ended a text selection (to copy).
    let on_body_click = {
        let input_ref = input_ref.clone();
        Callback::from(move |_: MouseEvent| {
            if !has_selection(None) {
                if let Some(input) = input_ref.cast::<HtmlElement>() {
                    let _ = input.focus();
                }
            }
        })
    };

    let tabs = t.sessions().iter().map(|s| {
        let id = s.id();
        let selected = Some(id) == active_id;
        let on_select = {
            let act = act.clone();
            Callback::from(move |_: MouseEvent| {
                act(
                    Box::new(move |t: &mut Terminal| {
                        t.select(id);
                        Effect::default()
                    }),
                    true, Runs::Nothing,
                );
            })
        };
        let on_close = {
            let act = act.clone();
            Callback::from(move |_: MouseEvent| {
                act(Box::new(move |t: &mut Terminal| t.close(id)), false, Runs::Command);
            })
        };
        let on_tab_key = {
            let act = act.clone();
            Callback::from(move |e: KeyboardEvent| {
                let forward = match e.key().as_str() {
                    "ArrowRight" => true,
                    "ArrowLeft" => false,
                    _ => return,
                };
                e.prevent_default();
                let shown = Rc::new(Cell::new(None));
                let (shown_in, shown_out) = (Rc::clone(&shown), shown);
                act(
                    Box::new(move |t: &mut Terminal| {
                        shown_in.set(t.select_neighbour(forward));
                        Effect::default()
                    }),
                    false, Runs::Nothing,
                );
                if let Some(id) = shown_out.get() {
                    focus_element(&tab_id(id));
                }
            })
        };
        let title = s.title();
        html! {
            <div class={classes!("term-tab", selected.then_some("selected"))} key={id}>
                <button type="button" role="tab" id={tab_id(id)} aria-selected={selected.to_string()}
                        aria-controls="terminal-panel" tabindex={if selected { "0" } else { "-1" }}
                        onclick={on_select} onkeydown={on_tab_key}>
                    { title.clone() }
                    if s.is_reading_stdin() {
                        <span class="term-busy" title="A producer is reading this terminal (Ctrl-D ends it)">{ " ●" }</span>
                    }
                    if s.is_following() {
                        <span class="term-busy" title="A console consumer is running in this terminal (Ctrl-C stops it)">{ " ●" }</span>
                    }
                </button>
                <button type="button" class="term-close" aria-label={format!("Close {title}")}
                        title={format!("Close {title}")} onclick={on_close}>{ "×" }</button>
            </div>
        }
    });

    let size_class = match size {
        DockSize::Minimised => "minimised",
        DockSize::Normal => "normal",
        DockSize::Tall => "tall",
    };
    let rows = input.split('\n').count().clamp(1, 12).to_string();
    let on_stop = {
        let act = act.clone();
        Callback::from(move |_: MouseEvent| {
            act(
                Box::new(|t: &mut Terminal| t.with_active(Session::interrupt)),
                true,
                Runs::Command,
            );
        })
    };

    let body = match (size, active_id) {
        (DockSize::Minimised, _) => html! {},
        (_, None) => html! {
            <div class="term-empty">
                <p>{ "No terminal open." }</p>
                <button type="button" class="primary" onclick={on_new.clone()}>{ "New terminal" }</button>
            </div>
        },
        (_, Some(id)) => html! {
            <>
            <div class="term-body" id="terminal-panel" role="tabpanel" aria-labelledby={tab_id(id)}
                 ref={body_ref} onclick={on_body_click}>
                <Scrollback terminal={terminal.clone()} session={id} {revision} />
                if let Some(reason) = &read_only {
                    <p class="term-read-only" role="status">{ format!("Commands are off: {reason}") }</p>
                } else {
                    if running {
                        <div class="term-running" role="status" data-testid="terminal-running">
                            <span>{ follow_hint.unwrap_or_else(|| "kafka-console-consumer.sh is running: new records appear as they arrive. Lines typed now are not run.".to_owned()) }</span>
                            <button type="button" class="term-stop" onclick={on_stop}
                                    data-testid="terminal-stop" title="Stop the consumer (Ctrl-C)">{ "Stop (Ctrl-C)" }</button>
                        </div>
                    }
                    <div class="term-input-line">
                        <label class="term-prompt" for={INPUT_ID} data-testid="terminal-prompt">{ prompt }</label>
                        <textarea id={INPUT_ID} ref={input_ref} class="term-input" rows={rows}
                            value={input.clone()} {oninput} {onkeydown}
                            spellcheck="false" autocomplete="off" autocapitalize="off" autocorrect="off"
                            aria-label="Command" aria-describedby="terminal-keys" />
                    </div>
                }
            </div>
            <p class="term-keys" id="terminal-keys">{ KEYS_HINT }</p>
            </>
        },
    };

    html! {
        <section class={classes!("terminal-dock", size_class, maximised.then_some("maximised"))}
                 aria-label="Terminal" data-testid="terminal">
            <div class="term-bar">
                <div class="term-tabs" role="tablist" aria-label="Terminal sessions">
                    { for tabs }
                </div>
                <button type="button" class="term-new" aria-label="New terminal" title="New terminal"
                        onclick={on_new}>{ "+" }</button>
                <span class="term-spacer"></span>
                if !maximised {
                    if size != DockSize::Minimised {
                        <button type="button" class="term-size" onclick={on_tall}
                                aria-label={if size == DockSize::Tall { "Make the terminal smaller" } else { "Make the terminal taller" }}
                                title={if size == DockSize::Tall { "Smaller" } else { "Taller" }}>
                            { if size == DockSize::Tall { "▾" } else { "▴" } }
                        </button>
                    }
                    <button type="button" class="term-size" onclick={on_minimise}
                            aria-expanded={(size != DockSize::Minimised).to_string()}
                            aria-label={if size == DockSize::Minimised { "Show the terminal" } else { "Minimise the terminal" }}
                            title={if size == DockSize::Minimised { "Show the terminal" } else { "Minimise" }}>
                        { if size == DockSize::Minimised { "▴ Show the terminal" } else { "–" } }
                    </button>
                }
            </div>
            { body }
        </section>
    }
}
