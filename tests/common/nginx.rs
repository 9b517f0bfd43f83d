//! The bundled site as a host serves it: built for an absolute base URL with a sub-path, served by
//! a real nginx on a loopback port under that sub-path, with its 404 page. Shared by the
//! deployment tests (`deploy.rs`) and the outside checkers (`standards.rs`).

use super::run_in;
use super::tools::Tool;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// nginx on a loopback port, serving `site` at `prefix` (`/insop/`), with its 404 page and gzip
/// for text, as hosts serve a static site (HTTP/1.0 requests, like [`get`]'s, are sent plain);
/// stopped on drop. Its `LinkChecker` header is linkchecker's documented sign that a server
/// allows it more than 10 requests a second (unsigned, it waits 0.1 to 0.6 s between two requests
/// to a host, and the site took over 30 minutes to crawl).
pub struct Nginx {
    child: Child,
    pub port: u16,
    _dir: tempfile::TempDir,
}

impl Nginx {
    pub fn start(site: &Path, port: u16, prefix: &str) -> Nginx {
        assert!(prefix.starts_with('/') && prefix.ends_with('/'), "{prefix}");
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().display();
        let mime = ["/etc/nginx/mime.types"]
            .into_iter()
            .find(|p| Path::new(p).exists())
            .map(|p| format!("include {p};"))
            .unwrap_or_default();
        let conf = format!(
            "daemon off;\nmaster_process off;\nworker_processes 1;\npid {d}/nginx.pid;\nerror_log {d}/error.log;\n\
             events {{ worker_connections 256; }}\n\
             http {{\n  {mime}\n  types {{ application/atom+xml xml; text/calendar ics; }}\n  access_log off;\n\
               gzip on; gzip_types text/css application/javascript application/json image/svg+xml text/csv;\n\
               client_body_temp_path {d}/body; proxy_temp_path {d}/proxy; fastcgi_temp_path {d}/fastcgi;\n\
               uwsgi_temp_path {d}/uwsgi; scgi_temp_path {d}/scgi;\n\
               server {{\n    listen 127.0.0.1:{port};\n\
                 location {prefix} {{ alias {site}/; error_page 404 {prefix}404.html;\n\
                   add_header LinkChecker unthrottled always; }}\n  }}\n}}\n",
            site = site.display()
        );
        let conf_path = dir.path().join("nginx.conf");
        std::fs::write(&conf_path, conf).unwrap();
        let nginx = Tool::Nginx.path();
        let child = Command::new(nginx)
            .arg("-e")
            .arg(dir.path().join("error.log"))
            .arg("-p")
            .arg(dir.path())
            .arg("-c")
            .arg(&conf_path)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start nginx");
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "nginx did not start: {}",
                std::fs::read_to_string(dir.path().join("error.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Nginx {
            child,
            port,
            _dir: dir,
        }
    }

    /// `http://127.0.0.1:PORT` followed by `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A GET over HTTP/1.0: status and body.
pub fn get(port: u16, path: &str) -> (u16, Vec<u8>) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(stream, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a response head");
    let head = String::from_utf8_lossy(&response[..split]);
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, response[split + 4..].to_vec())
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Builds the bundled site for `http://127.0.0.1:PORT{prefix}` into a temporary folder: the
/// folder (removed on drop) and the site in it.
pub fn build_bundled(port: u16, prefix: &str) -> (tempfile::TempDir, PathBuf) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("public");
    let base = format!("http://127.0.0.1:{port}{prefix}");
    let run = run_in(
        root,
        &[
            "build",
            "--no-cache",
            "--output",
            site.to_str().unwrap(),
            "--base-url",
            &base,
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    (out, site)
}
