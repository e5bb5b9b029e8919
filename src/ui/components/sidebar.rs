//! The navigation rail: one link per page, the open one marked for screen readers too.

use yew::prelude::*;

use crate::ui::context::use_view;
use crate::ui::model::Page;

/// The sidebar.
#[function_component(Sidebar)]
pub fn sidebar() -> Html {
    let view = use_view();
    let open = view.0.page.section();
    html! {
        <nav class="sidebar" aria-label="Playground">
            <ul>
                { for Page::SIDEBAR.into_iter().map(|page| {
                    let current = (page == open).then_some("page");
                    let active = page == open;
                    html! {
                        <li>
                            <a href={page.fragment()} aria-current={current}
                               class={classes!("nav-link", active.then_some("active"))}>
                                { page.title() }
                            </a>
                        </li>
                    }
                }) }
            </ul>
        </nav>
    }
}
