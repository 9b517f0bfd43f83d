//! The index on disk: postings cut into shards small enough that a query loads a few of them.

use super::docs::Doc;
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::collections::BTreeMap;

/// Target size of a term shard. A query of a few words loads about one shard per word, so this
/// bounds what a query costs; a single term with more postings than this gets a shard of its own.
pub const SHARD_BYTES: usize = 24 * 1024;

/// Threshold records per `search/r/N.js` file.
pub const RECORD_CHUNK: usize = 64;

#[derive(Serialize)]
pub struct Manifest<'a> {
    pub version: u32,
    /// Documents `0..pages` are pages (`search/p/N.js`); the rest are records.
    pub pages: usize,
    pub records: usize,
    pub record_chunk: usize,
    /// The first term of each shard, in order: shard `n` holds the terms from `shards[n]` up to
    /// `shards[n + 1]`, in the file [`Layout`] names.
    pub shards: Vec<&'a str>,
    /// The shards whose name is numbered ([`Layout`]); almost always none.
    #[serde(skip_serializing_if = "<[usize]>::is_empty")]
    pub clash: &'a [usize],
    pub stop: &'a [&'a str],
}

/// What the last index's manifest says of its shards, read back to bring it up to date.
#[derive(serde::Deserialize)]
pub struct ManifestShards {
    shards: Vec<String>,
    #[serde(default)]
    clash: Vec<usize>,
}

/// The term shards of an index in order: each one's first term and file name.
///
/// A shard is named for its first term, `i/{FNV-1a of it, in hex}.js`, so that it keeps its name
/// while it holds the same range of terms, wherever it comes in the list. Numbered by place, one
/// new word that began a shard renamed every later one: a one-page edit of the site-shaped
/// corpus wrote 575 of a language's 660 shards again. `search.js` names them the same way from
/// the manifest, hence a hash both sides write in a line. Where two first terms have the same
/// hash, the later shard's name also has its place (`{hash}-{n}`), and the manifest lists it in
/// `clash`.
#[derive(Debug, PartialEq)]
pub struct Layout {
    pub firsts: Vec<String>,
    names: Vec<String>,
    clash: Vec<usize>,
}

impl Layout {
    pub fn of(firsts: Vec<String>) -> Layout {
        let mut seen = rustc_hash::FxHashSet::default();
        let mut clash = Vec::new();
        let names = (firsts.iter().enumerate())
            .map(|(n, first)| {
                let hash = format!("{:08x}", fnv1a(first.as_bytes()));
                if seen.insert(hash.clone()) {
                    hash
                } else {
                    clash.push(n);
                    format!("{hash}-{n}")
                }
            })
            .collect();
        Layout {
            firsts,
            names,
            clash,
        }
    }

    /// As the manifest `bytes` of the last index say; `None` when they do not.
    pub fn read(bytes: &[u8]) -> Option<Layout> {
        let ManifestShards { shards, clash } = read_script(bytes)?;
        let layout = Layout::of(shards);
        (layout.clash == clash).then_some(layout)
    }

    /// Shard `n`'s file name, without `.js`.
    pub fn name(&self, n: usize) -> &str {
        &self.names[n]
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.names.iter().map(String::as_str)
    }

    pub fn len(&self) -> usize {
        self.firsts.len()
    }

    /// The shards whose name is numbered, for the manifest.
    pub fn clash(&self) -> &[usize] {
        &self.clash
    }

    /// The shard whose terms begin at `first`.
    pub fn find(&self, first: &str) -> Option<usize> {
        (self.firsts.binary_search_by(|f| f.as_str().cmp(first))).ok()
    }
}

/// FNV-1a, 32 bits: a hash `search.js` computes the same way (`shardName`).
fn fnv1a(bytes: &[u8]) -> u32 {
    (bytes.iter()).fold(0x811c_9dc5, |h: u32, &b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

/// One term's postings: for each document that has it, in increasing order,
/// `(gap from the previous document) × 16 + weight`.
pub type Postings = Vec<u32>;

/// Postings of every term, built one document at a time in document order, so that a document's
/// own term list can be dropped as soon as it is added.
#[derive(Default)]
pub struct Collector {
    terms: FxHashMap<String, (u32, Postings)>,
    next: u32,
}

impl Collector {
    /// Adds the next document.
    pub fn add(&mut self, doc: Doc) {
        let n = self.next;
        self.next += 1;
        for (term, weight) in doc.terms {
            let (last, list) = self.terms.entry(term).or_insert((0, Vec::new()));
            let gap = if list.is_empty() { n } else { n - *last };
            *last = n;
            list.push((gap << 4) | u32::from(weight));
        }
    }

    /// Every term with its postings, sorted by term.
    pub fn finish(self) -> BTreeMap<String, Postings> {
        self.terms.into_iter().map(|(t, (_, p))| (t, p)).collect()
    }
}

pub struct Shard<'a> {
    pub first: String,
    pub terms: BTreeMap<&'a str, &'a Postings>,
}

/// Cuts the sorted terms into shards of about [`SHARD_BYTES`].
///
/// A shard ends where its terms say, not where a running count of bytes does: cut by count, a
/// word added to one page moved every later boundary, and a one-page edit wrote again every
/// shard after its first new word (5,300 files of the site-shaped corpus). A shard ends before
/// an *anchor* once it holds [`SHARD_MIN`] bytes, and before any term past [`SHARD_MAX`]. Whether
/// a term is an anchor depends on its own text and entry alone ([`is_anchor`]), so an edit moves
/// at most the boundaries next to the words it changed, and the shards between are the same
/// files as before.
pub fn split(postings: &BTreeMap<String, Postings>) -> Vec<Shard<'_>> {
    let mut shards: Vec<Shard> = Vec::new();
    let mut size = 0;
    for (term, list) in postings {
        // Term, quotes, colon, brackets, and about five characters per posting.
        let cost = term.len() + 5 + list.len() * 5;
        let full = size >= SHARD_MIN && is_anchor(term, cost) || size + cost > SHARD_MAX;
        if shards.is_empty() || full && size > 0 {
            shards.push(Shard {
                first: term.to_string(),
                terms: BTreeMap::new(),
            });
            size = 0;
        }
        size += cost;
        shards.last_mut().unwrap().terms.insert(term.as_str(), list);
    }
    if let Some(first) = shards.first_mut() {
        // Any word sorts after the empty string: the first shard covers everything before the
        // second.
        first.first = String::new();
    }
    shards
}

