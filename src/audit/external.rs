//! External sorting with bounded memory: items are buffered up to a byte budget, each full
//! buffer is sorted and appended to the run's temporary file as a sorted run, and the runs
//! are read back through a k-way merge (a buffer of [`CHUNK`] bytes per run). More than
//! [`FAN_IN`] runs are first merged into longer runs, so that a merge never reads more than
//! [`FAN_IN`] runs at once whatever the input's size. Nothing reaches the disk when every item
//! fits in one buffer (small logs sort in memory).

use super::spill::SpillFile;
use std::cell::RefCell;
use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};
use std::sync::Arc;

/// Bytes read from a run at a time during a merge.
const CHUNK: usize = 64 * 1024;

/// The most runs merged at once.
const FAN_IN: usize = 64;

/// Strings shared by many items (file names, API names), written as their index.
#[derive(Default)]
pub struct Names {
    index: HashMap<Arc<str>, u32>,
    list: Vec<Arc<str>>,
}

impl Names {
    /// The index of `name` (added on first use).
    pub fn index(&mut self, name: &Arc<str>) -> u32 {
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        let i = u32::try_from(self.list.len()).unwrap_or(u32::MAX);
        self.list.push(name.clone());
        self.index.insert(name.clone(), i);
        i
    }

    pub fn get(&self, index: u32) -> Option<Arc<str>> {
        self.list.get(index as usize).cloned()
    }
}

/// An item an external sort can write and read back.
pub trait Item: Sized + Clone {
    /// Appends the item's bytes.
    fn encode(&self, out: &mut Vec<u8>, names: &mut Names);
    /// The item of `bytes` (as written by [`Item::encode`]).
    fn decode(bytes: &[u8], names: &Names) -> Option<Self>;
    /// About how many bytes the item holds in memory.
    fn size(&self) -> usize;
}

/// Sorts items by `order` within a memory budget.
pub struct Sorter<T: Item> {
    file: Arc<SpillFile>,
    order: fn(&T, &T) -> Ordering,
    buffer: Vec<T>,
    bytes: usize,
    budget: usize,
    runs: Vec<(u64, u64)>,
    names: Names,
}

impl<T: Item> Sorter<T> {
    /// A sorter that spills a run once `budget` bytes of items wait in memory.
    pub fn new(file: Arc<SpillFile>, order: fn(&T, &T) -> Ordering, budget: usize) -> Self {
        Sorter { file, order, buffer: Vec::new(), bytes: 0, budget, runs: Vec::new(), names: Names::default() }
    }

    pub fn push(&mut self, item: T) -> std::io::Result<()> {
        self.bytes += item.size() + std::mem::size_of::<T>();
        self.buffer.push(item);
        if self.bytes >= self.budget {
            self.spill()?;
        }
        Ok(())
    }

    /// Writes the buffer as a sorted run.
    fn spill(&mut self) -> std::io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let order = self.order;
        self.buffer.sort_by(order);
        let mut bytes = Vec::with_capacity(self.bytes);
        let mut item = Vec::new();
        for t in self.buffer.drain(..) {
            item.clear();
            t.encode(&mut item, &mut self.names);
            frame(&mut bytes, &item);
        }
        self.bytes = 0;
        self.buffer = Vec::new();
        let at = self.file.append(&bytes)?;
        self.runs.push((at, bytes.len() as u64));
        Ok(())
    }

    /// The items in order, ready to be read (as many times as needed).
    pub fn finish(mut self) -> std::io::Result<Sorted<T>> {
        if self.runs.is_empty() {
            let order = self.order;
            self.buffer.sort_by(order);
            return Ok(Sorted {
                order,
                memory: self.buffer,
                runs: Vec::new(),
                file: self.file,
                names: self.names,
                error: RefCell::new(None),
            });
        }
        self.spill()?;
        while self.runs.len() > FAN_IN {
            // Merges the first runs into one longer run at the end of the file.
            let first: Vec<(u64, u64)> = self.runs.drain(..FAN_IN).collect();
            let error = RefCell::new(None);
            let mut bytes = Vec::with_capacity(CHUNK);
            let mut start = None;
            let mut written = 0u64;
            for raw in Merge::new(&self.file, &first, self.order, &self.names, &error) {
                frame(&mut bytes, &raw.1);
                if bytes.len() >= CHUNK {
                    let at = self.file.append(&bytes)?;
                    start.get_or_insert(at);
                    written += bytes.len() as u64;
                    bytes.clear();
                }
            }
            if let Some(e) = error.into_inner() {
                return Err(e);
            }
            if !bytes.is_empty() || start.is_none() {
                let at = self.file.append(&bytes)?;
                start.get_or_insert(at);
                written += bytes.len() as u64;
            }
            // The appends of one merge are contiguous: nothing else writes to the file meanwhile
            // (the inputs are all read before the sorters finish).
            self.runs.push((start.unwrap_or_default(), written));
        }
        Ok(Sorted {
            order: self.order,
            memory: Vec::new(),
            runs: self.runs,
            file: self.file,
            names: self.names,
            error: RefCell::new(None),
        })
    }
}

