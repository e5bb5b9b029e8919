//! A topic's partitions as lanes of records, with marks for log start, high watermark, log
//! end, segment starts, each group's committed offset and each live consumer's position.
//!
//! Owns drawing the lanes and their legend, and re-renders on its own as records arrive and
//! consumers move (its areas: the topic's partitions and the groups), so the rest of the topic
//! page — its forms — does not. Must not hold log or group logic: the playground's query
//! methods give the lanes and the marks.

use yew::prelude::*;

use crate::playground::lane_marks::{place, LaneMark, MarkKind};
use crate::playground::Area;
use crate::ui::context::use_area;

/// How many of the newest records each lane shows.
const LANE_CELLS: i64 = 40;

/// One mark in a lane: a group's committed offset or a live consumer's position.
fn mark_view(mark: &LaneMark) -> Html {
    let class = match &mark.kind {
        MarkKind::Committed { .. } => classes!("mark", "mark-committed"),
        MarkKind::Position { colour, .. } => {
            classes!("mark", "mark-position", format!("member-{colour}"))
        }
        MarkKind::Query { .. } => classes!("mark", "mark-query"),
    };
    html! {
        <li {class} title={mark.explain()} data-offset={mark.offset.to_string()}>{ mark.label() }</li>
    }
}

/// The legend above the lanes: what each mark means. Its samples are written with
/// placeholders (`‹group› committed ‹offset›`), so they cannot be taken for this topic's data.
fn legend(has_marks: bool) -> Html {
    html! {
        <div class="lane-legend" aria-label="What the marks in the lanes mean" data-testid="lane-legend">
            <strong class="legend-title">{ "Legend" }</strong>
            <span><span class="swatch swatch-segment" aria-hidden="true"></span>{ "a segment starts here" }</span>
            <span><span class="mark mark-bound legend-sample">{ "log start ‹n›" }</span>{ " first offset still held" }</span>
            <span><span class="mark mark-bound legend-sample">{ "HW ‹n›" }</span>{ " high watermark: consumers read up to here" }</span>
            <span><span class="mark mark-bound legend-sample">{ "LEO ‹n›" }</span>{ " log end offset (equals HW on one broker)" }</span>
            <span><span class="mark mark-committed legend-sample">{ "‹group› committed ‹n›" }</span>{ " a group's committed offset: the next record it reads after a restart" }</span>
            <span><span class="mark mark-position member-0 legend-sample">{ "‹consumer› at ‹n›" }</span>{ " a live consumer's position (its colour on the groups page)" }</span>
            <span><span class="mark mark-query legend-sample">{ "‹query› at ‹n›" }</span>{ " a Spark query's next batch starts here (" }<a href="#/streams">{ "Streams" }</a>{ ")" }</span>
            if !has_marks {
                <span class="muted">{ "No group has read this topic yet: start consumers on the " }<a href="#/groups">{ "Consumer groups" }</a>{ " page to see them here." }</span>
            }
        </div>
    }
}

/// Props of [`TopicLanes`].
#[derive(Properties, PartialEq)]
pub struct TopicLanesProps {
    /// The topic.
    pub name: String,
    /// Opens a record in the drawer: (partition, offset).
    pub on_open: Callback<(i32, i64)>,
}

/// The lanes of one topic.
#[function_component(TopicLanes)]
pub fn topic_lanes(props: &TopicLanesProps) -> Html {
    let store = use_area(vec![
        Area::Partitions(props.name.clone()),
        Area::Groups,
        Area::Streams,
    ]);
    let on_open = props.on_open.clone();
    let (lanes, marks) = {
        let playground = store.read();
        let mut marks = playground
            .groups()
            .map(|g| g.lane_marks(&props.name))
            .unwrap_or_default();
        marks.extend(playground.query_marks(&props.name));
        (playground.lanes(&props.name, LANE_CELLS), marks)
    };
    let Ok(lanes) = lanes else {
        return html! {};
    };
    let open_cell = |at: (i32, i64)| {
        let (on_click, on_key) = (on_open.clone(), on_open.clone());
        let click = Callback::from(move |_: MouseEvent| on_click.emit(at));
        let key = Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" || e.key() == " " {
                e.prevent_default();
                on_key.emit(at);
            }
        });
        (click, key)
    };

    html! {
                <div class="lanes" aria-label="Partitions">
        { legend(!marks.is_empty()) }
        { for lanes.iter().map(|lane| {
            let offsets: Vec<i64> = lane.cells.iter().map(|c| c.offset).collect();
            let slots = place(&marks, lane.partition, &offsets);
            let at_start = lane.cells.first().is_some_and(|c| c.offset == lane.log_start_offset);
            html! {
            <div class="lane" data-partition={lane.partition.to_string()}>
                <div class="lane-head">
                    <strong>{ format!("Partition {}", lane.partition) }</strong>
                    <span>{ format!("leader {}", lane.leader.map_or("none".to_owned(), |l| l.to_string())) }</span>
                    <span title="The first offset still held; retention moves it">{ format!("log start {}", lane.log_start_offset) }</span>
                    <span title="Consumers read up to here">{ format!("high watermark {}", lane.high_watermark) }</span>
                    <span>{ format!("log end {}", lane.log_end_offset) }</span>
                    <span>{ format!("{} segment(s)", lane.segments) }</span>
                </div>
                <ol class="cells">
                    if lane.log_start_offset > 0 && at_start {
                        <li class="cell removed" title="Deleted by retention">{ format!("0–{}", lane.log_start_offset - 1) }</li>
                    }
                    if at_start || lane.cells.is_empty() {
                        <li class="mark mark-bound" title="Log start offset: the first offset still held">{ format!("log start {}", lane.log_start_offset) }</li>
                    }
                    { for lane.cells.iter().zip(&slots).map(|(cell, before)| {
                        let (onclick, onkeydown) = open_cell((lane.partition, cell.offset));
                        html! {
                            <>
                            { for before.iter().map(mark_view) }
                            <li class={classes!("cell", cell.colour.map(|c| format!("key-{c}")), cell.segment_start.then_some("segment-start"))}
                                title={format!("offset {} · key {} · {}", cell.offset, cell.key, cell.value_preview)}
                                role="button" tabindex="0" {onclick} {onkeydown}>
                                <span class="offset">{ cell.offset }</span>
                                <span class="key">{ &cell.key }</span>
                            </li>
                            </>
                        }
                    }) }
                    if lane.cells.is_empty() {
                        <li class="cell empty">{ "empty" }</li>
                    }
                    { for slots.last().into_iter().flatten().map(mark_view) }
                    <li class="mark mark-bound" title="High watermark: consumers read up to here; the next record produced gets this offset">{ format!("HW {}", lane.high_watermark) }</li>
                    if lane.log_end_offset != lane.high_watermark {
                        <li class="mark mark-bound" title="Log end offset">{ format!("LEO {}", lane.log_end_offset) }</li>
                    }
                </ol>
            </div>
        } }) }
    </div>
    }
}
