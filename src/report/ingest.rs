//! Reading one file into the [`Dataset`], as a stream: decode chunk by chunk, then either
//! JSON (split into records, find the record kind) or delimited text (find the
//! separator and the header, let the recognised format read each row); settle the date
//! column; add the rows. A file is never held whole.
//! Never panics on user data: a bad file is a [`LoadError`], a bad row a counted
//! [`RowProblem`] while the rest of the file loads.

use super::dates::{format_iso, DateColumn, DateOrder, Millis, Stamp};
use super::decode::{DecodeReader, TextEncoding};
use super::delimited::{RecordError, Records};
use super::formats::json::{self, Envelope};
use super::formats::mapped::MappedCsv;
use super::formats::{recognise, FormatId, RowContext, Rows, TableFormat};
use super::intern::Interner;
use super::key::trim;
use super::model::{Dataset, Event, Source, SourceId};
use super::order;
use super::problems::{LoadError, RowProblem, RowProblemKind, KEPT_PROBLEMS};

/// How far reading a file has got.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    pub bytes: u64,
    pub rows: u64,
    /// A front reader found no record starting at its cut and reads the whole file: a
    /// back reader is not needed.
    pub whole: bool,
}

impl Progress {
    /// A front reader gives up its cut before it has read anything.
    const WHOLE: Progress = Progress {
        bytes: 0,
        rows: 0,
        whole: true,
    };
}

/// A file's bytes from some offset on.
pub trait Input: std::io::Read {
    /// How many bytes are left to read, if known: the rows' room is reserved from it.
    fn left(&self) -> Option<u64> {
        None
    }
}

impl Input for &[u8] {
    fn left(&self) -> Option<u64> {
        Some(self.len() as u64)
    }
}

impl Input for std::io::Empty {}

/// Opens the file at a byte offset (0: its start); called again if the file must be
/// re-read in another encoding, and by a back reader (see [`load_back`]).
pub type Open<'s> = dyn FnMut(u64) -> Box<dyn Input + 's> + 's;

/// Opens bytes held in memory.
pub fn in_memory<'b>(bytes: &'b [u8]) -> impl FnMut(u64) -> Box<dyn Input + 'b> + 'b {
    move |at| Box::new(bytes.get(at as usize..).unwrap_or_default())
}

/// Reads a whole file held in memory.
pub fn load(dataset: &mut Dataset, file: &str, bytes: &[u8]) -> Result<SourceId, LoadError> {
    load_from(dataset, file, &mut in_memory(bytes), None, &mut |_| {})
}

/// Reads a file whose header no format claims, with the columns the user assigned to
/// each [`super::formats::mapped::Role`] (`at[role]` is a field index).
pub fn load_mapped(
    dataset: &mut Dataset,
    file: &str,
    bytes: &[u8],
    at: &[Option<usize>],
) -> Result<SourceId, LoadError> {
    load_from(dataset, file, &mut in_memory(bytes), Some(at), &mut |_| {})
}

/// Reads a file as a stream. `progress` hears of bytes and rows read now and then.
pub fn load_from(
    dataset: &mut Dataset,
    file: &str,
    open: &mut Open<'_>,
    mapping: Option<&[Option<usize>]>,
    progress: &mut dyn FnMut(Progress),
) -> Result<SourceId, LoadError> {
    let read = read_file(&mut dataset.strings, open, mapping, None, progress)?;
    Ok(finish(dataset, file, read))
}

/// What [`load_front`] did with a file.
pub enum Loaded {
    /// It read the whole file: a JSON file, one not in UTF-8, or one where no record
    /// starts at the cut (a quoted field spans it).
    Whole(SourceId),
    /// It read up to the cut; the back is read by [`load_back`], then [`Front::join`]ed.
    Front(Box<Front>),
}

/// The front of a delimited UTF-8 file, read up to the cut, its dates not yet settled.
pub struct Front {
    read: FileRead,
    /// Where the back reader was asked to start, and where it does start.
    pub middle: u64,
    cut: u64,
    /// The line at the cut.
    line: u64,
}

/// A large delimited file can be read by two readers at once, each on its own thread.
/// The front reader starts at the beginning and stops at the *cut*: the start of the
/// first line that begins at or after `middle` (see [`find_cut`]), if a record starts
/// there; the back reader ([`load_back`]) reads from the cut to the end. The joined
/// result is what [`load_from`] gives for the whole file, line numbers and problems
/// included. A cut inside a quoted field is noticed and the front reads on to the end.
/// Whenever the front reads the whole file, `progress` hears `whole` at once.
pub fn load_front(
    dataset: &mut Dataset,
    file: &str,
    open: &mut Open<'_>,
    mapping: Option<&[Option<usize>]>,
    middle: u64,
    progress: &mut dyn FnMut(Progress),
) -> Result<Loaded, LoadError> {
    let mut read = read_file(&mut dataset.strings, open, mapping, Some(middle), progress)?;
    match read.stopped_at.take() {
        Some((cut, line)) => Ok(Loaded::Front(Box::new(Front {
            read,
            middle,
            cut,
            line,
        }))),
        None => Ok(Loaded::Whole(finish(dataset, file, read))),
    }
}

