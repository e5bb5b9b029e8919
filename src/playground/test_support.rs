//! Set-ups the engine's native tests share: a playground holding keyed orders on a manual
//! clock, and one whose produces wait for a store's acknowledgement.
//!
//! Owns only building those playgrounds through the engine's public doors (as a front end
//! would). Must not assert anything (each test says what it checks) nor be compiled outside
//! tests.

use std::rc::Rc;

use crate::broker::Broker;
use crate::clock::{ManualClock, SimulatedClock};

use super::engine::Playground;
use super::forms::{ProduceForm, TopicForm};

/// The manual clock's start in the shared set-ups (ms since the epoch, November 2023).
pub(crate) const START: i64 = 1_700_000_000_000;

/// A playground on a manual clock at [`START`] with `orders` (4 partitions) holding `count`
/// orders keyed `11000`, `11001`, … produced `gap_ms` apart (so order n has timestamp
/// `START + n × gap_ms`), and its clock.
pub(crate) fn orders_playground(count: usize, gap_ms: i64) -> (Playground, Rc<ManualClock>) {
    let real = Rc::new(ManualClock::new(START));
    let mut p = Playground::new(real.clone(), 7);
    let form = TopicForm {
        name: "orders".into(),
        partitions: "4".into(),
        ..TopicForm::default()
    };
    p.create_topic(&form).expect("created");
    for i in 0..count {
        let record = ProduceForm {
            key: format!("{}", 11_000 + i),
            value: format!(r#"{{"order_id":{i}}}"#),
            ..ProduceForm::default()
        };
        p.produce("orders", &record).expect("produced");
        real.advance(gap_ms);
    }
    (p, real)
}

/// A playground on `clock` whose produces are acknowledged only when the store has them
/// ([`Playground::acknowledge`]), as a tab with storage runs.
pub(crate) fn persistent_playground_on(clock: &Rc<ManualClock>) -> Playground {
    let simulated = SimulatedClock::new(clock.clone());
    let broker = Broker::new(Rc::new(simulated.clone()), 1);
    Playground::with_broker(broker, simulated, 1, true)
}

/// [`persistent_playground_on`] a manual clock at 0.
pub(crate) fn persistent_playground() -> Playground {
    persistent_playground_on(&Rc::new(ManualClock::new(0)))
}
