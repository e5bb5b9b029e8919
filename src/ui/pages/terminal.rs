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
        "Create a topic with 3 partitions",
    ),
    (
        "kafka-topics.sh --bootstrap-server localhost:9092 --describe --topic orders",
        "Describe it: one line per partition",
    ),
    (
        "kafka-console-producer.sh --bootstrap-server localhost:9092 --topic orders --property parse.key=true --property key.separator=: <<EOF\nc-17:{\"order_id\":1,\"item\":\"espresso beans\"}\nc-42:{\"order_id\":2,\"item\":\"oat milk\"}\nc-17:{\"order_id\":3,\"item\":\"mug\"}\nEOF",
        "Produce keyed lines with a heredoc",
    ),
    (
        "kafka-console-producer.sh --bootstrap-server localhost:9092 --topic orders --property parse.key=true --property key.separator=: < orders.jsonl",
        "Produce orders.jsonl, keyed by customer",
    ),
    (
        "kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic orders --from-beginning --property print.key=true",
        "Consume from the beginning, with keys",
    ),
    (
        "pyspark <<'EOF'\ndf = spark.readStream.format(\"kafka\").option(\"kafka.bootstrap.servers\", \"localhost:9092\").option(\"subscribe\", \"orders\").option(\"startingOffsets\", \"earliest\").option(\"maxOffsetsPerTrigger\", 50).load()\nquery = df.selectExpr(\"CAST(key AS STRING)\", \"CAST(value AS STRING)\").writeStream.outputMode(\"append\").format(\"console\").start()\nquery.processAllAvailable()\nEOF",
        "Read it with Spark: the course's first stream",
    ),
];

/// The command's first line, with `…` when a heredoc body follows.
fn first_line(command: &str) -> String {
    match command.split_once('\n') {
        Some((first, _)) => format!("{first} …"),
        None => command.to_owned(),
    }
}

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
                Click a step to put its command on the line below, then press Enter. \
                orders.jsonl and producer.properties are there to read with < file. \
                A console consumer keeps printing new records, from another tab or the produce \
                panel, until Ctrl-C (or Stop). pyspark runs the course's Spark code on these \
                topics." }</p>
            <ol class="term-examples" aria-label="Example commands">
                { for EXAMPLES.iter().map(|(command, what)| {
                    let onclick = Callback::from(move |_: MouseEvent| insert(command));
                    html! {
                        <li>
                            <button type="button" class="term-example" {onclick} title={*command}>
                                <span class="term-example-what">{ *what }</span>
                                <code>{ first_line(command) }</code>
                            </button>
                        </li>
                    }
                }) }
            </ol>
        </section>
    }
}