/// The cut for a back reader asked to start at `middle`: just after the first line
/// break at or after `middle - 1`; `None` if there is none.
pub fn find_cut(open: &mut Open<'_>, middle: u64) -> Option<u64> {
    let from = middle.checked_sub(1)?;
    let mut reader = open(from);
    let mut buf = [0u8; 1 << 12];
    let mut offset = from;
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => return None,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => return None,
        };
        if let Some(i) = memchr::memchr(b'\n', &buf[..n]) {
            return Some(offset + i as u64 + 1);
        }
        offset += n as u64;
    }
}

/// Why a back reader gave up; the front then reads the back itself, or the whole file
/// is read again by one reader.
#[derive(Debug, PartialEq, Eq)]
pub enum BackError {
    /// Not a delimited UTF-8 file, or no line starts after the middle: nothing to split.
    NotSplittable,
    /// A row is not UTF-8 though none before it in the back had non-ASCII bytes: the
    /// file may be Windows-1252, which only a reading from the start can tell.
    NotUtf8,
}

/// The back of a file, from the cut to the end, as read by a second reader. Its rows
/// use the strings of the interner [`load_back`] was given, and count their lines from
/// the cut (line 1). Only UTF-8 is split, so no character was replaced.
pub struct Back {
    pub(crate) cut: u64,
    pub(crate) rows: Rows,
    pub(crate) problems: Problems,
    pub(crate) blank: u32,
    pub(crate) dates: DateColumn,
}

/// Reads the back of a file: the header from its start (to know the format), then the
/// rows from the cut for `middle`, interning their strings in `strings` (a worker's
/// own, or the front's when the front reads its back itself).
pub fn load_back(
    strings: &mut Interner,
    open: &mut Open<'_>,
    mapping: Option<&[Option<usize>]>,
    middle: u64,
    progress: &mut dyn FnMut(Progress),
) -> Result<Back, BackError> {
    let mut decoder = DecodeReader::new(open(0), None).map_err(|_| BackError::NotSplittable)?;
    if is_json(first_byte(&mut decoder), mapping) || !decoder.encoding.is_utf8() {
        return Err(BackError::NotSplittable);
    }
    // Read on in the file's own encoding: with a BOM, a row that is not UTF-8 is a bad
    // row, as one reader reads it, not a sign of Windows-1252.
    let encoding = decoder.encoding;
    let head = Table::open(decoder, None).map_err(|_| BackError::NotSplittable)?;
    let (format, at, evidence) = head.format(mapping).map_err(|_| BackError::NotSplittable)?;
    let cut = find_cut(open, middle).ok_or(BackError::NotSplittable)?;
    let input = open(cut);
    let end = input.left().map(|left| cut + left);
    let decoder = DecodeReader::new(input, Some(encoding)).map_err(|_| BackError::NotSplittable)?;
    let read = Table::from_cut(head.separator, head.header, decoder, cut, end)
        .read(format, &at, evidence, strings, None, progress)
        .ok_or(BackError::NotUtf8)?;
    Ok(Back {
        cut,
        rows: read.rows,
        problems: read.problems,
        blank: read.blank,
        dates: read.dates,
    })
}

/// The head of a back read by another worker: all its front needs of it.
#[derive(Debug)]
pub struct BackHead {
    /// Where the back was read from.
    pub cut: u64,
    /// Its time column's evidence for the day/month decision.
    pub dates: DateColumn,
    /// Its rows.
    pub rows: usize,
}

/// What the page needs to add the back of a file to its front settled alone (see
/// [`Front::settle_alone`]): the back's rows and counts come in its own message.
#[derive(Debug)]
pub struct Join {
    /// The line before the cut: the back counts its lines from the cut.
    pub shift: u64,
    /// The day/month order decided over both parts.
    pub order: DateOrder,
    /// The time column, for the problems found when the back's dates are settled.
    pub time_column: Option<(usize, String)>,
    /// The back's rows: room for them is made beside the front's.
    pub back_rows: usize,
}

impl Front {
    /// How far the front has read: to the cut, and its rows.
    pub fn reached(&self) -> Progress {
        Progress {
            bytes: self.cut,
            rows: self.read.rows.events.len() as u64,
            whole: false,
        }
    }

