//! `--bootstrap-server`: the one check every tool shares. Brooklet's broker listens on
//! `localhost:9092` (also `127.0.0.1:9092`); a list is accepted when one entry is the listener,
//! as a Kafka client needs one reachable bootstrap server.
//!
//! Owns the address rules (Kafka's `ClientUtils.parseAndValidateAddresses`) and the prompt
//! failure that stands in for a client that cannot connect. Must not know any tool's options
//! nor decide when the check runs: each tool calls it through [`super::Ctx::connect`] where
//! Kafka's tool builds its client, after its own usage checks.

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

/// `Ok` when `value` reaches the broker; otherwise what a Kafka tool prints when its client
/// cannot connect, without the minute of retries, and a hint naming the listener.
pub fn check(value: &str, now_ms: i64) -> Result<(), Output> {
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
        return Ok(());
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
    } else {
        out.err_line(
            "org.apache.kafka.common.errors.TimeoutException: Timed out waiting for a node assignment.",
        );
    }
    out.err_line(&hint);
    Err(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_listener_is_accepted_alone_or_in_a_list() {
        assert!(check("localhost:9092", 0).is_ok());
        assert!(check("127.0.0.1:9092", 0).is_ok());
        assert!(check("kafka:9092, localhost:9092", 0).is_ok());
        assert!(check("localhost:9093", 0).is_err());
        assert!(check("kafka:9092", 0).is_err());
        assert!(check("localhost", 0).is_err());
    }
}
