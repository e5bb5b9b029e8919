//! The Yew single-page app: renders the model and dispatches actions; no Kafka logic here.
