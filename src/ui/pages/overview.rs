//! The first screen: what Brooklet is and the path through the playground.

use yew::prelude::*;

/// The overview page.
#[function_component(Overview)]
pub fn overview() -> Html {
    html! {
        <section class="overview" aria-labelledby="overview-title">
            <h1 id="overview-title">{ "Learn Kafka by running it" }</h1>
            <p class="lead">
                { "Brooklet runs a Kafka-faithful broker in WebAssembly inside this tab. Topics, \
                   partitions, offsets and consumer groups behave as they do in Apache Kafka — \
                   the same partitioner, the same assignors, the same command-line output." }
            </p>
            <ol class="journey">
                <li><strong>{ "Create a topic" }</strong>{ " and choose its partitions, retention and cleanup policy." }</li>
                <li><strong>{ "Produce keyed orders" }</strong>{ " and see which partition each key lands in, and why." }</li>
                <li><strong>{ "Start a consumer group" }</strong>{ " and watch partitions move when a member joins or leaves." }</li>
                <li><strong>{ "Type the real tools" }</strong>{ " — kafka-topics.sh, kafka-console-producer.sh, kafka-consumer-groups.sh." }</li>
            </ol>
            <p class="fine-print">
                { "Where Brooklet differs from a real cluster on purpose — one process, simulated \
                   brokers, browser storage — the page says so." }
            </p>
        </section>
    }
}