/// Appends one length-prefixed item.
fn frame(out: &mut Vec<u8>, item: &[u8]) {
    out.extend_from_slice(&u32::try_from(item.len()).unwrap_or(u32::MAX).to_le_bytes());
    out.extend_from_slice(item);
}

/// The sorted items: in memory, or runs on disk merged as they are read.
pub struct Sorted<T: Item> {
    order: fn(&T, &T) -> Ordering,
    memory: Vec<T>,
    runs: Vec<(u64, u64)>,
    file: Arc<SpillFile>,
    names: Names,
    /// The first error reading the runs back (the items stop there).
    error: RefCell<Option<std::io::Error>>,
}

impl<T: Item> Sorted<T> {
    /// Every item, in order.
    pub fn iter(&self) -> Box<dyn Iterator<Item = T> + '_> {
        if self.runs.is_empty() {
            return Box::new(self.memory.iter().cloned());
        }
        Box::new(Merge::new(&self.file, &self.runs, self.order, &self.names, &self.error).map(|(t, _)| t))
    }

    /// The error that stopped a read, if any.
    pub fn take_error(&self) -> Option<std::io::Error> {
        self.error.borrow_mut().take()
    }
}

/// A sorted run read a chunk at a time.
struct Run<'f> {
    file: &'f SpillFile,
    at: u64,
    end: u64,
    buf: Vec<u8>,
    pos: usize,
}

impl Run<'_> {
    /// The next item's bytes; `None` at the end of the run.
    fn next(&mut self) -> std::io::Result<Option<Vec<u8>>> {
        let len = match self.fill(4)? {
            false => return Ok(None),
            true => {
                let head: [u8; 4] = self
                    .buf
                    .get(self.pos..self.pos + 4)
                    .and_then(|h| h.try_into().ok())
                    .ok_or_else(|| std::io::Error::other("a sorted run is cut"))?;
                u32::from_le_bytes(head) as usize
            }
        };
        if !self.fill(4 + len)? {
            return Err(std::io::Error::other("a sorted run is cut"));
        }
        let item = self.buf.get(self.pos + 4..self.pos + 4 + len).map(<[u8]>::to_vec);
        self.pos += 4 + len;
        item.map(Some).ok_or_else(|| std::io::Error::other("a sorted run is cut"))
    }

    /// Makes `n` bytes available from `pos`; false at the end of the run.
    fn fill(&mut self, n: usize) -> std::io::Result<bool> {
        while self.buf.len() - self.pos < n {
            if self.at >= self.end {
                return Ok(false);
            }
            self.buf.drain(..self.pos);
            self.pos = 0;
            let want = (self.end - self.at).min(CHUNK.max(n) as u64);
            let bytes = self.file.read(self.at, want)?;
            if bytes.is_empty() {
                return Err(std::io::Error::other("a sorted run is cut"));
            }
            self.at += bytes.len() as u64;
            self.buf.extend_from_slice(&bytes);
        }
        Ok(true)
    }
}

/// An item at the head of its run.
struct Head<T> {
    item: T,
    bytes: Vec<u8>,
    run: usize,
    order: fn(&T, &T) -> Ordering,
}

