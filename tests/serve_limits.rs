//! `pedon serve` against hostile and heavy clients on 127.0.0.1: malformed requests are refused
//! and the server lives on, slow clients do not block others, 200 concurrent clients are
//! all served in bounded time, a rebuild never serves half a page, and binding beyond loopback
//! warns. Every wait is bounded.

mod common;

use common::SiteTest;
use common::server::start;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// Sends raw bytes and reads the whole answer (the server closes after refusing).
fn raw(port: u16, bytes: &[u8]) -> (u16, Vec<u8>) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(15)))
        .unwrap();
    // The server may answer and close before taking everything: a failed write is fine.
    let _ = stream.write_all(bytes);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let status = String::from_utf8_lossy(&answer)
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, answer)
}

/// GET with `Connection: close`: status, whole body, and the declared length.
fn get(port: u16, path: &str) -> (u16, Vec<u8>, Option<usize>) {
    let (status, answer) = raw(
        port,
        format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").as_bytes(),
    );
    let split = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a response head");
    let head = String::from_utf8_lossy(&answer[..split]).to_lowercase();
    let length = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length: "))
        .and_then(|v| v.trim().parse().ok());
    (status, answer[split + 4..].to_vec(), length)
}

/// Header and body sizes are not bounded: tiny_http 0.12, the preview's HTTP server, reads header
/// lines without a limit and drains an unread body into one buffer of its declared length, so a
/// `Content-Length: 99999999999999` aborts it. Neither is configurable; the closing note of issue 9
/// reports it. What is checked here is what the server does bound.
#[test]
fn malformed_requests_are_refused_and_the_server_lives_on() {
    let site = SiteTest::from_fixture("manual");
    let server = start(&site, &[]);
    let port = server.port;
    assert_eq!(raw(port, b"DELETE /insop/ HTTP/1.1\r\n\r\n").0, 405);
    assert_eq!(raw(port, b"\x00\x01\x02 garbage\r\n\r\n").0, 400);
    let (status, body, _) = get(port, "/insop/");
    assert_eq!(status, 200, "the server still answers");
    assert!(String::from_utf8_lossy(&body).contains("Fixture manual"));
}

