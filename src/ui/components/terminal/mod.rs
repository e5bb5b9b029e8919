//! The terminal dock at the bottom of the playground, like an editor's integrated terminal:
//! tabs (+ to open, × to close), each a session's scrollback and an input line after the
//! console's prompt; minimise and grow buttons; the Terminal page shows it maximised.
//!
//! Owns turning keys into [`TerminalAction`]s for the engine's terminal (Enter, Shift+Enter,
//! ↑/↓, Tab, Ctrl-C, Ctrl-D, Ctrl-L, Esc), the Stop button, keeping the command history and
//! the dock's size in localStorage. Must not interpret commands, keep Kafka state or poll:
//! the engine's terminal runs the commands, and its `tick` (the shell's one timer) polls the
//! running console consumers.

mod scrollback;

use gloo::storage::{LocalStorage, Storage};
use web_sys::{HtmlElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::playground::action::TerminalAction;
use crate::playground::terminal::{DockSize, Session, Terminal};
use crate::playground::{Action, Area, Outcome};
use crate::ui::components::event_value;
use crate::ui::context::{use_area, use_view};
use crate::ui::model::Page;
use crate::ui::view_settings;
use scrollback::Scrollback;

/// The `id` of the input line, so the Terminal page's examples can fill it.
pub const INPUT_ID: &str = "terminal-input";

/// The keys the dock understands, as shown under it.
const KEYS_HINT: &str = "Enter runs · Shift+Enter adds a line · Tab completes · ↑↓ history · PgUp/PgDn scroll · Ctrl-C interrupts · Ctrl-D ends input · Ctrl-L clears · Esc leaves";

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

fn tab_id(session: u32) -> String {
    format!("terminal-tab-{session}")
}

/// The dock: opened in the engine the first time, then drawn by [`DockView`].
#[function_component(TerminalDock)]
pub fn terminal_dock() -> Html {
    let store = use_area(vec![Area::Terminal]);
    // The first time: open the dock with the history and size an earlier visit kept.
    {
        let store = store.clone();
        use_effect_with((), move |_| {
            if store.read().terminal().is_none() {
                let history = load_history();
                // The size an earlier visit chose; minimised on a first visit.
                let size = view_settings::load().dock();
                // Opening the dock cannot be refused.
                let _ = store.dispatch(Action::Terminal(TerminalAction::Restore { history, size }));
            }
        });
    }
    if store.read().terminal().is_none() {
        return html! { <section class="terminal-dock minimised" aria-label="Terminal" data-testid="terminal" /> };
    }
    html! { <DockView /> }
}

/// The open dock's tabs, scrollback and input line.
#[function_component(DockView)]
fn dock_view() -> Html {
    // The dock's sessions, and storage (a tab that turned read-only turns its commands off).
    let store = use_area(vec![Area::Terminal, Area::Storage]);
    let view = use_view();
    let input_ref = use_node_ref();
    let body_ref = use_node_ref();
    let focus_input = use_mut_ref(|| false);

    let maximised = view.0.page == Page::Terminal;
    let playground = store.read();
    let read_only = playground.read_only().map(str::to_owned);
    let Some(t) = playground.terminal() else {
        // The dock is drawn only once the engine opened it (see `TerminalDock`).
        return html! {};
    };
    let size = if maximised { DockSize::Tall } else { t.size() };
    let active = t.active();
    let active_id = active.map(Session::id);
    let revision = active.map_or(0, Session::revision);
    let input = active.map(|s| s.input().to_owned()).unwrap_or_default();
    let prompt = active.map_or("$ ", Session::prompt);
    let running = active.is_some_and(Session::is_following);
    let follow_hint = active.and_then(Session::follow_hint);

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

    // Runs a dock action in the engine; answers which tab it showed, for a neighbour pick.
    let act = {
        let (store, focus_input) = (store.clone(), focus_input.clone());
        move |action: TerminalAction, focus: bool| -> Option<u32> {
            let size_of = |store: &crate::ui::context::PlaygroundHandle| {
                store.read().terminal().map(Terminal::size)
            };
            let size_before = size_of(&store);
            let submitted = action == TerminalAction::Submit;
            // A refused command (a read-only tab) leaves the dock as it was; its input line
            // is hidden then anyway.
            let outcome = store.dispatch(Action::Terminal(action));
            let size_after = size_of(&store);
            if let (Some(before), Some(after)) = (size_before, size_after) {
                if maximised && after != before {
                    // On the Terminal page the dock fills the page whatever its size: opening
                    // or picking a tab there is not a choice to show the dock on other pages.
                    let _ = store.dispatch(Action::Terminal(TerminalAction::Resize(before)));
                } else if after != before {
                    view_settings::update(|kept| kept.with_dock(after));
                }
            }
            if submitted {
                if let Some(t) = store.read().terminal() {
                    save_history(t);
                }
            }
            if focus {
                *focus_input.borrow_mut() = true;
            }
            match outcome {
                Ok(Outcome::Tab(shown)) => shown,
                _ => None,
            }
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
            let action = match key.as_str() {
                "Enter" if !ctrl && !e.shift_key() => TerminalAction::Submit,
                "ArrowUp" if !ctrl && single_line => TerminalAction::HistoryPrevious,
                "ArrowDown" if !ctrl && single_line => TerminalAction::HistoryNext,
                // On an empty line Tab moves focus on as usual, so the dock is no trap.
                "Tab" if !ctrl && !e.shift_key() && !empty => TerminalAction::Complete,
                "c" | "C" if ctrl && !has_selection(input_ref.cast().as_ref()) => {
                    TerminalAction::Interrupt
                }
                "d" | "D" if ctrl && empty => TerminalAction::EndOfInput,
                "l" | "L" if ctrl => TerminalAction::Clear,
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
            act(action, false);
        })
    };
    let oninput = {
        let act = act.clone();
        Callback::from(move |e: InputEvent| {
            act(TerminalAction::SetInput(event_value(&e)), false);
        })
    };
    let on_new = {
        let act = act.clone();
        Callback::from(move |_: MouseEvent| {
            act(TerminalAction::Open, true);
        })
    };
    let on_minimise = {
        let act = act.clone();
        Callback::from(move |_: MouseEvent| {
            act(TerminalAction::ToggleMinimised, false);
        })
    };
    let on_tall = {
        let act = act.clone();
        Callback::from(move |_: MouseEvent| {
            act(TerminalAction::ToggleTall, true);
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
                act(TerminalAction::Select(id), true);
            })
        };
        let on_close = {
            let act = act.clone();
            Callback::from(move |_: MouseEvent| {
                act(TerminalAction::Close(id), false);
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
                if let Some(id) = act(TerminalAction::SelectNeighbour { forward }, false) {
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
            act(TerminalAction::Interrupt, true);
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
                <Scrollback store={store.clone()} session={id} {revision} />
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
