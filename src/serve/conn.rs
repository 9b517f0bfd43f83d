//! The preview's HTTP/1.1 connections, bounded in every way a laptop on a shared network needs:
//! the number of open connections, the size and number of header lines, the time a client may
//! take to send them, request bodies (none: the preview only answers GET and HEAD), and the time
//! a response may wait on a client that does not read. Each connection has its own thread, so a
//! slow client holds one thread and never the others.
//!
//! This replaced tiny_http 0.12, which reads header lines without a length limit (a client could
//! send gigabytes of header) and drains an unread body with one `vec![0; content_length]`, so a
//! single `Content-Length: 99999999999999` aborted the server; neither can be configured.

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Request line and headers together; browsers send 1–2 KB.
pub const MAX_HEAD_BYTES: usize = 16 * 1024;
pub const MAX_HEADERS: usize = 100;
/// Time to send a whole request head, and the idle time of a kept-alive connection.
pub const HEAD_DEADLINE: Duration = Duration::from_secs(10);
/// How long a response may wait for a client that stopped reading.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(30);
/// Open connections (each a thread); more are answered 503 at once. Browsers open six per host
/// and one event stream per tab.
pub const MAX_CONNECTIONS: usize = 512;

/// A request head that passed the limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    /// The request target as sent (`/insop/manual/a.html?x=1`).
    pub target: String,
    pub keep_alive: bool,
}

/// What the handler answers.
pub enum Reply {
    /// A complete response.
    Full {
        status: u16,
        headers: Vec<(&'static str, String)>,
        body: Vec<u8>,
    },
    /// The handler takes the stream over (server-sent events) and the connection ends with it.
    Stream(Box<dyn FnOnce(&mut TcpStream) + Send>),
}

/// Accepts connections until the listener fails, one thread each, at most [`MAX_CONNECTIONS`].
pub fn run<H>(listener: TcpListener, handler: H)
where
    H: Fn(&Request) -> Reply + Send + Sync + 'static,
{
    let handler = Arc::new(handler);
    let open = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        let mut stream = match stream {
            Ok(stream) => stream,
            // Out of file descriptors, or a connection reset before it was accepted: wait a
            // moment instead of spinning, and go on.
            Err(_) => {
                std::thread::sleep(Duration::from_millis(10));
                continue;
            }
        };
        if open.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            open.fetch_sub(1, Ordering::SeqCst);
            let _ = stream.set_write_timeout(Some(Duration::from_millis(200)));
            let _ = write_response(&mut stream, 503, &[], b"too many connections", false, false);
            continue;
        }
        let (handler, count) = (Arc::clone(&handler), Arc::clone(&open));
        let spawned = std::thread::Builder::new()
            .stack_size(512 * 1024)
            .spawn(move || {
                serve_connection(stream, &*handler);
                count.fetch_sub(1, Ordering::SeqCst);
            });
        if spawned.is_err() {
            // The thread was not made, so its closure (and the count's decrement) never runs.
            open.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

fn serve_connection(mut stream: TcpStream, handler: &dyn Fn(&Request) -> Reply) {
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let _ = stream.set_nodelay(true);
    let mut pending = Vec::new();
    loop {
        let head = match read_head(&mut stream, &mut pending, Instant::now() + HEAD_DEADLINE) {
            Ok(Some(head)) => head,
            Ok(None) => return,
            Err(status) => {
                let _ = write_response(
                    &mut stream,
                    status,
                    &[],
                    reason(status).as_bytes(),
                    false,
                    false,
                );
                return;
            }
        };
        let request = match parse_head(&head) {
            Ok(request) => request,
            Err(status) => {
                let _ = write_response(
                    &mut stream,
                    status,
                    &[],
                    reason(status).as_bytes(),
                    false,
                    false,
                );
                return;
            }
        };
        let head_only = request.method == "HEAD";
        match handler(&request) {
            Reply::Full {
                status,
                headers,
                body,
            } => {
                if write_response(
                    &mut stream,
                    status,
                    &headers,
                    &body,
                    head_only,
                    request.keep_alive,
                )
                .is_err()
                    || !request.keep_alive
                {
                    return;
                }
            }
            Reply::Stream(stream_to) => {
                stream_to(&mut stream);
                return;
            }
        }
    }
}

/// Reads up to the blank line that ends a request head. `Ok(None)` when the client closed (or
/// went quiet) before sending anything; `Err(status)` when it broke a limit. Bytes after the head
/// stay in `pending` for the next request on the connection.
pub fn read_head(
    stream: &mut impl ReadTimeout,
    pending: &mut Vec<u8>,
    deadline: Instant,
) -> Result<Option<Vec<u8>>, u16> {
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = head_end(pending) {
            let head = pending[..end].to_vec();
            pending.drain(..end);
            return Ok(Some(head));
        }
        if pending.len() > MAX_HEAD_BYTES {
            return Err(431);
        }
        let now = Instant::now();
        if now >= deadline {
            return if pending.is_empty() {
                Ok(None)
            } else {
                Err(408)
            };
        }
        stream.set_timeout(deadline - now);
        match stream.read(&mut chunk) {
            Ok(0) => return Ok(None),
            Ok(n) => pending.extend_from_slice(&chunk[..n]),
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) => {}
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return Ok(None),
        }
    }
}

