//! Splits a JSON stream into records without holding the file: a bare array's
//! elements, the elements of a top-level object's `"value"` or `"records"` list, a single
//! object, or one object per line. Only the structure between records is checked here;
//! each record is then parsed on its own (with its line and column, for messages).

use std::io::Read;

use super::json::Envelope;
use crate::report::problems::LoadError;

/// One record's text and where it starts.
pub struct RawRecord<'b> {
    pub text: &'b [u8],
    pub line: u64,
    pub column: u64,
}

pub struct Splitter<R> {
    src: R,
    buf: Vec<u8>,
    /// Bytes of `buf` filled by the last read.
    len: usize,
    pos: usize,
    eof: bool,
    line: u64,
    column: u64,
    /// Bytes of the record being captured, when capturing.
    capture: Option<Vec<u8>>,
    /// Keys of the top-level object, for "not a known shape" messages.
    pub top_keys: Vec<String>,
}

impl<R: Read> Splitter<R> {
    pub fn new(src: R) -> Self {
        Splitter {
            src,
            buf: vec![0; 1 << 16],
            len: 0,
            pos: 0,
            eof: false,
            line: 1,
            column: 1,
            capture: None,
            top_keys: Vec::new(),
        }
    }

    fn fill(&mut self) -> bool {
        if self.pos < self.len {
            return true;
        }
        if self.eof {
            return false;
        }
        self.pos = 0;
        loop {
            match self.src.read(&mut self.buf) {
                Ok(n) if n > 0 => {
                    self.len = n;
                    return true;
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                _ => {
                    self.eof = true;
                    self.len = 0;
                    return false;
                }
            }
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.fill().then(|| self.buf[self.pos])
    }

    fn next(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.pos += 1;
        if b == b'\n' {
            self.line += 1;
            self.column = 1;
        } else if b & 0xC0 != 0x80 {
            self.column += 1;
        }
        if let Some(c) = self.capture.as_mut() {
            c.push(b);
        }
        Some(b)
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            self.next();
        }
    }

    fn error(&self, message: &str) -> LoadError {
        LoadError::InvalidJson {
            line: self.line as usize,
            column: self.column as usize,
            message: message.to_string(),
        }
    }

    fn expect(&mut self, byte: u8, message: &str) -> Result<(), LoadError> {
        self.skip_ws();
        if self.next() == Some(byte) {
            Ok(())
        } else {
            Err(self.error(message))
        }
    }

    /// Reads a string (the opening quote is next) and returns its text when `keep`.
    fn string(&mut self, keep: bool) -> Result<String, LoadError> {
        self.next();
        let mut text = Vec::new();
        loop {
            match self.next() {
                None => return Err(self.error("the text ends inside a string")),
                Some(b'"') => break,
                Some(b'\\') => {
                    let escaped = self
                        .next()
                        .ok_or_else(|| self.error("the text ends inside a string"))?;
                    if keep {
                        text.push(escaped);
                    }
                }
                Some(b) => {
                    if keep {
                        text.push(b);
                    }
                }
            }
        }
        Ok(String::from_utf8_lossy(&text).into_owned())
    }

    /// Reads one value of any kind, structurally.
    fn value(&mut self) -> Result<(), LoadError> {
        self.skip_ws();
        match self.peek() {
            Some(b'"') => self.string(false).map(drop),
            Some(open @ (b'{' | b'[')) => {
                let close = if open == b'{' { b'}' } else { b']' };
                let mut stack = vec![close];
                self.next();
                while let Some(&want) = stack.last() {
                    match self.peek() {
                        None => return Err(self.error("the text ends inside an object or list")),
                        Some(b'"') => {
                            self.string(false)?;
                        }
                        Some(b'{') => {
                            self.next();
                            stack.push(b'}');
                        }
                        Some(b'[') => {
                            self.next();
                            stack.push(b']');
                        }
                        Some(b @ (b'}' | b']')) => {
                            if b != want {
                                return Err(self.error("a bracket does not match"));
                            }
                            self.next();
                            stack.pop();
                        }
                        Some(_) => {
                            self.next();
                        }
                    }
                }
                Ok(())
            }
            Some(_) => {
                while !matches!(
                    self.peek(),
                    None | Some(b',' | b']' | b'}' | b' ' | b'\t' | b'\r' | b'\n')
                ) {
                    self.next();
                }
                Ok(())
            }
            None => Err(self.error("a value is missing")),
        }
    }

    /// Reads one value and hands its text to `each` as a record.
    fn record(
        &mut self,
        each: &mut dyn FnMut(RawRecord<'_>) -> Result<(), LoadError>,
    ) -> Result<(), LoadError> {
        self.skip_ws();
        let (line, column) = (self.line, self.column);
        self.capture = Some(Vec::new());
        let result = self.value();
        let text = self.capture.take().unwrap_or_default();
        result?;
        each(RawRecord {
            text: &text,
            line,
            column,
        })
    }

    /// The elements of a list whose `[` is next.
    fn list(
        &mut self,
        each: &mut dyn FnMut(RawRecord<'_>) -> Result<(), LoadError>,
    ) -> Result<(), LoadError> {
        self.expect(b'[', "a list was expected")?;
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.next();
            return Ok(());
        }
        loop {
            self.record(each)?;
            self.skip_ws();
            match self.next() {
                Some(b',') => {}
                Some(b']') => return Ok(()),
                _ => return Err(self.error("a comma or ] was expected between records")),
            }
        }
    }

    /// Walks the whole stream, handing every record to `each`.
    pub fn run(
        &mut self,
        each: &mut dyn FnMut(RawRecord<'_>) -> Result<(), LoadError>,
    ) -> Result<Envelope, LoadError> {
        self.skip_ws();
        let envelope = match self.peek() {
            Some(b'[') => {
                self.list(each)?;
                Envelope::Array
            }
            Some(b'{') => self.object(each)?,
            None => return Err(LoadError::Empty),
            Some(_) => return Err(self.error("the text does not start with [ or {")),
        };
        self.skip_ws();
        match self.peek() {
            None => Ok(envelope),
            Some(_) => Err(self.error("more text follows the end of the JSON")),
        }
    }

    /// A top-level object: an envelope with a `value`/`records` list, or a record itself
    /// (then perhaps more follow, one per line).
    fn object(
        &mut self,
        each: &mut dyn FnMut(RawRecord<'_>) -> Result<(), LoadError>,
    ) -> Result<Envelope, LoadError> {
        let (line, column) = (self.line, self.column);
        self.capture = Some(Vec::new());
        self.next();
        let mut envelope = None;
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.next();
        } else {
            loop {
                self.skip_ws();
                if self.peek() != Some(b'"') {
                    return Err(self.error("a key was expected"));
                }
                let key = self.string(true)?;
                self.expect(b':', "a colon was expected after a key")?;
                self.skip_ws();
                let list = (key == "value" || key == "records") && self.peek() == Some(b'[');
                if self.top_keys.len() < 32 {
                    self.top_keys.push(key.clone());
                }
                if list {
                    self.capture = None;
                    self.list(each)?;
                    envelope = Some(if key == "value" {
                        Envelope::ValuePage
                    } else {
                        Envelope::Records
                    });
                } else {
                    self.value()?;
                }
                self.skip_ws();
                match self.next() {
                    Some(b',') => {}
                    Some(b'}') => break,
                    _ => return Err(self.error("a comma or } was expected")),
                }
            }
        }
        if let Some(envelope) = envelope {
            return Ok(envelope);
        }
        // The object was a record.
        let text = self.capture.take().unwrap_or_default();
        each(RawRecord {
            text: &text,
            line,
            column,
        })?;
        self.skip_ws();
        if self.peek() != Some(b'{') {
            return Ok(Envelope::Single);
        }
        while self.peek() == Some(b'{') {
            self.record(each)?;
            self.skip_ws();
        }
        Ok(Envelope::Lines)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Splits `text`, returning the envelope and each record's (text, line, column).
    /// A record's text, line and column.
    type Found = (String, u64, u64);

    fn split(text: &str) -> Result<(Envelope, Vec<Found>), LoadError> {
        let mut records = Vec::new();
        let envelope = Splitter::new(text.as_bytes()).run(&mut |r| {
            records.push((
                String::from_utf8_lossy(r.text).into_owned(),
                r.line,
                r.column,
            ));
            Ok(())
        })?;
        Ok((envelope, records))
    }

    fn check(text: &str, envelope: Envelope, records: &[(&str, u64, u64)]) {
        let (got, found) = split(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        assert_eq!(got, envelope, "{text:?}");
        let found: Vec<(&str, u64, u64)> =
            found.iter().map(|(t, l, c)| (t.as_str(), *l, *c)).collect();
        assert_eq!(found, records, "{text:?}");
    }

    #[test]
    fn every_envelope() {
        check(
            "[{\"a\": 1}, {\"b\": \"x]}\"}]",
            Envelope::Array,
            &[("{\"a\": 1}", 1, 2), ("{\"b\": \"x]}\"}", 1, 12)],
        );
        check(
            "{\"@odata.context\": \"x\",\n \"value\": [\n  {\"a\": [1, {\"b\": 2}]}\n ],\n \"@odata.nextLink\": \"y\"}",
            Envelope::ValuePage,
            &[("{\"a\": [1, {\"b\": 2}]}", 3, 3)],
        );
        check(
            "{\"records\": [{\"time\": \"t\"}, null]}",
            Envelope::Records,
            &[("{\"time\": \"t\"}", 1, 14), ("null", 1, 29)],
        );
        check(
            "{\"a\": \"\\\"}\"}",
            Envelope::Single,
            &[("{\"a\": \"\\\"}\"}", 1, 1)],
        );
        check(
            "{\"a\": 1}\n{\"a\": 2}\n",
            Envelope::Lines,
            &[("{\"a\": 1}", 1, 1), ("{\"a\": 2}", 2, 1)],
        );
        check("[]", Envelope::Array, &[]);
    }

    #[test]
    fn broken_structure_names_line_and_column() {
        for (text, line) in [
            ("[{\"a\": 1}\n{\"b\": 2}]", 2),
            ("{\"value\": [{\"a\": 1]}", 1),
            ("[1, 2", 1),
            ("x", 1),
            ("[1] 2", 1),
        ] {
            match split(text) {
                Err(LoadError::InvalidJson { line: l, .. }) => assert_eq!(l, line, "{text:?}"),
                other => panic!("{text:?}: {:?}", other.map(|r| r.0)),
            }
        }
    }
}