    /// Settles the front on its own, its dates decided over the back's evidence too (the
    /// back read by another worker, whose message the page adds to this file: see
    /// `wire::encode_front`). `None` (and nothing added) if the back was read from
    /// another cut.
    pub fn settle_alone(
        mut self,
        dataset: &mut Dataset,
        file: &str,
        back: &BackHead,
    ) -> Option<(SourceId, Join)> {
        if back.cut != self.cut {
            return None;
        }
        self.read.dates.absorb(&back.dates);
        let join = Join {
            shift: self.line - 1,
            order: self.read.dates.decide().0,
            time_column: self.read.time_column.clone(),
            back_rows: back.rows,
        };
        Some((finish(dataset, file, self.read), join))
    }

    /// Adds the back (its strings already in `dataset`'s interner) to the front and
    /// settles the file, as one source; `None` (and nothing added) if the back was read
    /// from another cut.
    pub fn join(mut self, dataset: &mut Dataset, file: &str, back: Back) -> Option<SourceId> {
        if back.cut != self.cut {
            return None;
        }
        let shift = self.line - 1;
        let rows = &mut self.read.rows;
        rows.events
            .extend(back.rows.events.into_iter().map(|mut e| {
                e.line += shift as u32;
                e
            }));
        rows.stamps.extend(back.rows.stamps);
        self.read.problems.absorb(back.problems, shift);
        self.read.blank += back.blank;
        self.read.dates.absorb(&back.dates);
        Some(finish(dataset, file, self.read))
    }
}

/// Adds the back of a file to its front's `source` (as [`Front::join`] would have): the
/// count of all the file's `rows` and the earliest and latest times of the back's (which
/// are in the data), the back's problems (lines counted from the cut), those found
/// settling its dates (`late`, lines counted from the file's start), and its blank rows.
pub(crate) fn add_back(
    source: &mut Source,
    rows: usize,
    (first, last): (Option<Millis>, Option<Millis>),
    problems: Problems,
    late: Problems,
    blank: u32,
    shift: u64,
) {
    let mut all = Problems {
        kept: std::mem::take(&mut source.problems),
        skipped: source.skipped_rows,
    };
    all.absorb(problems, shift);
    all.absorb(late, 0);
    source.problems = all.kept;
    source.skipped_rows = all.skipped;
    source.blank_rows += blank;
    source.rows = rows as u32;
    source.first_event = source.first_event.into_iter().chain(first).min();
    source.last_event = source.last_event.into_iter().chain(last).max();
}

/// Whether a text that starts with `first` is read as JSON (a column mapping says it is
/// a table).
fn is_json(first: Option<u8>, mapping: Option<&[Option<usize>]>) -> bool {
    matches!(first, Some(b'{' | b'[')) && mapping.is_none()
}

/// Reads a file up to its end, or, when `middle` is given and the file is delimited
/// UTF-8, up to the cut for it (see [`find_cut`]; then `FileRead::stopped_at` says
/// whether a record started there). When there is no cut to use, `progress` hears
/// `whole` at once.
fn read_file(
    strings: &mut Interner,
    open: &mut Open<'_>,
    mapping: Option<&[Option<usize>]>,
    middle: Option<u64>,
    progress: &mut dyn FnMut(Progress),
) -> Result<FileRead, LoadError> {
    let mut forced = None;
    loop {
        let input = open(0);
        let end = input.left();
        let mut decoder = DecodeReader::new(input, forced).map_err(LoadError::Binary)?;
        let first = first_byte(&mut decoder);
        // Offsets of a UTF-8 file's text are offsets in the file (past a BOM).
        let splittable = !is_json(first, mapping) && decoder.encoding.is_utf8();
        let usable = middle
            .filter(|_| splittable)
            .and_then(|m| find_cut(open, m));
        if middle.is_some() && usable.is_none() {
            progress(Progress::WHOLE);
        }
        return match first {
            None => Err(LoadError::Empty),
            Some(_) if is_json(first, mapping) => read_json(decoder, strings, progress),
            Some(_) => {
                let mut table = Table::open(decoder, end)?;
                let (format, at, evidence) = table.format(mapping)?;
                match table.read(format, &at, evidence, strings, usable, progress) {
                    Some(read) => Ok(read),
                    None => {
                        // Not UTF-8 after all, though the start looked like it: read again.
                        forced = Some(TextEncoding::Windows1252);
                        continue;
                    }
                }
            }
        };
    }
}

/// The first byte of the text that is not white space.
fn first_byte<R: std::io::Read>(decoder: &mut DecodeReader<R>) -> Option<u8> {
    let head = decoder.head(1 << 12);
    head.iter().find(|b| !b.is_ascii_whitespace()).copied()
}

/// The header of a delimited file whose columns no format claims, and its first rows,
/// for the column-mapping step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Preview {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

pub fn preview(bytes: &[u8], rows: usize) -> Result<Preview, LoadError> {
    preview_from(Box::new(bytes), rows)
}