impl<T> PartialEq for Head<T> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl<T> Eq for Head<T> {}
impl<T> PartialOrd for Head<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<T> Ord for Head<T> {
    /// Reversed: the heap's top is the least item (then the earliest run, so equal items keep
    /// the order they were pushed in).
    fn cmp(&self, other: &Self) -> Ordering {
        (self.order)(&other.item, &self.item).then(other.run.cmp(&self.run))
    }
}

/// The k-way merge of sorted runs: yields each item with its bytes.
struct Merge<'s, T> {
    runs: Vec<Run<'s>>,
    heap: BinaryHeap<Head<T>>,
    names: &'s Names,
    error: &'s RefCell<Option<std::io::Error>>,
    order: fn(&T, &T) -> Ordering,
}

impl<'s, T: Item> Merge<'s, T> {
    fn new(
        file: &'s SpillFile,
        runs: &[(u64, u64)],
        order: fn(&T, &T) -> Ordering,
        names: &'s Names,
        error: &'s RefCell<Option<std::io::Error>>,
    ) -> Self {
        let runs = runs.iter().map(|&(at, len)| Run { file, at, end: at + len, buf: Vec::new(), pos: 0 }).collect();
        let mut merge = Merge { runs, heap: BinaryHeap::new(), names, error, order };
        for run in 0..merge.runs.len() {
            merge.advance(run);
        }
        merge
    }

    /// Reads the next item of `run` into the heap.
    fn advance(&mut self, run: usize) {
        let Some(r) = self.runs.get_mut(run) else { return };
        match r.next() {
            Ok(Some(bytes)) => match T::decode(&bytes, self.names) {
                Some(item) => self.heap.push(Head { item, bytes, run, order: self.order }),
                None => self.fail(std::io::Error::other("a sorted run holds an unreadable item")),
            },
            Ok(None) => {}
            Err(e) => self.fail(e),
        }
    }

    fn fail(&mut self, e: std::io::Error) {
        self.heap.clear();
        self.runs.clear();
        let mut slot = self.error.borrow_mut();
        if slot.is_none() {
            *slot = Some(e);
        }
    }
}

impl<T: Item> Iterator for Merge<'_, T> {
    type Item = (T, Vec<u8>);

    fn next(&mut self) -> Option<(T, Vec<u8>)> {
        let head = self.heap.pop()?;
        self.advance(head.run);
        Some((head.item, head.bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::{Item, Names, Sorter};

    impl Item for u64 {
        fn encode(&self, out: &mut Vec<u8>, _: &mut Names) {
            out.extend_from_slice(&self.to_le_bytes());
        }
        fn decode(bytes: &[u8], _: &Names) -> Option<Self> {
            Some(u64::from_le_bytes(bytes.try_into().ok()?))
        }
        fn size(&self) -> usize {
            0
        }
    }

    /// Spilled runs (more than the fan-in, so merged in two passes) read back in order, twice.
    #[test]
    fn spilled_runs_merge_in_order() {
        let file = super::SpillFile::new();
        // 16-byte budget: two items per run, 500 runs.
        let mut sorter = Sorter::new(file, |a: &u64, b: &u64| a.cmp(b), 32);
        let mut expected = Vec::new();
        for i in 0..1000u64 {
            let v = (i * 7919) % 1000;
            sorter.push(v).unwrap();
            expected.push(v);
        }
        expected.sort_unstable();
        let sorted = sorter.finish().unwrap();
        assert!(sorted.runs.len() <= super::FAN_IN);
        assert_eq!(sorted.iter().collect::<Vec<_>>(), expected);
        assert_eq!(sorted.iter().count(), 1000);
        assert!(sorted.take_error().is_none());
    }

    #[test]
    fn small_sorts_stay_in_memory() {
        let mut sorter = Sorter::new(super::SpillFile::new(), |a: &u64, b: &u64| b.cmp(a), 1 << 20);
        for v in [3u64, 1, 2] {
            sorter.push(v).unwrap();
        }
        let sorted = sorter.finish().unwrap();
        assert!(sorted.runs.is_empty());
        assert_eq!(sorted.iter().collect::<Vec<_>>(), [3, 2, 1]);
    }
}
