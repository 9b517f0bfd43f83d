//! Headless Chromium driven over the W3C WebDriver protocol by the system's `chromedriver`
//! (Debian's `chromium-driver`, which `scripts/test.sh` installs). For tests that act while the
//! browser stays open: edit a file, then see the page change. A few plain HTTP/1.1 calls; every
//! wait is bounded.

use serde_json::{Value, json};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Browser {
    driver: Child,
    port: u16,
    session: String,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts chromedriver and a headless Chromium with the flags this machine needs.
    pub fn start() -> Browser {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let driver_bin = super::tools::Tool::Chromedriver.path();
        let driver = Command::new(&driver_bin)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot run {} ({e}); scripts/test.sh installs it",
                    driver_bin.display()
                )
            });
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "chromedriver did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        let profile = tempfile::tempdir().unwrap();
        let binary = super::tools::Tool::Chromium.path();
        let mut browser = Browser {
            driver,
            port,
            session: String::new(),
            _profile: profile,
        };
        let created = browser.call(
            "POST",
            "/session",
            json!({"capabilities": {"alwaysMatch": {
                "browserName": "chrome",
                "goog:chromeOptions": {
                    "binary": binary,
                    "args": [
                        "--headless", "--no-sandbox", "--disable-gpu",
                        "--disable-background-networking", "--disable-component-update",
                        "--disable-sync", "--no-first-run", "--window-size=1200,900",
                        format!("--user-data-dir={}", browser._profile.path().display()),
                    ]
                }
            }}}),
        );
        browser.session = created["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {created}"))
            .to_string();
        // axe-core on a page with a thousand-row table takes seconds, more on a loaded machine.
        browser.call(
            "POST",
            &browser.path("timeouts"),
            json!({ "script": 180_000, "pageLoad": 60_000 }),
        );
        browser
    }

    /// Loads `url`. A navigation whose renderer stalls (seen now and then in headless Chromium
    /// on a loaded 2-core machine, never twice in a row) is tried again, up to three times.
    pub fn goto(&self, url: &str) {
        for attempt in 1..=3 {
            match self.try_call("POST", &self.path("url"), json!({ "url": url })) {
                Ok(_) => return,
                Err(e) if attempt < 3 && e["error"] == "timeout" => {
                    let _ = writeln!(
                        std::io::stderr(),
                        "note: loading {url} timed out in the renderer; trying again"
                    );
                }
                Err(e) => panic!("WebDriver navigation to {url} failed: {e}"),
            }
        }
    }

    /// Runs `body` (a function body: `return …;`) in the page and returns its value.
    pub fn eval(&self, body: &str) -> Value {
        self.call(
            "POST",
            &self.path("execute/sync"),
            json!({ "script": body, "args": [] }),
        )
    }

    /// Runs `body` with a callback as its last argument (`arguments[arguments.length - 1]`) and
    /// returns what it is called with: for promises, like axe-core's `axe.run`.
    pub fn eval_async(&self, body: &str) -> Value {
        self.call(
            "POST",
            &self.path("execute/async"),
            json!({ "script": body, "args": [] }),
        )
    }

    /// A Chrome DevTools Protocol command, through chromedriver (print emulation, for one).
    pub fn cdp(&self, cmd: &str, params: Value) -> Value {
        self.call(
            "POST",
            &self.path("goog/cdp/execute"),
            json!({ "cmd": cmd, "params": params }),
        )
    }

    /// Resizes the window: 320 wide is the narrowest phone a page must fit.
    pub fn set_size(&self, width: u32, height: u32) {
        self.call(
            "POST",
            &self.path("window/rect"),
            json!({ "width": width, "height": height }),
        );
    }

    /// A PNG of the viewport.
    pub fn screenshot(&self) -> Vec<u8> {
        let value = self.call("GET", &self.path("screenshot"), Value::Null);
        base64_decode(value.as_str().expect("screenshot is base64"))
    }

    /// Evaluates `expression` until it is truthy, for at most `limit`; returns its value.
    pub fn wait_for(&self, expression: &str, limit: Duration) -> Value {
        let started = Instant::now();
        loop {
            let value = self.eval(&format!("return {expression};"));
            if !matches!(value, Value::Null | Value::Bool(false)) && value != json!("") {
                return value;
            }
            assert!(
                started.elapsed() < limit,
                "timed out after {limit:?} waiting for `{expression}`"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn path(&self, command: &str) -> String {
        format!("/session/{}/{command}", self.session)
    }

    /// Sends one WebDriver command and returns the `value` of its answer, error or not.
    fn send(&self, method: &str, path: &str, body: Value) -> Value {
        let body = if body.is_null() {
            String::new()
        } else {
            body.to_string()
        };
        // Generous: axe on the 15,000-element explorer, or a screenshot of the print edition,
        // takes tens of seconds on a loaded 2-core machine. Still bounded.
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(240)))
            .unwrap();
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        // Read the head, then exactly the body: the driver may keep the connection open.
        let mut response = Vec::new();
        let mut buf = [0u8; 8192];
        let split = loop {
            if let Some(at) = response.windows(4).position(|w| w == b"\r\n\r\n") {
                break at;
            }
            let n = stream
                .read(&mut buf)
                .unwrap_or_else(|e| panic!("chromedriver did not answer `{method} {path}`: {e}"));
            assert!(n > 0, "chromedriver closed the connection");
            response.extend_from_slice(&buf[..n]);
        };
        let head = String::from_utf8_lossy(&response[..split]).to_ascii_lowercase();
        let mut payload = response[split + 4..].to_vec();
        let length = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse::<usize>().ok());
        match length {
            Some(length) => {
                while payload.len() < length {
                    let n = stream.read(&mut buf).unwrap_or_else(|e| {
                        panic!("chromedriver did not answer `{method} {path}`: {e}")
                    });
                    assert!(n > 0, "chromedriver closed the connection");
                    payload.extend_from_slice(&buf[..n]);
                }
            }
            None => {
                assert!(
                    head.contains("transfer-encoding: chunked"),
                    "response with neither length nor chunks: {head}"
                );
                while !payload.ends_with(b"0\r\n\r\n") {
                    let n = stream.read(&mut buf).unwrap_or_else(|e| {
                        panic!("chromedriver did not answer `{method} {path}`: {e}")
                    });
                    assert!(n > 0, "chromedriver closed the connection");
                    payload.extend_from_slice(&buf[..n]);
                }
                payload = dechunk(&payload);
            }
        }
        let payload = String::from_utf8_lossy(&payload);
        let parsed: Value = serde_json::from_str(&payload)
            .unwrap_or_else(|e| panic!("{e}: {method} {path}: {head}\n{payload}"));
        parsed["value"].clone()
    }

    /// One WebDriver command; returns its `value`, panicking on a WebDriver error.
    fn call(&self, method: &str, path: &str, body: Value) -> Value {
        self.try_call(method, path, body)
            .unwrap_or_else(|value| panic!("WebDriver {method} {path} failed: {value}"))
    }

    /// One WebDriver command: its `value`, or the error WebDriver answered.
    fn try_call(&self, method: &str, path: &str, body: Value) -> Result<Value, Value> {
        let value = self.send(method, path, body);
        match value.get("error") {
            Some(_) => Err(value),
            None => Ok(value),
        }
    }
}

/// Standard base64, as WebDriver sends screenshots (too small a need for a crate).
fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0);
    for v in text.bytes().filter_map(value) {
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

/// The body of a `Transfer-Encoding: chunked` response.
fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(line_end) = body.windows(2).position(|w| w == b"\r\n") {
        let size = std::str::from_utf8(&body[..line_end])
            .ok()
            .and_then(|s| usize::from_str_radix(s.trim(), 16).ok())
            .unwrap_or(0);
        let start = line_end + 2;
        if size == 0 || start + size > body.len() {
            break;
        }
        out.extend_from_slice(&body[start..start + size]);
        body = &body[(start + size + 2).min(body.len())..];
    }
    out
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                self.call("DELETE", &format!("/session/{}", self.session), json!({}))
            }));
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
