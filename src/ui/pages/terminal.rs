//! The Terminal page: the dock's sessions maximised under a short list of example commands
//! (the course's first steps), each a button that puts it on the command line.
//!
//! Owns the examples and filling the input line with one. Must not run commands: the learner
//! presses Enter in the dock, which runs them.

use wasm_bindgen::JsCast;
use web_sys::{Event, HtmlTextAreaElement};
use yew::prelude::*;

use crate::ui::components::TERMINAL_INPUT_ID;

/// The course's first steps: (command, what it shows).
const EXAMPLES: &[(&str, &str)] = &[
    (
        "kafka-topics.sh --bootstrap-server localhost:9092 --create --topic orders --partitions 3",
        "Create a topic with 3 partitions.",
    ),
    (
        "kafka-topics.sh --bootstrap-server localhost:9092 --describe --topic orders",
        "One line per partition: its leader, replicas and in-sync replicas.",
    ),
    (
        "kafka-console-producer.sh --bootstrap-server localhost:9092 --topic orders --property parse.key=true --property key.separator=: <<EOF\nc-17:{\"order_id\":1,\"item\":\"espresso beans\"}\nc-42:{\"order_id\":2,\"item\":\"oat milk\"}\nc-17:{\"order_id\":3,\"item\":\"mug\"}\nEOF",
        "Produce keyed lines with a heredoc: the same key always lands in the same partition.",
    ),
    (
        "kafka-console-producer.sh --bootstrap-server localhost:9092 --topic orders --property parse.key=true --property key.separator=: < orders.jsonl",
        "Produce the bundled orders.jsonl (customer_id:json lines).",
    ),
    (
        "kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic orders --from-beginning --property print.key=true",
        "Read every record back with its key, partition by partition.",
    ),
];

/// Puts `command` on the dock's input line, as a paste would, and focuses it.
fn insert(command: &str) {
    let Some(element) = gloo::utils::document().get_element_by_id(TERMINAL_INPUT_ID) else {
        return;
    };
    let Ok(input) = element.dyn_into::<HtmlTextAreaElement>() else {
        return;
    };
    input.set_value(command);
    if let Ok(event) = Event::new("input") {
        // The dock's own input handler takes the new text; a refused dispatch changes nothing.
        let _ = input.dispatch_event(&event);
    }
    let _ = input.focus();
}

/// The Terminal page.
#[function_component(TerminalPage)]
pub fn terminal_page() -> Html {
    html! {
        <section class="terminal-page" aria-labelledby="terminal-title">
            <h1 id="terminal-title">{ "Terminal" }</h1>
            <p class="lead">{ "Kafka's own command-line tools, talking to this tab's cluster. \
                Click an example to put it on the command line, then press Enter. \
                The files orders.jsonl and producer.properties are there to read with < file." }</p>
            <ol class="term-examples" aria-label="Example commands">
                { for EXAMPLES.iter().map(|(command, what)| {
                    let onclick = Callback::from(move |_: MouseEvent| insert(command));
                    html! {
                        <li>
                            <button type="button" class="term-example" {onclick}
                                    title="Put this command on the command line">
                                <code>{ *command }</code>
                            </button>
                            <span class="muted">{ *what }</span>
                        </li>
                    }
                }) }
            </ol>
        </section>
    }
}
