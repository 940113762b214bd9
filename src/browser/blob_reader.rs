//! A `File` as an `io::Read`: `Blob.slice` chunks read with `FileReaderSync` (only
//! available in workers), so a file is never held whole.

use js_sys::Uint8Array;
use web_sys::{Blob, FileReaderSync};

/// Bytes fetched from the file per slice: the first slices are small (a reader may want
/// only the header, or one line), then they grow to [`SLICE`].
const SLICE: f64 = 4.0 * 1024.0 * 1024.0;
const FIRST_SLICE: f64 = 64.0 * 1024.0;

pub struct BlobReader {
    blob: Blob,
    reader: FileReaderSync,
    offset: f64,
    slice: f64,
    chunk: Vec<u8>,
    pos: usize,
}

impl BlobReader {
    /// Reads `blob` from byte `offset`.
    pub fn new(blob: Blob, offset: u64) -> Option<BlobReader> {
        Some(BlobReader {
            blob,
            reader: FileReaderSync::new().ok()?,
            offset: offset as f64,
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
            let end = (self.offset + self.slice).min(size);
            self.slice = (self.slice * 4.0).min(SLICE);
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
