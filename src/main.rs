//! The `pedon` binary: everything lives in the library; this maps the result to an exit code.

/// A rebuild in `pedon serve` makes and frees hundreds of thousands of small strings; with the
/// system allocator that was about a quarter of an edit's time on a 10,000-page site.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    pedon::cli::run()
}
