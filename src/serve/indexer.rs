//! The search index of the preview, brought up to date after each good rebuild on threads of their
//! own at the lowest priority: the pages of an edit are served first, and an index being built
//! never delays the next edit. The thread keeps each language's index ([`crate::index::Cache`]),
//! so an edit re-indexes only the pages it changed. The old site is freed on the same threads,
//! for the same reason.
//!
//! Only the newest build waiting is indexed: one saved while an index was being built replaces the
//! one before it, which is freed unindexed.

use super::Shared;
use crate::output::Output;
use crate::{Built, search_index};
use anyhow::{Context, Result};
use std::sync::{Arc, Condvar, Mutex};

pub(super) struct Indexer {
    queue: Arc<(Mutex<Queue>, Condvar)>,
}

#[derive(Default)]
struct Queue {
    /// The newest good build not yet indexed.
    next: Option<Built>,
    /// Pages no longer served and builds never to be indexed, to be freed.
    garbage: Vec<Box<dyn Send>>,
}

impl Indexer {
    /// Starts the indexing thread, which puts each index it builds into `shared`.
    pub fn spawn(shared: Arc<Shared>) -> Result<Indexer> {
        // Its own pool: index jobs in the global one would queue ahead of a rebuild's.
        let pool = rayon::ThreadPoolBuilder::new()
            .thread_name(|i| format!("pedon-index-{i}"))
            .start_handler(|_| lower_priority())
            .build()
            .context("cannot start the indexing threads")?;
        let queue = Arc::new((Mutex::new(Queue::default()), Condvar::new()));
        let theirs = Arc::clone(&queue);
        std::thread::Builder::new()
            .name("pedon-indexer".into())
            .spawn(move || {
                lower_priority();
                let (lock, wake) = &*theirs;
                let mut kept = crate::index::Cache::default();
                loop {
                    let (next, garbage) = {
                        let queue = lock.lock().expect("index queue lock");
                        let mut queue = wake
                            .wait_while(queue, |q| q.next.is_none() && q.garbage.is_empty())
                            .expect("index queue lock");
                        (queue.next.take(), std::mem::take(&mut queue.garbage))
                    };
                    drop(garbage);
                    if let Some(built) = next {
                        let index = Arc::new(pool.install(|| search_index(&built.site, &mut kept)));
                        let old = {
                            let mut state = shared.state.lock().expect("state lock");
                            state.index.replace(index)
                        };
                        // Requests may be waiting for the first index.
                        shared.changed.notify_all();
                        drop((old, built));
                    }
                }
            })
            .context("cannot start the indexing thread")?;
        Ok(Indexer { queue })
    }

    /// Hands over a build to index (if the rebuild succeeded), the pages it replaced, and a failed
    /// build, the last two to be freed.
    pub fn send(&self, built: Option<Built>, replaced: Option<Arc<Output>>, failed: Option<Built>) {
        let (lock, wake) = &*self.queue;
        let mut queue = lock.lock().expect("index queue lock");
        if let Some(replaced) = replaced {
            queue.garbage.push(Box::new(replaced));
        }
        if let Some(failed) = failed {
            queue.garbage.push(Box::new(failed));
        }
        if let Some(superseded) = built.and_then(|b| queue.next.replace(b)) {
            queue.garbage.push(Box::new(superseded));
        }
        drop(queue);
        wake.notify_one();
    }
}

/// Lowers the calling thread to the lowest priority. On Linux nice is per thread, so the server
/// and the rebuilds keep theirs.
fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority on the calling thread's own id has no memory effects.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t, 19);
    }
}
