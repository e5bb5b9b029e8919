//! `--bootstrap-server`: the one check every tool shares. Brooklet's broker listens on
//! `localhost:9092` (also `127.0.0.1:9092`); a list is accepted when one entry is the listener,
//! as a Kafka client needs one reachable bootstrap server.
//!
//! Owns the address rules (Kafka's `ClientUtils.parseAndValidateAddresses`, which fail when a
//! client is built) and the prompt failure that stands in for a client whose first request
//! cannot reach a server ([`Connection::request`]). Must not know any tool's options nor
//! decide when the checks run: each tool builds its client through [`super::Ctx::connect`]
//! after its own usage checks, and makes its first request where Kafka's tool does.

use super::output::{log_line, Output};

/// The listener a learner should use.
pub const LISTENER: &str = "localhost:9092";

/// The port the broker listens on.
const PORT: u16 = 9092;

/// `host:port` split as Kafka's `Utils.getHost`/`getPort` do (`[v6]:port` too).
fn host_port(url: &str) -> Option<(&str, u16)> {
    let (host, port) = url.rsplit_once(':')?;
    let host = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    if host.is_empty()
        || !host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._:".contains(c))
    {
        return None;
    }
    Some((host, port.parse().ok()?))
}

fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost") || host == "127.0.0.1"
}

/// A client built over a bootstrap list whose addresses parsed and resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use = "a tool must make its first request through `request`"]
pub struct Connection {
    /// What the first request prints when no listed server is the broker's listener.
    unreachable: Option<Output>,
}

impl Connection {
    /// The client's first request: `Ok` when the list reaches the broker; otherwise what a
    /// Kafka tool prints once its request times out, without the minute of retries.
    pub fn request(&self) -> Result<(), Output> {
        match &self.unreachable {
            None => Ok(()),
            Some(out) => Err(out.clone()),
        }
    }
}

/// Building a client over `value`, as `ClientUtils.parseAndValidateAddresses` checks it: an
/// entry that is not `host:port`, or a list with no resolvable host, fails now with Kafka's
/// `ConfigException`. A list that resolves but does not reach the broker's listener builds a
/// client whose first request fails ([`Connection::request`]). Every failure ends with a hint
/// naming the listener.
pub fn connect(value: &str, now_ms: i64) -> Result<Connection, Output> {
    let urls: Vec<&str> = value
        .split(',')
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .collect();
    let hint = format!("Brooklet's broker listens on {LISTENER}.");
    let mut out = Output::failure(String::new());
    let mut parsed = Vec::new();
    for url in &urls {
        match host_port(url) {
            Some(hp) => parsed.push((*url, hp)),
            None => {
                out.err_line(&format!("org.apache.kafka.common.config.ConfigException: Invalid url in bootstrap.servers: {url}"));
                out.err_line(&hint);
                return Err(out);
            }
        }
    }
    if parsed
        .iter()
        .any(|(_, (h, p))| is_loopback(h) && *p == PORT)
    {
        return Ok(Connection { unreachable: None });
    }
    let mut resolvable = false;
    for (url, (host, port)) in &parsed {
        let numeric = host
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ':');
        if is_loopback(host) || numeric {
            resolvable = true;
            let ip = if is_loopback(host) { "127.0.0.1" } else { host };
            out.err_line(&log_line(
                now_ms,
                "WARN",
                &format!("Connection to node -1 ({host}/{ip}:{port}) could not be established. Node may not be available."),
                "org.apache.kafka.clients.NetworkClient",
            ));
        } else {
            out.err_line(&log_line(
                now_ms,
                "WARN",
                &format!("Couldn't resolve server {url} from bootstrap.servers as DNS resolution failed for {host}"),
                "org.apache.kafka.clients.ClientUtils",
            ));
        }
    }
    if urls.is_empty() || !resolvable {
        out.err_line("org.apache.kafka.common.config.ConfigException: No resolvable bootstrap urls given in bootstrap.servers");
        out.err_line(&hint);
        return Err(out);
    }
    out.err_line(
        "org.apache.kafka.common.errors.TimeoutException: Timed out waiting for a node assignment.",
    );
    out.err_line(&hint);
    Ok(Connection {
        unreachable: Some(out),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_listener_is_accepted_alone_or_in_a_list() {
        let reaches = |v: &str| connect(v, 0).is_ok_and(|c| c.request().is_ok());
        assert!(reaches("localhost:9092"));
        assert!(reaches("127.0.0.1:9092"));
        assert!(reaches("kafka:9092, localhost:9092"));
        assert!(!reaches("localhost:9093"));
        assert!(!reaches("kafka:9092"));
        assert!(!reaches("localhost"));
    }

    #[test]
    fn a_bad_list_fails_when_the_client_is_built_and_an_unreachable_one_on_its_first_request() {
        let built = |v: &str| connect(v, 0).map_err(|o| o.printed.stderr);
        assert!(built("localhost")
            .is_err_and(|e| e.contains("Invalid url in bootstrap.servers: localhost")));
        assert!(built("kafka:9092")
            .is_err_and(|e| e.contains("No resolvable bootstrap urls given in bootstrap.servers")));
        assert!(built("").is_err_and(|e| e.contains("No resolvable bootstrap urls")));
        let unreachable = connect("kafka:9092,localhost:9093", 0);
        let first = unreachable.map(|c| c.request().map_err(|o| o.printed.stderr));
        assert!(first.is_ok_and(|r| r
            .is_err_and(|e| e.contains("DNS resolution failed for kafka")
                && e.contains("Timed out waiting for a node assignment."))));
    }
}
