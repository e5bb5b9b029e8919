//! Reusable pieces of the page frame. Each renders props or context and dispatches actions.

mod sidebar;
mod top_bar;

pub use sidebar::Sidebar;
pub use top_bar::TopBar;