pub fn preview_from(src: Box<dyn Input + '_>, rows: usize) -> Result<Preview, LoadError> {
    let decoder = DecodeReader::new(src, None).map_err(LoadError::Binary)?;
    let mut table = Table::open(decoder, None)?;
    let mut out = Vec::new();
    while out.len() < rows {
        let Ok(Some(record)) = table.reader.read() else {
            break;
        };
        out.push(record.iter().map(|f| f.trim().to_string()).collect());
    }
    Ok(Preview {
        header: table.header,
        rows: out,
    })
}

/// What a format read from one file, before the date decision.
struct FileRead {
    format: FormatId,
    encoding: TextEncoding,
    replaced: bool,
    separator: u8,
    json: Option<Envelope>,
    evidence: String,
    rows: Rows,
    problems: Problems,
    blank: u32,
    /// The time column, for problems found when the dates are settled.
    time_column: Option<(usize, String)>,
    /// The cut and the line at it, when reading stopped there.
    stopped_at: Option<(u64, u64)>,
    /// The time column's evidence for the day/month decision.
    dates: DateColumn,
}

/// The rows of a file that could not be read: all counted, the first [`KEPT_PROBLEMS`]
/// kept.
#[derive(Default)]
pub(crate) struct Problems {
    pub(crate) kept: Vec<RowProblem>,
    pub(crate) skipped: u32,
}

impl Problems {
    /// Counts a problem; keeps it while fewer than [`KEPT_PROBLEMS`] are kept. Problems
    /// are noted in line order, so the kept ones are the first in the file.
    pub(crate) fn note(&mut self, problem: RowProblem) {
        self.skipped += 1;
        if self.kept.len() < KEPT_PROBLEMS {
            self.kept.push(problem);
        }
    }

    /// Adds problems found elsewhere (in a later part of the file, lines counted from
    /// `shift + 1`; or when the dates were settled): the first of all, by line, stay.
    fn absorb(&mut self, other: Problems, shift: u64) {
        self.skipped += other.skipped;
        self.kept.extend(other.kept.into_iter().map(|mut p| {
            p.line += shift;
            p
        }));
        order::sort_by_key(&mut self.kept, |p| p.line);
        self.kept.truncate(KEPT_PROBLEMS);
    }
}

fn read_json<R: std::io::Read>(
    mut decoder: DecodeReader<R>,
    strings: &mut Interner,
    progress: &mut dyn FnMut(Progress),
) -> Result<FileRead, LoadError> {
    let mut dates = DateColumn::default();
    let mut cx = RowContext::new(strings, &mut dates);
    let bytes = std::cell::Cell::new(0u64);
    let mut problems = Problems::default();
    let found = {
        let counting = CountingRead {
            inner: &mut decoder,
            bytes: &bytes,
        };
        json::read(
            counting,
            &mut cx,
            &mut |problem| problems.note(problem),
            &mut |rows| {
                progress(Progress {
                    bytes: bytes.get(),
                    rows,
                    whole: false,
                })
            },
        )?
    };
    Ok(FileRead {
        format: found.format,
        encoding: decoder.encoding,
        replaced: decoder.replaced,
        separator: 0,
        json: Some(found.envelope),
        evidence: found.evidence,
        rows: found.rows,
        problems,
        blank: found.blank,
        time_column: None,
        stopped_at: None,
        dates,
    })
}

/// Passes reads through, keeping the source bytes consumed for progress.
struct CountingRead<'a, R> {
    inner: &'a mut DecodeReader<R>,
    bytes: &'a std::cell::Cell<u64>,
}

impl<R: std::io::Read> std::io::Read for CountingRead<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bytes.set(self.inner.bytes_in);
        Ok(n)
    }
}

/// A delimited file being read: separator, header, and the reader at the first row.
struct Table<R> {
    reader: Records<DecodeReader<R>>,
    separator: u8,
    skipped_lines: u64,
    /// The file offset of the reader's first byte (a BOM, a `sep=` line, a cut), for a
    /// UTF-8 file whose text offsets are file offsets.
    base: u64,
    /// The file offset where the text ends, when the file says how long it is.
    end: Option<u64>,
    header: Vec<String>,
}

