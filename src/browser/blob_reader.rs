//! A `File` as an `io::Read`: `Blob.slice` chunks read with `FileReaderSync` (only
//! available in workers), so a file is never held whole.

use js_sys::Uint8Array;
use web_sys::{Blob, FileReaderSync};

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
    chunk: Vec<u8>,
    pos: usize,
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
            chunk: Vec::new(),
            pos: 0,
        })
    }
}

impl std::io::Read for BlobReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.pos == self.chunk.len() {
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
            // One buffer for every slice: no allocation or zeroing per slice.
            let array = Uint8Array::new(&bytes);
            self.chunk.resize(array.length() as usize, 0);
            array.copy_to(&mut self.chunk);
            self.pos = 0;
            self.offset = end;
        }
        let n = buf.len().min(self.chunk.len() - self.pos);
        buf[..n].copy_from_slice(&self.chunk[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}
