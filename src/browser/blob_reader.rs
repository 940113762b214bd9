//! A `File` as an `io::Read`: `Blob.slice` chunks read with `FileReaderSync` (only
//! available in workers), so a file is never held whole.

use js_sys::Uint8Array;
use web_sys::{Blob, FileReaderSync};

use crate::report::ingest::Input;

/// Bytes fetched from the file per slice: the first slices are small (a reader may want
/// only the header, or one line), then [`SLICE`]. Each `readAsArrayBuffer` is a round
/// trip to the browser's file reader: with slices growing to 4 MB, a worker spent 66 ms
/// (mean of 6, CPU profiles) reading its half of the classic 75k report; with these, 45.
const SLICE: f64 = 16.0 * 1024.0 * 1024.0;
const FIRST_SLICE: f64 = 64.0 * 1024.0;

/// How far past its stop a reader's slice reaches, so that the line at the stop (the
/// front's cut) is read by the same slice.
const STOP_MARGIN: f64 = 64.0 * 1024.0;

pub struct BlobReader {
    blob: Blob,
    reader: FileReaderSync,
    offset: f64,
    /// Where a reader that will not read much further stops its slices first (the front
    /// of a split file: its cut); it reads on past it in later slices if asked.
    stop: f64,
    slice: f64,
    /// The slice being read, left in the browser's memory: each read copies its part
    /// straight into the caller's buffer, without a copy of the whole slice first.
    chunk: Uint8Array,
    pos: u32,
}

impl BlobReader {
    /// Reads `blob` from byte `offset`; slices end near `stop` before going past it.
    pub fn new(blob: Blob, offset: u64, stop: Option<u64>) -> Option<BlobReader> {
        Some(BlobReader {
            blob,
            reader: FileReaderSync::new().ok()?,
            offset: offset as f64,
            stop: stop.map_or(f64::INFINITY, |s| s as f64 + STOP_MARGIN),
            slice: FIRST_SLICE,
            chunk: Uint8Array::new_with_length(0),
            pos: 0,
        })
    }
}

impl Input for BlobReader {
    fn left(&self) -> Option<u64> {
        let unread = self.chunk.length() - self.pos;
        Some((self.blob.size() - self.offset) as u64 + u64::from(unread))
    }
}

impl std::io::Read for BlobReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.pos == self.chunk.length() {
            let size = self.blob.size();
            if self.offset >= size {
                return Ok(0);
            }
            let mut end = (self.offset + self.slice).min(size);
            if self.offset < self.stop {
                end = end.min(self.stop);
            }
            self.slice = (self.slice * 16.0).min(SLICE);
            let slice = self
                .blob
                .slice_with_f64_and_f64(self.offset, end)
                .map_err(|_| std::io::Error::other("the browser could not slice the file"))?;
            let bytes = self
                .reader
                .read_as_array_buffer(&slice)
                .map_err(|_| std::io::Error::other("the browser could not read the file"))?;
            self.chunk = Uint8Array::new(&bytes);
            self.pos = 0;
            self.offset = end;
        }
        let n = (self.chunk.length() - self.pos).min(buf.len().try_into().unwrap_or(u32::MAX));
        let end = self.pos + n;
        self.chunk
            .subarray(self.pos, end)
            .copy_to(&mut buf[..n as usize]);
        self.pos = end;
        Ok(n as usize)
    }
}
