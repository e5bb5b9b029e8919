//! A session's scrollback as plain, selectable text: one line per element, coloured by stream
//! (stderr in red, except a notice such as the console consumer's closing count).
//!
//! Owns drawing the lines only, and skips redrawing while just the typed text changes (its
//! props compare the session's revision). Must not change the session.

use yew::prelude::*;

use crate::playground::stderr_notice::is_notice;
use crate::playground::terminal::Stream;
use crate::ui::context::PlaygroundHandle;

/// Props of [`Scrollback`].
#[derive(Properties, Clone)]
pub struct ScrollbackProps {
    /// The engine, whose terminal holds the session.
    pub store: PlaygroundHandle,
    /// The session to draw.
    pub session: u32,
    /// The session's scrollback revision: a new one redraws.
    pub revision: u64,
}

impl PartialEq for ScrollbackProps {
    fn eq(&self, other: &Self) -> bool {
        self.store == other.store
            && self.session == other.session
            && self.revision == other.revision
    }
}

/// The lines a session printed.
#[function_component(Scrollback)]
pub fn scrollback(props: &ScrollbackProps) -> Html {
    let playground = props.store.read();
    let Some(session) = playground
        .terminal()
        .and_then(|t| t.sessions().iter().find(|s| s.id() == props.session))
    else {
        return html! {};
    };
    html! {
        <div class="term-lines" data-testid="terminal-output" role="log" aria-label="Terminal output">
            { for session.lines().iter().map(|line| html! {
                <div class={classes!("term-line", line.stream.name(),
                        (line.stream == Stream::Stderr && is_notice(&line.text)).then_some("notice"))}
                    data-stream={line.stream.name()}>
                    { line.text.clone() }
                </div>
            }) }
        </div>
    }
}
