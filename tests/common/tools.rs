//! The outside programs of the browser and deployment tier: Chromium, chromedriver, nginx,
//! Python's static server, axe-core, the Nu Html Checker (with a Java runtime), Debian's
//! `linkchecker` and Lighthouse (with Node.js). `cargo test` alone needs none of them: a test that lacks
//! one is skipped, and says so on the terminal (past the harness's capture, so it is seen even
//! when the test passes). `scripts/test.sh` installs them all and sets `PEDON_REQUIRE_TOOLS=1`,
//! under which a missing tool fails the test instead: the full run can never pass by skipping.

use std::io::Write;
use std::path::{Path, PathBuf};

/// An outside program (or file) a test needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    /// Debian's Chromium, or `PEDON_CHROMIUM`.
    Chromium,
    /// Debian's chromedriver (package `chromium-driver`), or `PEDON_CHROMEDRIVER`.
    Chromedriver,
    /// nginx, for the sub-path deployment.
    Nginx,
    /// `python3 -m http.server`, a plain static host.
    Python3,
    /// axe-core, installed by `npm ci --prefix tests/harness`.
    Axe,
    /// A Java runtime for the Nu Html Checker (Debian's `default-jre-headless`), or `PEDON_JAVA`.
    Java,
    /// The Nu Html Checker's `vnu.jar`, from the `vnu-jar` npm package in `tests/harness`.
    Vnu,
    /// Debian's `linkchecker`, a standard link checker, or `PEDON_LINKCHECKER`.
    Linkchecker,
    /// Node.js, which runs Lighthouse, or `PEDON_NODE`.
    Node,
    /// Lighthouse's command line, from the `lighthouse` npm package in `tests/harness`.
    Lighthouse,
}

impl Tool {
    /// Where the tool is, or why it cannot be used.
    pub fn locate(self) -> Result<PathBuf, String> {
        match self {
            Tool::Chromium => program("PEDON_CHROMIUM", &["chromium"]),
            Tool::Chromedriver => program("PEDON_CHROMEDRIVER", &["chromedriver"]),
            Tool::Nginx => program("PEDON_NGINX", &["nginx", "/usr/sbin/nginx"]),
            Tool::Python3 => program("PEDON_PYTHON", &["python3"]),
            Tool::Axe => harness("axe-core", "axe-core/axe.min.js"),
            Tool::Java => program("PEDON_JAVA", &["java"]),
            Tool::Vnu => harness("vnu-jar", "vnu-jar/build/dist/vnu.jar"),
            Tool::Linkchecker => program("PEDON_LINKCHECKER", &["linkchecker"]),
            Tool::Node => program("PEDON_NODE", &["node"]),
            Tool::Lighthouse => harness("lighthouse", "lighthouse/cli/index.js"),
        }
    }

    /// The tool's path; for tests that already know it is there ([`available`]).
    pub fn path(self) -> PathBuf {
        self.locate().unwrap_or_else(|why| panic!("{why}"))
    }
}

/// A file of the npm package `package`, installed by `npm ci --prefix tests/harness`.
fn harness(package: &str, file: &str) -> Result<PathBuf, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/harness/node_modules")
        .join(file);
    match path.is_file() {
        true => Ok(path),
        false => Err(format!(
            "{package} is not installed in tests/harness/node_modules"
        )),
    }
}

/// A program named by `variable`, else the first of `names` found on `PATH` (or as a path).
fn program(variable: &str, names: &[&str]) -> Result<PathBuf, String> {
    if let Some(value) = std::env::var_os(variable).filter(|v| !v.is_empty()) {
        let path = PathBuf::from(&value);
        return match is_executable(&path) || on_path(&value.to_string_lossy()).is_some() {
            true => Ok(on_path(&value.to_string_lossy()).unwrap_or(path)),
            false => Err(format!(
                "{variable}={} is not an executable",
                path.display()
            )),
        };
    }
    names
        .iter()
        .find_map(|name| on_path(name))
        .ok_or_else(|| format!("`{}` is not installed", names[0]))
}

fn on_path(name: &str) -> Option<PathBuf> {
    if name.contains('/') {
        let path = PathBuf::from(name);
        return is_executable(&path).then_some(path);
    }
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(name))
        .find(|path| is_executable(path))
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// Whether `test` can run with `tools`. When one is missing, the test should return at once: this
/// writes `skipped <test>: <why>` to the terminal, or panics under `PEDON_REQUIRE_TOOLS`.
pub fn available(test: &str, tools: &[Tool]) -> bool {
    let missing: Vec<String> = tools.iter().filter_map(|t| t.locate().err()).collect();
    if missing.is_empty() {
        return true;
    }
    let why = missing.join("; ");
    if std::env::var_os("PEDON_REQUIRE_TOOLS").is_some_and(|v| !v.is_empty() && v != "0") {
        panic!("{test} needs: {why} (PEDON_REQUIRE_TOOLS is set, so a missing tool is a failure)");
    }
    // Straight to the terminal: the test harness captures `eprintln!` of passing tests.
    let _ = writeln!(
        std::io::stderr(),
        "skipped {test}: {why} (bash scripts/test.sh installs the browser and deployment tools)"
    );
    false
}

/// Held by each test that drives a browser, so that a test binary runs one Chromium at a time:
/// on a 2-core machine, parallel Chromiums starved each other until a page load timed out in the
/// renderer. Other tests of the binary still run beside it.
pub fn one_browser_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    static BROWSER: std::sync::Mutex<()> = std::sync::Mutex::new(());
    // A test that failed while holding it must not fail the others.
    BROWSER
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
