//! One component per page; [`PageView`] picks the open one.

mod groups;
mod overview;
mod streams;
mod terminal;
mod topic;
mod topic_lanes;
mod topics;

use yew::prelude::*;

use super::model::Page;

/// Props of [`PageView`].
#[derive(Properties, PartialEq)]
pub struct PageViewProps {
    /// The page to show.
    pub page: Page,
}

/// Renders the open page.
#[function_component(PageView)]
pub fn page_view(props: &PageViewProps) -> Html {
    match &props.page {
        Page::Overview => html! { <overview::Overview /> },
        Page::Topics => html! { <topics::Topics /> },
        Page::Topic(name) => html! { <topic::TopicPage name={name.clone()} /> },
        Page::Terminal => html! { <terminal::TerminalPage /> },
        Page::Groups => html! { <groups::GroupsPage /> },
        Page::Streams => html! { <streams::StreamsPage /> },
    }
}
