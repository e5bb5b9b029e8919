//! The topic page's record pieces: the sample-data generator panel, the JSON-lines import,
//! the virtualised message browser and the record drawer. Each renders and dispatches; the
//! logic lives in [`crate::playground::sample_orders`], [`crate::playground::import`] and
//! [`crate::playground::message_browser`].

mod browser;
mod drawer;
mod import_panel;
mod sample_panel;

pub use browser::MessageBrowser;
pub use drawer::RecordDrawer;
pub use import_panel::ImportPanel;
pub use sample_panel::SamplePanel;