/// A stream whose reads can be given a time limit (a socket; a byte slice in tests).
pub trait ReadTimeout: Read {
    fn set_timeout(&mut self, timeout: Duration);
}

impl ReadTimeout for TcpStream {
    fn set_timeout(&mut self, timeout: Duration) {
        let _ = self.set_read_timeout(Some(timeout.max(Duration::from_millis(1))));
    }
}

impl ReadTimeout for &[u8] {
    fn set_timeout(&mut self, _: Duration) {}
}

/// Index just past the blank line (`\r\n\r\n`, or `\n\n` from lenient clients).
fn head_end(bytes: &[u8]) -> Option<usize> {
    let crlf = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| i + 4);
    let lf = bytes.windows(2).position(|w| w == b"\n\n").map(|i| i + 2);
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Parses a request head; `Err(status)` for what the preview refuses.
pub fn parse_head(head: &[u8]) -> Result<Request, u16> {
    let text = std::str::from_utf8(head).map_err(|_| 400u16)?;
    let mut lines = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    let mut first = lines.next().unwrap_or("").split(' ');
    let (method, target, version) = match (first.next(), first.next(), first.next(), first.next()) {
        (Some(m), Some(t), Some(v), None) if !m.is_empty() && t.starts_with('/') => (m, t, v),
        _ => return Err(400),
    };
    let http10 = match version {
        "HTTP/1.1" => false,
        "HTTP/1.0" => true,
        v if v.starts_with("HTTP/") => return Err(505),
        _ => return Err(400),
    };
    let mut keep_alive = !http10;
    let mut count = 0;
    for line in lines.filter(|l| !l.is_empty()) {
        count += 1;
        if count > MAX_HEADERS {
            return Err(431);
        }
        let (name, value) = line.split_once(':').ok_or(400u16)?;
        let value = value.trim();
        if name.eq_ignore_ascii_case("content-length") {
            let length: u64 = value.parse().map_err(|_| 400u16)?;
            if length > 0 {
                return Err(413);
            }
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            return Err(413);
        } else if name.eq_ignore_ascii_case("connection") {
            let value = value.to_ascii_lowercase();
            if value.contains("close") {
                keep_alive = false;
            } else if value.contains("keep-alive") {
                keep_alive = true;
            }
        }
    }
    if method != "GET" && method != "HEAD" {
        return Err(405);
    }
    Ok(Request {
        method: method.to_string(),
        target: target.to_string(),
        keep_alive,
    })
}

/// Writes a whole response with its length.
pub fn write_response(
    stream: &mut impl Write,
    status: u16,
    headers: &[(&'static str, String)],
    body: &[u8],
    head_only: bool,
    keep_alive: bool,
) -> io::Result<()> {
    let mut out = format!(
        "HTTP/1.1 {status} {}\r\nContent-Length: {}\r\nConnection: {}\r\n",
        reason(status),
        body.len(),
        if keep_alive { "keep-alive" } else { "close" }
    );
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    if status == 405 {
        out.push_str("Allow: GET, HEAD\r\n");
    }
    out.push_str("\r\n");
    let mut bytes = out.into_bytes();
    if !head_only {
        bytes.extend_from_slice(body);
    }
    stream.write_all(&bytes)?;
    stream.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        413 => "Content Too Large",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_within_the_limits_are_parsed() {
        let r = parse_head(b"GET /a?b HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n").unwrap();
        assert_eq!(r.target, "/a?b");
        assert!(r.keep_alive);
        let r = parse_head(b"HEAD / HTTP/1.0\r\n\r\n").unwrap();
        assert!(!r.keep_alive);
    }

    #[test]
    fn bodies_methods_and_odd_heads_are_refused() {
        assert_eq!(parse_head(b"POST / HTTP/1.1\r\n\r\n"), Err(405));
        assert_eq!(
            parse_head(b"GET / HTTP/1.1\r\nContent-Length: 99999999999999\r\n\r\n"),
            Err(413)
        );
        assert_eq!(
            parse_head(b"GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"),
            Err(413)
        );
        assert_eq!(parse_head(b"GET / HTTP/2.0\r\n\r\n"), Err(505));
        assert_eq!(parse_head(b"GET /\r\n\r\n"), Err(400));
        assert_eq!(parse_head(b"GET / HTTP/1.1\r\nno colon\r\n\r\n"), Err(400));
        let many = format!(
            "GET / HTTP/1.1\r\n{}\r\n",
            "X: y\r\n".repeat(MAX_HEADERS + 1)
        );
        assert_eq!(parse_head(many.as_bytes()), Err(431));
    }

    #[test]
    fn a_head_without_end_is_cut_at_the_limit() {
        let endless = vec![b'a'; MAX_HEAD_BYTES * 2];
        let mut pending = Vec::new();
        let far = Instant::now() + Duration::from_secs(5);
        assert_eq!(
            read_head(&mut endless.as_slice(), &mut pending, far),
            Err(431)
        );
        let mut two = &b"GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n"[..];
        let first = read_head(&mut two, &mut pending_new(), far)
            .unwrap()
            .unwrap();
        assert!(first.starts_with(b"GET /a"));
    }

    fn pending_new() -> Vec<u8> {
        Vec::new()
    }
}