#[test]
fn clients_sending_one_byte_a_second_do_not_block_others() {
    let site = SiteTest::from_fixture("manual");
    let server = start(&site, &[]);
    let port = server.port;
    let slow: Vec<_> = (0..20)
        .map(|_| {
            std::thread::spawn(move || {
                let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
                for byte in b"GET /insop/ HTTP/1.1\r\nHost: x\r\n" {
                    if stream.write_all(&[*byte]).is_err() {
                        break;
                    }
                    std::thread::sleep(Duration::from_secs(1));
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let started = Instant::now();
    for _ in 0..50 {
        let t = Instant::now();
        let (status, _, _) = get(port, "/insop/manual/01-intro.html");
        assert_eq!(status, 200);
        assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
    }
    eprintln!(
        "50 requests beside 20 slow clients: {} ms",
        started.elapsed().as_millis()
    );
    drop(slow);
}

#[test]
fn two_hundred_concurrent_clients_are_all_served() {
    let site = SiteTest::from_fixture("manual");
    let server = start(&site, &[]);
    let port = server.port;
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(200));
    let started = Instant::now();
    let clients: Vec<_> = (0..200)
        .map(|i| {
            let barrier = std::sync::Arc::clone(&barrier);
            std::thread::spawn(move || {
                let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
                stream
                    .set_read_timeout(Some(Duration::from_secs(20)))
                    .unwrap();
                barrier.wait();
                let t = Instant::now();
                let path = ["/insop/", "/insop/manual/01-intro.html", "/insop/style.css"][i % 3];
                write!(
                    stream,
                    "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                )
                .unwrap();
                let mut answer = Vec::new();
                stream.read_to_end(&mut answer).unwrap();
                let ok = answer.starts_with(b"HTTP/1.1 200");
                (ok, t.elapsed())
            })
        })
        .collect();
    let mut latencies: Vec<Duration> = Vec::new();
    let mut errors = 0;
    for client in clients {
        let (ok, took) = client.join().unwrap();
        errors += usize::from(!ok);
        latencies.push(took);
    }
    let wall = started.elapsed();
    latencies.sort();
    let pct = |p: usize| latencies[(latencies.len() * p / 100).min(latencies.len() - 1)];
    eprintln!(
        "200 concurrent clients: {errors} errors, p50 {:?}, p95 {:?}, max {:?}, wall {:?}",
        pct(50),
        pct(95),
        latencies.last().unwrap(),
        wall
    );
    assert_eq!(errors, 0);
    assert!(*latencies.last().unwrap() < Duration::from_secs(10));
}

/// Pages are rebuilt in memory and swapped whole: while a page is rewritten 25 times, every
/// response carries exactly one version of it, complete to `</html>`, with the length it declares.
#[test]
fn a_rebuild_while_requests_are_in_flight_never_serves_half_a_page() {
    let site = SiteTest::from_fixture("manual");
    let page = |n: usize| {
        let filler = format!("Version {n} of the text. ").repeat(4000);
        format!("---\ntitle: Live\n---\nBEGIN-{n}\n\n{filler}\n\nEND-{n}\n")
    };
    site.write("content/manual/live.md", &page(0));
    let server = start(&site, &[]);
    let port = server.port;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let readers: Vec<_> = (0..4)
        .map(|_| {
            let stop = std::sync::Arc::clone(&stop);
            std::thread::spawn(move || {
                let mut seen = std::collections::BTreeSet::new();
                let mut count = 0;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let (status, body, length) = get(port, "/insop/manual/live.html");
                    let html = String::from_utf8_lossy(&body);
                    assert_eq!(status, 200);
                    assert_eq!(length, Some(body.len()), "declared length");
                    assert!(html.trim_end().ends_with("</html>"), "cut short");
                    let begins: Vec<_> = html.match_indices("BEGIN-").collect();
                    assert_eq!(begins.len(), 1);
                    let n: String = html[begins[0].0 + 6..]
                        .chars()
                        .take_while(char::is_ascii_digit)
                        .collect();
                    assert!(html.contains(&format!("END-{n}<")), "END-{n} missing");
                    let own = html.matches(&format!("Version {n} of the text.")).count();
                    assert_eq!(
                        own,
                        html.matches("of the text.").count(),
                        "two versions mixed"
                    );
                    seen.insert(n);
                    count += 1;
                }
                (count, seen.len())
            })
        })
        .collect();
    for n in 1..=25 {
        // Saved as editors do: a new file renamed over the old one.
        site.write("content/manual/.live.md.swp", &page(n));
        std::fs::rename(
            site.path().join("content/manual/.live.md.swp"),
            site.path().join("content/manual/live.md"),
        )
        .unwrap();
        std::thread::sleep(Duration::from_millis(120));
    }
    std::thread::sleep(Duration::from_millis(500));
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let (mut requests, mut versions) = (0, 0);
    for reader in readers {
        let (count, seen) = reader.join().expect("a reader saw a broken page");
        requests += count;
        versions = versions.max(seen);
    }
    eprintln!("{requests} requests during 25 rebuilds saw {versions} versions, all whole");
    assert!(versions > 1, "the edits were never seen");
    drop(server);
}

#[test]
fn serving_beyond_loopback_prints_a_warning() {
    let site = SiteTest::from_fixture("manual");
    let server = start(&site, &["--bind", "0.0.0.0"]);
    let early = server.early.join("\n");
    assert!(
        early.contains(
            "warning: serving on 0.0.0.0 makes the preview reachable from other machines"
        ),
        "{early}"
    );
    assert!(
        early.contains("reads requests without a size limit"),
        "{early}"
    );
    drop(server);
    let quiet = SiteTest::from_fixture("manual");
    let server = start(&quiet, &[]);
    assert!(
        !server
            .early
            .iter()
            .any(|l| l.contains("reachable from other machines")),
        "127.0.0.1 warned"
    );
}
