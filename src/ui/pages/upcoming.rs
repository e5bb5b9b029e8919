//! An honest notice for a page whose feature has not shipped in this build.

use yew::prelude::*;

use crate::ui::model::Page;

/// Props of [`Upcoming`].
#[derive(Properties, PartialEq)]
pub struct UpcomingProps {
    /// The page that is not built yet.
    pub page: Page,
}

/// Says plainly that this part of the playground is not in this build yet, and what to use.
#[function_component(Upcoming)]
pub fn upcoming(props: &UpcomingProps) -> Html {
    html! {
        <section class="upcoming">
            <h1>{ props.page.title() }</h1>
            <p>{ "Not in this build yet. The broker core it stands on ships first; until then, \
                  topics, producing and retention are ready on the Topics page." }</p>
            <p><a href="#/topics">{ "Go to the topics" }</a></p>
        </section>
    }
}