/// A table's format, the column of each of its fields, and the header names that
/// decided it.
type Chosen = (&'static dyn TableFormat, Vec<Option<usize>>, String);

impl<R: std::io::Read> Table<R> {
    fn open(mut decoder: DecodeReader<R>, end: Option<u64>) -> Result<Table<R>, LoadError> {
        let bom = u64::from(decoder.encoding == TextEncoding::Utf8Bom) * 3;
        // The header is the first line: look for it in a small head first. Asking for
        // 64 KiB at once made a back reader, which opens the file only for its header,
        // fetch a second chunk whenever a BOM took 3 bytes of the first (in the page: a
        // 1 MB slice: ~14 ms more before a back reader of the classic 75k report began).
        let small = decoder.head(1 << 12).contains(&b'\n');
        let head = decoder.head(if small { 1 << 12 } else { 1 << 16 });
        let first_line_end = head
            .iter()
            .position(|&b| b == b'\n')
            .map_or(head.len(), |i| i + 1);
        let first_line = String::from_utf8_lossy(&head[..first_line_end]).into_owned();
        // Excel may write `sep=;` as a first line.
        let (separator, skipped_lines, skipped_bytes) = match excel_separator(&first_line) {
            Some(sep) => {
                decoder.skip(first_line_end);
                (sep, 1, first_line_end as u64)
            }
            None => (detect_separator(&first_line), 0, 0),
        };
        let mut reader = Records::new(decoder, separator);
        let Ok(Some(record)) = reader.read() else {
            return Err(LoadError::Empty);
        };
        let header = record.iter().map(|h| h.trim().to_string()).collect();
        // Only the rows' text tells whether a file that looked like UTF-8 is not.
        reader.forget_non_ascii();
        Ok(Table {
            reader,
            separator,
            skipped_lines,
            base: bom + skipped_bytes,
            end,
            header,
        })
    }

    /// The rows of a table with `header` from `cut` on, `decoder` reading from there.
    fn from_cut(
        separator: u8,
        header: Vec<String>,
        decoder: DecodeReader<R>,
        cut: u64,
        end: Option<u64>,
    ) -> Table<R> {
        Table {
            reader: Records::new(decoder, separator),
            separator,
            skipped_lines: 0,
            base: cut,
            end,
            header,
        }
    }

    /// The format that reads this table, the column of each of its fields, and the
    /// header names that decided it.
    fn format(&self, mapping: Option<&[Option<usize>]>) -> Result<Chosen, LoadError> {
        if let Some(at) = mapping {
            return Ok((
                &MappedCsv,
                at.to_vec(),
                self.names(at.iter().flatten().copied()),
            ));
        }
        let (format, at) = recognise(&self.header).map_err(|closest| {
            if self.header.len() == 1 {
                LoadError::NotATable
            } else {
                LoadError::UnknownHeader {
                    found: self.header.clone(),
                    closest: closest.0,
                }
            }
        })?;
        let required = format
            .columns()
            .iter()
            .zip(&at)
            .filter(|(c, _)| c.required)
            .filter_map(|(_, i)| *i);
        let evidence = self.names(required);
        Ok((format, at, evidence))
    }

    fn names(&self, columns: impl Iterator<Item = usize>) -> String {
        columns
            .filter_map(|i| self.header.get(i).cloned())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Reads every row, or the rows before `cut` (a file offset just past a line
    /// break) when a record starts there. `None` when a row is not UTF-8 although
    /// nothing before it had non-ASCII bytes: the file is Windows-1252 and must be read
    /// again as such.
    fn read(
        &mut self,
        format: &dyn TableFormat,
        at: &[Option<usize>],
        evidence: String,
        strings: &mut Interner,
        mut cut: Option<u64>,
        progress: &mut dyn FnMut(Progress),
    ) -> Option<FileRead> {
        let time = format.time_column(at);
        let time_column = at[time].map(|i| (i + 1, format.columns()[time].name.to_string()));
        let encoding = self.reader.get_ref().encoding;
        let mut read = FileRead {
            format: format.id(),
            encoding,
            replaced: false,
            separator: self.separator,
            json: None,
            evidence,
            rows: Rows::default(),
            problems: Problems::default(),
            blank: 0,
            time_column,
            stopped_at: None,
            dates: DateColumn::default(),
        };
        let needed = at
            .iter()
            .zip(format.columns())
            .filter(|(_, c)| c.required)
            .filter_map(|(i, _)| *i)
            .max()
            .map_or(0, |m| m + 1);
        let mut cx = RowContext::new(strings, &mut read.dates);
        let mut rows = 0u64;
        loop {
            if let Some(c) = cut {
                // Records end at a line break, so one starts at the cut unless a quoted
                // field spans it: then read on.
                let here = self.base + self.reader.skip_line_ends_to(c.saturating_sub(self.base));
                if here == c {
                    let line = self.reader.line_here() + self.skipped_lines;
                    read.stopped_at = Some((c, line));
                    break;
                }
                if here > c {
                    cut = None;
                    progress(Progress {
                        bytes: self.reader.get_ref().bytes_in,
                        rows,
                        whole: true,
                    });
                }
            }
            // Counted before the record is read (it borrows the reader while used).
            rows += 1;
            if rows == ROWS_BEFORE_RESERVING {
                self.reserve(&mut read.rows, rows, cut);
            }
            if rows % 10_000 == 0 {
                // Bytes read ahead past the cut are the back reader's to count.
                let bytes = self.reader.get_ref().bytes_in;
                let bytes = cut.map_or(bytes, |c| bytes.min(c));
                let whole = false;
                progress(Progress { bytes, rows, whole });
            }
            match self.reader.read() {
                Ok(None) => break,
                Ok(Some(record)) => {
                    let line = record.line + self.skipped_lines;
                    if record.iter().all(|f| trim(f).is_empty()) {
                        read.blank += 1;
                        continue;
                    }
                    if record.len() < needed {
                        let kind = RowProblemKind::TooFewFields {
                            found: record.len(),
                            needed,
                        };
                        read.problems.note(RowProblem {
                            line,
                            column: None,
                            kind,
                        });
                        continue;
                    }
                    match format.read(at, &record, &mut cx) {
                        Ok(row) => read.rows.push(line, row),
                        Err(fault) => read.problems.note(fault.into_problem(line, format, at)),
                    }
                }
                Err(RecordError::NotUtf8 { line, field }) => {
                    if encoding == TextEncoding::Utf8 && !self.reader.had_non_ascii() {
                        return None;
                    }
                    let name = self.header.get(field).cloned().unwrap_or_default();
                    read.problems.note(RowProblem {
                        line: line + self.skipped_lines,
                        column: Some((field + 1, name)),
                        kind: RowProblemKind::NotUtf8,
                    });
                }
            }
        }
        read.replaced = self.reader.get_ref().replaced;
        Some(read)
    }

    /// Reserves room for the rows still to read, estimated from the first `rows` records
    /// and the bytes left before `cut` or the end: the rows then grow without copies (in
    /// the page: ~8 ms of a worker's ~100 on its half of the classic 75k report), into
    /// about a tenth more room than they need, not up to twice as much.
    fn reserve(&self, rows: &mut Rows, read: u64, cut: Option<u64>) {
        // Text offsets are file offsets only in UTF-8.
        let Some(end) = cut
            .or(self.end)
            .filter(|_| self.reader.get_ref().encoding.is_utf8())
        else {
            return;
        };
        let done = self.reader.position();
        // No real row is shorter: a few odd rows at the start reserve no more than this.
        let per_row = (done / read).max(MIN_ROW_BYTES);
        let left = end.saturating_sub(self.base + done) / per_row;
        rows.reserve(left + left / 10);
    }
}

/// Records read before the rows' room is reserved (see `Table::reserve`).
const ROWS_BEFORE_RESERVING: u64 = 2048;
/// The fewest bytes per row `Table::reserve` assumes.
const MIN_ROW_BYTES: u64 = 32;

/// Settles the dates, counts what was read and adds the rows to the dataset.
fn finish(dataset: &mut Dataset, file: &str, mut read: FileRead) -> SourceId {
    let id = dataset.allocate_source();
    let (order, reading) = read.dates.decide();
    // Times are settled in place; rows whose date fails are dropped and noted.
    let Rows { mut events, stamps } = std::mem::take(&mut read.rows);
    let mut kept = 0;
    // Date problems are found after the rows were read: the first of them, then the
    // first of all problems by line.
    let mut late = Problems::default();
    for (i, stamp) in stamps.iter().enumerate() {
        let mut event = events[i];
        event.source = id;
        match settle(&mut event, stamp, order, &read.time_column) {
            Ok(()) => {
                events[kept] = event;
                kept += 1;
            }
            Err(problem) => late.note(problem),
        }
    }
    events.truncate(kept);
    read.problems.absorb(late, 0);
    let timed = || events.iter().map(|e| e.at).filter(|&at| at != 0);
    let source = Source {
        id,
        file: file.to_string(),
        format: read.format,
        encoding: read.encoding,
        separator: read.separator,
        json: read.json,
        rows: events.len() as u32,
        skipped_rows: read.problems.skipped,
        recognised_by: read.evidence,
        duplicate_rows: 0,
        blank_rows: read.blank,
        first_event: timed().min(),
        last_event: timed().max(),
        // No reading to report when no cell was a date.
        dates: (!reading.pattern.is_empty()).then_some(reading),
        replaced_characters: read.replaced,
        problems: read.problems.kept,
    };
    dataset.add(source, events);
    id
}

/// Gives a row its time from its date cell, read in `order`; or the problem that drops
/// the row (the cell is in `time_column`).
pub(crate) fn settle(
    event: &mut Event,
    stamp: &Stamp,
    order: DateOrder,
    time_column: &Option<(usize, String)>,
) -> Result<(), RowProblem> {
    match stamp.resolve(order) {
        Ok(at) => {
            event.at = at;
            Ok(())
        }
        Err(error) => Err(RowProblem {
            line: event.line.into(),
            column: time_column.clone(),
            kind: RowProblemKind::BadDate {
                value: stamp_text(stamp),
                error,
            },
        }),
    }
}

/// A day-month cell rebuilt for a message (the original text is not kept per row).
fn stamp_text(stamp: &Stamp) -> String {
    match *stamp {
        Stamp::DayMonth {
            a, b, year, shape, ..
        } => {
            let sep = shape.separator as char;
            format!("{a}{sep}{b}{sep}{year}")
        }
        Stamp::Exact { at, .. } => format_iso(at),
    }
}

/// `sep=;` on the first line, as Excel writes for other locales.
fn excel_separator(first_line: &str) -> Option<u8> {
    match first_line.trim().strip_prefix("sep=")? {
        "\\t" | "\t" => Some(b'\t'),
        s if s.len() == 1 => Some(s.as_bytes()[0]),
        _ => None,
    }
}

/// The separator is whichever of `,` `;` tab occurs most in the header line (outside quotes).
pub fn detect_separator(text: &str) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for b in text.bytes() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let candidates = [b',', b';', b'\t'];
    let best = (0..3)
        .max_by_key(|&i| (counts[i], std::cmp::Reverse(i)))
        .unwrap_or(0);
    candidates[best]
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::decode::BinaryKind;
    use crate::report::formats::FormatId;
    use crate::report::intern::Interner;
    use crate::report::problems::RowProblemKind;

    const HEADER: &str = "User,Role,Date and Time,Method(s) Used,Result,Details";

    fn read(text: &str) -> Dataset {
        let mut data = Dataset::default();
        load(&mut data, "test.csv", text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        data
    }

    /// Loads `text` and compares the users read, in order, and the problem lines.
    fn check(text: &str, users: &[&str], problem_lines: &[u64]) {
        let data = read(text);
        let got: Vec<&str> = data
            .events
            .iter()
            .map(|e| data.strings.get(e.user))
            .collect();
        assert_eq!(got, users, "users of {text:?}");
        let lines: Vec<u64> = data.sources[0].problems.iter().map(|p| p.line).collect();
        assert_eq!(
            lines, problem_lines,
            "problems {:?}",
            data.sources[0].problems
        );
        assert_eq!(data.sources[0].skipped_rows as usize, problem_lines.len());
    }

    /// Reads `rows` generated rows, whole or up to the cut for the middle, and checks
    /// that room was reserved for about as many rows as were read: not twice as many
    /// (growing by doubling), and no copy needed at the end.
    fn check_room(rows: usize, middle: bool) {
        let mut text = format!("{HEADER}\n");
        for k in 0..rows {
            let user = format!("u{k:06}@x.com");
            text.push_str(&format!("{user},User,7/17/2017 6:05 PM,,Failed,x\n"));
        }
        let middle = middle.then_some(text.len() as u64 / 2);
        let mut open = in_memory(text.as_bytes());
        let read = read_file(
            &mut Interner::default(),
            &mut open,
            None,
            middle,
            &mut |_| {},
        );
        let read = read.unwrap_or_else(|e| panic!("{e}"));
        let (len, room) = (read.rows.events.len(), read.rows.events.capacity());
        assert!(len > rows / 3, "{len} rows read");
        assert!(
            room >= len && room <= len + len / 8,
            "{room} for {len} rows"
        );
        assert_eq!(read.rows.stamps.capacity(), room);
    }

    #[test]
    fn room_for_the_rows_is_reserved_from_the_size_of_the_file() {
        check_room(10_000, false);
        check_room(10_000, true);
        check_room(70_000, false);
    }

    #[test]
    fn separators_are_detected_from_the_header() {
        for sep in [",", ";", "\t"] {
            let text = format!(
                "{}\nA@x.com{sep}User{sep}7/17/2017 6:05 PM{sep}Alternate Email{sep}Succeeded{sep}User successfully reset password\n",
                HEADER.replace(',', sep)
            );
            check(&text, &["a@x.com"], &[]);
            assert_eq!(read(&text).sources[0].separator, sep.as_bytes()[0]);
        }
    }

    #[test]
    fn quoted_fields_hold_separators_quotes_and_line_breaks() {
        let text = format!(
            "{HEADER}\r\n\"a@x.com\",User,7/17/2017 6:05 PM,\"Alternate Email + Mobile Phone\",Failed,\"Odd, \"\"quoted\"\"\r\nand broken\"\r\nb@x.com,User,bad date,Alternate Email,Failed,x\r\n"
        );
        let data = read(&text);
        assert_eq!(
            data.strings.get(data.events[0].detail),
            "Odd, \"quoted\"\r\nand broken"
        );
        // The bad row after a two-line field is reported on its own line, 4.
        assert_eq!(data.sources[0].problems[0].line, 4);
    }

    #[test]
    fn lf_and_crlf_line_ends_read_alike() {
        let row = "a@x.com,User,7/17/2017 6:05 PM,Alternate Email,Succeeded,User successfully reset password";
        check(&format!("{HEADER}\n{row}\n"), &["a@x.com"], &[]);
        check(&format!("{HEADER}\r\n{row}\r\n"), &["a@x.com"], &[]);
        check(&format!("{HEADER}\r\n{row}"), &["a@x.com"], &[]);
    }

    #[test]
    fn excel_sep_line_is_honoured_and_counted_in_line_numbers() {
        let text = format!(
            "sep=;\n{}\na@x.com;User;bad;;Failed;x\n",
            HEADER.replace(',', ";")
        );
        let data = read(&text);
        assert_eq!(data.sources[0].separator, b';');
        assert_eq!(data.sources[0].problems[0].line, 3);
    }

    #[test]
    fn bad_rows_are_counted_with_line_and_column_and_the_rest_loads() {
        let bytes = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/bad-rows.csv"
        ))
        .unwrap();
        let mut data = Dataset::default();
        load(&mut data, "bad-rows.csv", &bytes).unwrap();
        let source = &data.sources[0];
        assert_eq!((source.rows, source.skipped_rows), (3, 4));
        let problems: Vec<(u64, Option<usize>)> = source
            .problems
            .iter()
            .map(|p| (p.line, p.column.as_ref().map(|c| c.0)))
            .collect();
        assert_eq!(
            problems,
            vec![(3, Some(3)), (4, Some(5)), (5, Some(1)), (6, None)]
        );
        assert!(matches!(
            source.problems[0].kind,
            RowProblemKind::BadDate { .. }
        ));
        assert!(
            matches!(&source.problems[1].kind, RowProblemKind::UnknownResult { value } if value == "Exploded")
        );
        assert_eq!(source.problems[2].kind, RowProblemKind::EmptyUser);
        assert_eq!(
            source.problems[3].kind,
            RowProblemKind::TooFewFields {
                found: 3,
                needed: 6
            }
        );
        assert_eq!(
            source.problems[0].to_string(),
            "line 3, column 3 (Date and Time): “yesterday”: not a date in any known style"
        );
    }

    #[test]
    fn blank_rows_are_counted_not_read() {
        let text = format!("{HEADER}\n,,,,,\na@x.com,User,7/17/2017 6:05 PM,,Abandoned,User abandoned after entering their user ID\n;;\n");
        let data = read(&text);
        assert_eq!(data.sources[0].rows, 1);
        assert_eq!(data.sources[0].blank_rows, 1);
        assert_eq!(
            data.sources[0].skipped_rows, 1,
            "a one-field row is too short"
        );
    }

    #[test]
    fn a_header_without_rows_loads_empty() {
        let data = read(&format!("{HEADER}\n"));
        assert_eq!(data.sources[0].rows, 0);
        assert_eq!(data.sources[0].format, FormatId::ClassicResetActivity);
    }

    #[test]
    fn unusable_files_say_why_and_leave_the_data_alone() {
        let mut data = read(&format!(
            "{HEADER}\na@x.com,User,7/17/2017 6:05 PM,,Failed,x\n"
        ));
        let cases: [(&[u8], LoadError); 5] = [
            (b"", LoadError::Empty),
            (b"  \r\n", LoadError::Empty),
            (b"PK\x03\x04....", LoadError::Binary(BinaryKind::Zip)),
            (
                b"[{\"id\": 1}]",
                LoadError::UnknownJson {
                    found: "records with the keys id".into(),
                },
            ),
            (b"just some words\nand more", LoadError::NotATable),
        ];
        for (bytes, expected) in cases {
            assert_eq!(load(&mut data, "x", bytes), Err(expected));
        }
        let Err(LoadError::UnknownHeader { found, closest }) = load(
            &mut data,
            "x",
            "User,Role,Date and Time,Result\n".as_bytes(),
        ) else {
            panic!("expected an unknown header");
        };
        assert_eq!(found, ["User", "Role", "Date and Time", "Result"]);
        assert_eq!(
            closest,
            Some((
                FormatId::ClassicResetActivity,
                vec!["Method(s) Used", "Details"]
            ))
        );
        assert_eq!(data.sources.len(), 1);
        assert_eq!(data.events.len(), 1);
    }

    #[test]
    fn identical_rows_within_one_file_both_count() {
        let row = "a@x.com,User,17-7-2017 18:05,Alternate Email,Abandoned,User abandoned after entering their user ID";
        let data = read(&format!("{HEADER}\n{row}\n{row}\n"));
        assert_eq!(data.counted().count(), 2);
    }

    #[test]
    fn mixed_case_users_are_one_user() {
        let data = read(&format!(
            "{HEADER}\nAlice@Contoso.com,User,7/17/2017 6:05 PM,,Failed,x\nalice@contoso.COM,User,7/17/2017 6:06 PM,,Failed,x\n"
        ));
        assert_eq!(data.events[0].user, data.events[1].user);
    }
}
