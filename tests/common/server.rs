//! `pedon serve` run as a child process on a fixture site, on a free loopback port; stopped on
//! drop. Every wait is bounded.

use super::SiteTest;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

pub struct Server {
    child: Child,
    pub port: u16,
    /// What the server printed before its URL (warnings), for tests to read.
    pub early: Vec<String>,
    /// What the server prints after its URL, line by line; kept open so the server never blocks
    /// on a full pipe.
    log: mpsc::Receiver<String>,
}

impl Server {
    /// The next line the server prints that `wanted` accepts, within `wait`; the lines passed
    /// over are gone.
    pub fn log_line(&self, wait: Duration, wanted: impl Fn(&str) -> bool) -> Option<String> {
        let until = std::time::Instant::now() + wait;
        loop {
            let left = until.checked_duration_since(std::time::Instant::now())?;
            match self.log.recv_timeout(left) {
                Ok(line) if wanted(&line) => return Some(line),
                Ok(_) => {}
                Err(_) => return None,
            }
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs `pedon serve --root . --port 0 EXTRA…` in the site and waits for the URL it prints.
pub fn start(site: &SiteTest, extra: &[&str]) -> Server {
    let child = Command::new(env!("CARGO_BIN_EXE_pedon"))
        .args(["serve", "--root", ".", "--port", "0"])
        .args(extra)
        .current_dir(site.path())
        .env("NO_COLOR", "1")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Moved into the `Server`, whose drop kills and waits for it.
    let mut child = child;
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut early = Vec::new();
    loop {
        let line = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("server printed its URL");
        if let Some(rest) = line.strip_prefix("Serving at http://") {
            let port = rest.split('/').next().unwrap().rsplit(':').next().unwrap();
            return Server {
                child,
                port: port.parse().unwrap(),
                early,
                log: rx,
            };
        }
        early.push(line);
    }
}