/// Past this many bytes a shard ends at the next anchor.
const SHARD_MIN: usize = SHARD_BYTES / 2;
/// Past this many bytes a shard ends at the next term, anchor or not.
const SHARD_MAX: usize = SHARD_BYTES * 3 / 2;

/// Whether a shard that is full enough ends before `term`, whose entry is `cost` bytes. Each
/// byte of an entry has the same chance, one in `SHARD_BYTES - SHARD_MIN`, of making its term an
/// anchor, so that shards average about [`SHARD_BYTES`] whatever the sizes of their terms; the
/// term's hash (not the place it comes in) decides.
fn is_anchor(term: &str, cost: usize) -> bool {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    term.hash(&mut h);
    // A 64-bit hash as a fraction of 2^64, against cost / (SHARD_BYTES - SHARD_MIN).
    u128::from(h.finish()) * ((SHARD_BYTES - SHARD_MIN) as u128) < (cost as u128) << 64
}

/// A JavaScript file that hands `value` to the search script: `pedonSearch("name", {...})`.
/// Script tags load from `file://` and any static host alike, where `fetch` of JSON would not.
pub fn script<T: Serialize + ?Sized>(name: &str, value: &T) -> Vec<u8> {
    let mut out = format!("pedonSearch({},", serde_json::to_string(name).unwrap()).into_bytes();
    serde_json::to_writer(&mut out, value).expect("index values serialize");
    out.extend_from_slice(b");\n");
    out
}

/// The value of a script made by [`script`], read back: `None` when it is not one.
pub fn read_script<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Option<T> {
    let body = bytes.strip_prefix(b"pedonSearch(")?.strip_suffix(b");\n")?;
    // The name is a JSON string of letters, digits and `/`: the first comma ends it.
    let at = body.iter().position(|&b| b == b',')?;
    serde_json::from_slice(&body[at + 1..]).ok()
}

/// Postings as (document, weight) pairs, in increasing order of document.
pub fn decode(postings: &Postings) -> Vec<(u32, u8)> {
    let mut doc = 0;
    (postings.iter())
        .enumerate()
        .map(|(n, &p)| {
            doc = if n == 0 { p >> 4 } else { doc + (p >> 4) };
            (doc, (p & 15) as u8)
        })
        .collect()
}

/// The inverse of [`decode`], as [`Collector`] makes them.
pub fn encode(pairs: &[(u32, u8)]) -> Postings {
    let mut last = 0;
    (pairs.iter())
        .enumerate()
        .map(|(n, &(doc, weight))| {
            let gap = if n == 0 { doc } else { doc - last };
            last = doc;
            (gap << 4) | u32::from(weight)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(terms: &[(&str, u8)]) -> Doc {
        Doc {
            terms: terms.iter().map(|(t, w)| (t.to_string(), *w)).collect(),
        }
    }

    fn postings(docs: Vec<Doc>) -> BTreeMap<String, Postings> {
        let mut c = Collector::default();
        docs.into_iter().for_each(|d| c.add(d));
        c.finish()
    }

    /// The incremental index reads shards back and re-encodes them: both ways must agree with
    /// what the collector writes.
    #[test]
    fn postings_decode_and_encode_back_and_scripts_read_back() {
        let docs = vec![
            doc(&[("cadmium", 8)]),
            doc(&[("lead", 1)]),
            doc(&[("cadmium", 1), ("lead", 2)]),
            doc(&[("cadmium", 15)]),
        ];
        let p = postings(docs);
        assert_eq!(decode(&p["cadmium"]), vec![(0, 8), (2, 1), (3, 15)]);
        for list in p.values() {
            assert_eq!(&encode(&decode(list)), list);
        }
        let shard: BTreeMap<&str, &Postings> = p.iter().map(|(t, l)| (t.as_str(), l)).collect();
        let back: BTreeMap<String, Postings> = read_script(&script("i/3", &shard)).unwrap();
        assert_eq!(back, p);
        assert_eq!(
            read_script::<BTreeMap<String, Postings>>(b"not a script"),
            None
        );
    }

    #[test]
    fn postings_are_gaps_and_weights() {
        let docs = vec![
            doc(&[("cadmium", 8)]),
            doc(&[("lead", 1)]),
            doc(&[("cadmium", 1), ("lead", 2)]),
        ];
        let p = postings(docs);
        assert_eq!(p["cadmium"], vec![8, (2 << 4) | 1]);
        assert_eq!(p["lead"], vec![(1 << 4) | 1, (1 << 4) | 2]);
    }

    #[test]
    fn shards_cover_all_terms_in_order_and_stay_small() {
        let docs: Vec<Doc> = (0..8000)
            .map(|n| doc(&[(&format!("term{:05}", n % 4000), 1), ("common", 1)]))
            .collect();
        let p = postings(docs);
        let shards = split(&p);
        // About 150 KB of entries.
        assert!((4..=12).contains(&shards.len()), "{}", shards.len());
        assert_eq!(shards[0].first, "");
        let terms: Vec<&str> = shards
            .iter()
            .flat_map(|s| s.terms.keys().copied())
            .collect();
        assert_eq!(terms, p.keys().map(String::as_str).collect::<Vec<_>>());
        for pair in shards.windows(2) {
            assert!(pair[0].terms.keys().all(|t| *t < pair[1].first.as_str()));
        }
        for shard in &shards {
            let bytes = script("i/0", &shard.terms).len();
            assert!(bytes < SHARD_BYTES * 2, "{bytes}");
        }
    }

    /// A word added to one page changes the shard that holds it, not the ones after: the
    /// boundaries are where the terms say ([`split`]).
    #[test]
    fn a_new_word_leaves_the_other_shards_as_they_were() {
        let docs = |extra: bool| -> Vec<Doc> {
            (0..8000)
                .map(|n| {
                    let term = format!("term{:05}", n % 4000);
                    match extra && n == 17 {
                        true => doc(&[(&term, 1), ("term00000b", 1)]),
                        false => doc(&[(&term, 1)]),
                    }
                })
                .collect()
        };
        let (before, after) = (postings(docs(false)), postings(docs(true)));
        let (before, after) = (split(&before), split(&after));
        let firsts = |shards: &[Shard]| shards.iter().map(|s| s.first.clone()).collect::<Vec<_>>();
        assert_eq!(firsts(&before), firsts(&after));
        let same = (before.iter().zip(&after))
            .filter(|(a, b)| a.terms == b.terms)
            .count();
        assert_eq!(same, before.len() - 1, "only the first shard changed");
    }

    /// The published test values of FNV-1a (32 bits), which `search.js` must give too.
    #[test]
    fn shard_names_are_fnv1a_in_hex() {
        assert_eq!(fnv1a(b""), 0x811c_9dc5);
        assert_eq!(fnv1a(b"a"), 0xe40c_292c);
        assert_eq!(fnv1a(b"foobar"), 0xbf9c_f968);
        let layout = Layout::of(vec![String::new(), "a".into(), "土壤".into()]);
        let names: Vec<&str> = layout.names().collect();
        assert_eq!(names[..2], ["811c9dc5", "e40c292c"]);
        assert_eq!(names[2], format!("{:08x}", fnv1a("土壤".as_bytes())));
    }

    /// Two first terms with the same hash: the later shard is named by its place too, and the
    /// manifest says so, where `Layout::read` finds it again.
    #[test]
    fn shards_whose_names_clash_are_numbered() {
        let mut by_hash = rustc_hash::FxHashMap::default();
        let (a, b) = (0..)
            .map(|n| format!("w{n}"))
            .find_map(|w| {
                let earlier = by_hash.insert(fnv1a(w.as_bytes()), w.clone());
                earlier.map(|earlier| (earlier, w))
            })
            .unwrap();
        let (a, b) = if a < b { (a, b) } else { (b, a) };
        let layout = Layout::of(vec![String::new(), a.clone(), b.clone()]);
        let hash = format!("{:08x}", fnv1a(a.as_bytes()));
        assert_eq!(layout.name(1), hash);
        assert_eq!(layout.name(2), format!("{hash}-2"));
        assert_eq!(layout.clash, [2]);
        let manifest = Manifest {
            version: 2,
            pages: 0,
            records: 0,
            record_chunk: RECORD_CHUNK,
            shards: layout.firsts.iter().map(String::as_str).collect(),
            clash: &layout.clash,
            stop: &[],
        };
        let bytes = script("index", &manifest);
        assert!(String::from_utf8_lossy(&bytes).contains("\"clash\":[2]"));
        assert_eq!(Layout::read(&bytes), Some(layout));
    }

    #[test]
    fn script_is_a_call_with_json() {
        let s = String::from_utf8(script("p/3", &("a\"</script>", 1))).unwrap();
        assert_eq!(s, "pedonSearch(\"p/3\",[\"a\\\"</script>\",1]);\n");
    }
}
