//! Graph's primitive types (`Edm.*` in its CSDL) with the wire formats Graph uses for them in JSON.
//!
//! Each type reads what Graph sends, tolerating the usual variations, and writes one canonical form that Graph
//! accepts. Every one of them has a `Default` (so generated structs can derive theirs), `Display` and `FromStr` in
//! the wire format, serde support, and conversions to and from the natural Rust type. A value that cannot be read
//! gives a [`ParseEdmError`] (or, through serde, an error with the same message) that names the expected format.
//!
//! | Edm type | Rust type | example |
//! | --- | --- | --- |
//! | `Edm.DateTimeOffset` | [`DateTimeOffset`] | `2026-11-27T10:00:00.1234567Z` |
//! | `Edm.Date` | [`Date`] | `2026-11-27` |
//! | `Edm.TimeOfDay` | [`TimeOfDay`] | `13:45:00` |
//! | `Edm.Duration` | [`Duration`] | `PT1H30M` |
//! | `Edm.Guid` | [`Guid`] | `01234567-89ab-cdef-0123-456789abcdef` |
//! | `Edm.Double` | [`Double`] | `1.5`, `"NaN"`, `"INF"`, `"-INF"` |
//! | `Edm.Binary`, `Edm.Stream` | [`Base64`] | `"SGVsbG8="` |

use std::fmt::{self, Write as _};
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;
use std::ops::{Deref, DerefMut};
use std::str::FromStr;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use time::{Month, OffsetDateTime, PrimitiveDateTime, UtcOffset};

/// The `time` crate these types convert to and from.
pub use time;

/// How many characters of the rejected text a [`ParseEdmError`] keeps.
const FOUND_LIMIT: usize = 80;

const NANOS_PER_SECOND: u32 = 1_000_000_000;
const SECONDS_PER_DAY: u64 = 86_400;

/// Why a text could not be read as one of Graph's primitive types: the format that was expected, the text that was
/// found and, where it helps, which part of it was wrong.
///
/// The message names the expected format with an example, quotes what was found, and ends with the reason when
/// there is one; for a duration: ``expected an ISO 8601 duration such as PT1H30M, found `abc`: it must start with
/// `P` (or `-P`)``. Deserialising through serde gives an error with the same message.
///
/// ```
/// use msgraph_edm::Duration;
///
/// let err = "abc".parse::<Duration>().unwrap_err();
/// assert_eq!(err.expected(), "an ISO 8601 duration such as PT1H30M");
/// assert_eq!(err.found(), "abc");
/// assert!(err.to_string().starts_with("expected an ISO 8601 duration such as PT1H30M, found `abc`"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseEdmError {
    expected: &'static str,
    found: String,
    detail: Option<String>,
}

impl ParseEdmError {
    fn new(expected: &'static str, found: &str, detail: Option<String>) -> Self {
        let found = if found.chars().count() > FOUND_LIMIT {
            let mut kept: String = found.chars().take(FOUND_LIMIT).collect();
            kept.push('…');
            kept
        } else {
            found.to_owned()
        };
        ParseEdmError { expected, found, detail }
    }

    /// The format that was expected, with an example (`an ISO 8601 date such as 2026-11-27`).
    pub fn expected(&self) -> &'static str {
        self.expected
    }

    /// The text that was rejected; longer texts are cut after 80 characters and end with `…`.
    pub fn found(&self) -> &str {
        &self.found
    }

    /// Which part of the text was wrong, when that is known (`the month must have 2 digits`).
    pub fn detail(&self) -> Option<&str> {
        self.detail.as_deref()
    }
}

impl fmt::Display for ParseEdmError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "expected {}, found `{}`", self.expected, self.found.escape_debug())?;
        if let Some(detail) = &self.detail {
            write!(f, ": {detail}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ParseEdmError {}

/// The types of this module that are read from a JSON string with their `FromStr`.
trait EdmText: FromStr<Err = ParseEdmError> {
    /// The format, with an example, for error messages.
    const EXPECTED: &'static str;
}

/// Parses `text` with `parse`, wrapping a failure's detail into a [`ParseEdmError`] for `T`.
fn parse_with<T: EdmText, U>(text: &str, parse: impl FnOnce(&str) -> Result<U, String>) -> Result<U, ParseEdmError> {
    parse(text).map_err(|detail| ParseEdmError::new(T::EXPECTED, text, Some(detail)))
}

/// Reads a string and parses it with `T::from_str`; other JSON types are rejected naming `T::EXPECTED`.
struct TextVisitor<T>(PhantomData<T>);

impl<T: EdmText> Visitor<'_> for TextVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTED)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        v.parse().map_err(E::custom)
    }
}

fn deserialize_text<'de, D: Deserializer<'de>, T: EdmText>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_str(TextVisitor(PhantomData))
}

/// Implements the traits that every newtype of this module shares: `Deref`, `DerefMut`, `From` both ways,
/// `Serialize` through `Display`, and `Deserialize` through `FromStr`.
macro_rules! newtype_common {
    (@new $name:ident, $value:expr) => {
        $name($value)
    };
    (@new $name:ident, $value:expr, $new:expr) => {
        ($new)($value)
    };
    ($name:ident, $inner:ty, serde_text $(, $new:expr)?) => {
        newtype_common!($name, $inner $(, $new)?);

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserialize_text(deserializer)
            }
        }
    };
    ($name:ident, $inner:ty $(, $new:expr)?) => {
        impl Deref for $name {
            type Target = $inner;
            fn deref(&self) -> &$inner {
                &self.0
            }
        }

        impl DerefMut for $name {
            fn deref_mut(&mut self) -> &mut $inner {
                &mut self.0
            }
        }

        impl From<$inner> for $name {
            fn from(value: $inner) -> Self {
                newtype_common!(@new $name, value $(, $new)?)
            }
        }

        impl From<$name> for $inner {
            fn from(value: $name) -> Self {
                value.0
            }
        }
    };
}

// ---------------------------------------------------------------------------------------------------------------
// Shared pieces of the date and time formats.

/// A cursor over ASCII text, for the date, time and offset grammars.
struct Scanner<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Scanner<'a> {
    fn new(text: &'a str) -> Self {
        Scanner { text, pos: 0 }
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    /// Consumes `byte` if it comes next.
    fn eat(&mut self, byte: u8) -> bool {
        if self.peek() == Some(byte) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// Reads exactly `count` ASCII digits, naming `what` they are when they are missing.
    fn digits(&mut self, count: usize, what: &str) -> Result<u32, String> {
        let bytes = self.text.as_bytes();
        let end = self.pos + count;
        match bytes.get(self.pos..end) {
            Some(digits) if digits.iter().all(u8::is_ascii_digit) => {
                self.pos = end;
                Ok(digits.iter().fold(0, |value, digit| value * 10 + u32::from(digit - b'0')))
            }
            _ => Err(format!("the {what} must have {count} digits")),
        }
    }

    /// Reads a fraction's digits (after its `.`), as nanoseconds; digits past the ninth are dropped.
    fn fraction(&mut self) -> Result<u32, String> {
        let start = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
        if self.pos == start {
            return Err("a `.` must be followed by digits".to_owned());
        }
        Ok(nanos_from_digits(&self.text[start..self.pos]))
    }

    /// The text not read yet.
    fn rest(&self) -> &'a str {
        &self.text[self.pos..]
    }

    /// Fails unless everything has been read.
    fn finish(&self, after: &str) -> Result<(), String> {
        match self.rest() {
            "" => Ok(()),
            rest => Err(format!("unexpected `{}` after the {after}", rest.escape_debug())),
        }
    }
}

/// The nanoseconds that the ASCII digits of a decimal fraction stand for, keeping the first nine digits.
fn nanos_from_digits(digits: &str) -> u32 {
    let mut nanos = 0;
    let mut scale = NANOS_PER_SECOND / 10;
    for digit in digits.bytes().take(9) {
        nanos += u32::from(digit - b'0') * scale;
        scale /= 10;
    }
    nanos
}

/// Writes `.` and the fraction's digits without trailing zeros; nothing when `nanos` is zero.
fn write_fraction(f: &mut impl fmt::Write, nanos: u32) -> fmt::Result {
    write_fraction_at_least(f, nanos, 0)
}

/// Writes `.` and the fraction's digits without trailing zeros, but at least `width` digits (at most nine);
/// nothing when both are zero.
fn write_fraction_at_least(f: &mut impl fmt::Write, nanos: u32, width: u8) -> fmt::Result {
    let digits = format!("{nanos:09}");
    let needed = digits.trim_end_matches('0').len().max(usize::from(width.min(9)));
    if needed == 0 {
        return Ok(());
    }
    write!(f, ".{}", &digits[..needed])
}

/// How a time or date-time was written, so that it is written back the same way (`09:00:00.0000000` stays that,
/// not `09:00:00`): the width of its fraction, whether it had seconds, and how a UTC offset was spelled. It is never
/// part of the value: equality, ordering and hashing ignore it, and a value made in code has none (the canonical
/// text).
#[derive(Clone, Copy, Debug, Default)]
pub struct Written {
    fraction: u8,
    no_seconds: bool,
    utc: UtcText,
}

/// How a UTC offset was written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum UtcText {
    #[default]
    Z,
    LowerZ,
    PlusZero,
    MinusZero,
    Missing,
}

impl PartialEq for Written {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for Written {}

impl std::hash::Hash for Written {
    fn hash<H: std::hash::Hasher>(&self, _: &mut H) {}
}

impl PartialOrd for Written {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Written {
    fn cmp(&self, _: &Self) -> std::cmp::Ordering {
        std::cmp::Ordering::Equal
    }
}

/// Reads `[-]YYYY-MM-DD`.
fn scan_date(scanner: &mut Scanner<'_>) -> Result<time::Date, String> {
    let negative = scanner.eat(b'-');
    let year = scanner.digits(4, "year")?;
    if !scanner.eat(b'-') {
        return Err("the year, month and day must be separated by `-`".to_owned());
    }
    let month = scanner.digits(2, "month")?;
    if !scanner.eat(b'-') {
        return Err("the year, month and day must be separated by `-`".to_owned());
    }
    let day = scanner.digits(2, "day")?;
    // Four digits always fit.
    let year = if negative { -(year as i32) } else { year as i32 };
    let month_value = u8::try_from(month).ok().and_then(|m| Month::try_from(m).ok());
    let Some(month_value) = month_value else {
        return Err(format!("there is no month {month:02}"));
    };
    let day_value = u8::try_from(day).map_err(|_| format!("there is no day {day:02}"))?;
    time::Date::from_calendar_date(year, month_value, day_value).map_err(|err| match err.name() {
        "day" => format!("{month_value} {year} has no day {day:02}"),
        _ => err.to_string(),
    })
}

/// Reads `HH:MM`, `HH:MM:SS` or `HH:MM:SS.fffffff`, noting in `written` how.
fn scan_time(scanner: &mut Scanner<'_>, written: &mut Written) -> Result<time::Time, String> {
    let hour = scanner.digits(2, "hour")?;
    if !scanner.eat(b':') {
        return Err("the hours, minutes and seconds must be separated by `:`".to_owned());
    }
    let minute = scanner.digits(2, "minute")?;
    let (second, nanos) = if scanner.eat(b':') {
        let second = scanner.digits(2, "second")?;
        let nanos = if scanner.eat(b'.') {
            let start = scanner.pos;
            let nanos = scanner.fraction()?;
            // At most nine digits are kept; a longer fraction is written with nine.
            written.fraction = u8::try_from((scanner.pos - start).min(9)).unwrap_or(9);
            nanos
        } else {
            0
        };
        (second, nanos)
    } else {
        written.no_seconds = true;
        (0, 0)
    };
    if hour > 23 {
        return Err(format!("hour {hour:02} is out of range (00 to 23)"));
    }
    if minute > 59 {
        return Err(format!("minute {minute:02} is out of range (00 to 59)"));
    }
    if second > 59 {
        return Err(format!("second {second:02} is out of range (00 to 59)"));
    }
    // All three are below 60 now.
    time::Time::from_hms_nano(hour as u8, minute as u8, second as u8, nanos).map_err(|err| err.to_string())
}

fn write_date(f: &mut impl fmt::Write, date: time::Date) -> fmt::Result {
    let (year, month, day) = date.to_calendar_date();
    if year < 0 {
        f.write_char('-')?;
    }
    write!(f, "{:04}-{:02}-{:02}", year.unsigned_abs(), u8::from(month), day)
}

fn write_time(f: &mut impl fmt::Write, time: time::Time, written: Written) -> fmt::Result {
    let (hour, minute, second, nanos) = time.as_hms_nano();
    write!(f, "{hour:02}:{minute:02}")?;
    if written.no_seconds && second == 0 && nanos == 0 {
        return Ok(());
    }
    write!(f, ":{second:02}")?;
    write_fraction_at_least(f, nanos, written.fraction)
}

// ---------------------------------------------------------------------------------------------------------------
// Edm.DateTimeOffset

/// `Edm.DateTimeOffset`: an instant with its UTC offset, written as RFC 3339 / ISO 8601 text the way Graph writes
/// it (`2026-11-27T10:00:00Z`, `2026-11-27T10:00:00.1234567Z`).
///
/// **Reading** accepts `YYYY-MM-DDTHH:MM:SS`, an optional fraction of any length (Graph sends 7 digits; digits past
/// nanoseconds are dropped), and an offset `Z`, `z`, `+HH:MM` or `-HH:MM`. The `T` may be lower case, the seconds
/// may be left out (`2026-11-27T10:00Z`), and a value without any offset is taken as UTC, which is what Graph means
/// by one. Leap seconds (`:60`) are rejected.
///
/// **Writing** gives a value read from text back as it was written: the fraction's width
/// (`2017-07-31T18:56:16.0000000Z` stays that), missing seconds, and the spelling of a UTC offset (`Z`, `z`,
/// `+00:00`, or none). A value made in code gives `Z` for UTC, otherwise its own offset (`+01:00`), with the
/// fraction only when it is not zero and without trailing zeros (`2026-11-27T10:00:00.5Z`). An offset with seconds,
/// which RFC 3339 cannot show, is converted to UTC first. How it was written is never part of the value.
///
/// Equality, ordering and hashing compare instants: `10:00:00+01:00` equals `09:00:00Z`.
///
/// The default is the Unix epoch, `1970-01-01T00:00:00Z`.
///
/// ```
/// use msgraph_edm::DateTimeOffset;
/// use msgraph_edm::time::macros::datetime;
///
/// let start: DateTimeOffset = serde_json::from_str("\"2026-11-27T10:00:00.1234567Z\"").unwrap();
/// assert_eq!(start.0, datetime!(2026-11-27 10:00:00.1234567 UTC));
/// assert_eq!(start.to_string(), "2026-11-27T10:00:00.1234567Z");
/// assert_eq!("2026-11-27T11:00:00+01:00".parse::<DateTimeOffset>().unwrap(), datetime!(2026-11-27 10:00 UTC).into());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DateTimeOffset(pub OffsetDateTime, Written);

newtype_common!(DateTimeOffset, OffsetDateTime, serde_text, |v| DateTimeOffset(v, Written::default()));

impl DateTimeOffset {
    /// The current time, in UTC.
    pub fn now_utc() -> Self {
        DateTimeOffset(OffsetDateTime::now_utc(), Written::default())
    }
}

impl Default for DateTimeOffset {
    /// The Unix epoch, `1970-01-01T00:00:00Z`.
    fn default() -> Self {
        DateTimeOffset(OffsetDateTime::UNIX_EPOCH, Written::default())
    }
}

impl From<std::time::SystemTime> for DateTimeOffset {
    fn from(value: std::time::SystemTime) -> Self {
        DateTimeOffset(value.into(), Written::default())
    }
}

impl EdmText for DateTimeOffset {
    const EXPECTED: &'static str = "an ISO 8601 date and time such as 2026-11-27T10:00:00Z";
}

impl FromStr for DateTimeOffset {
    type Err = ParseEdmError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_with::<Self, _>(s, |text| {
            let mut scanner = Scanner::new(text);
            let date = scan_date(&mut scanner)?;
            if !(scanner.eat(b'T') || scanner.eat(b't')) {
                return Err("the date and the time must be separated by `T`".to_owned());
            }
            let mut written = Written::default();
            let time = scan_time(&mut scanner, &mut written)?;
            let offset = match scanner.peek() {
                None => {
                    written.utc = UtcText::Missing;
                    UtcOffset::UTC
                }
                Some(z @ (b'Z' | b'z')) => {
                    scanner.pos += 1;
                    written.utc = if z == b'z' { UtcText::LowerZ } else { UtcText::Z };
                    UtcOffset::UTC
                }
                Some(sign @ (b'+' | b'-')) => {
                    scanner.pos += 1;
                    let hours = scanner.digits(2, "offset's hour")?;
                    if !scanner.eat(b':') {
                        return Err("the offset's hours and minutes must be separated by `:`".to_owned());
                    }
                    let minutes = scanner.digits(2, "offset's minute")?;
                    if hours > 23 || minutes > 59 {
                        return Err(format!("the offset {hours:02}:{minutes:02} is out of range"));
                    }
                    // Both fit in an i8 now.
                    let (hours, minutes) = (hours as i8, minutes as i8);
                    let (hours, minutes) = if sign == b'-' { (-hours, -minutes) } else { (hours, minutes) };
                    if hours == 0 && minutes == 0 {
                        written.utc = if sign == b'-' { UtcText::MinusZero } else { UtcText::PlusZero };
                    }
                    UtcOffset::from_hms(hours, minutes, 0).map_err(|err| err.to_string())?
                }
                Some(_) => return Err(format!("unexpected `{}` after the time", scanner.rest().escape_debug())),
            };
            scanner.finish("offset")?;
            Ok(DateTimeOffset(PrimitiveDateTime::new(date, time).assume_offset(offset), written))
        })
    }
}

impl fmt::Display for DateTimeOffset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut value = self.0;
        if value.offset().seconds_past_minute() != 0 {
            if let Some(utc) = value.checked_to_offset(UtcOffset::UTC) {
                value = utc;
            }
        }
        write_date(f, value.date())?;
        f.write_char('T')?;
        write_time(f, value.time(), self.1)?;
        let offset = value.offset();
        if offset.is_utc() {
            return f.write_str(match self.1.utc {
                UtcText::Z => "Z",
                UtcText::LowerZ => "z",
                UtcText::PlusZero => "+00:00",
                UtcText::MinusZero => "-00:00",
                UtcText::Missing => "",
            });
        }
        let (hours, minutes, seconds) = offset.as_hms();
        let sign = if offset.is_negative() { '-' } else { '+' };
        write!(f, "{sign}{:02}:{:02}", hours.unsigned_abs(), minutes.unsigned_abs())?;
        if seconds != 0 {
            // Only when the instant cannot be shown in UTC (at the edge of the supported range).
            write!(f, ":{:02}", seconds.unsigned_abs())?;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Edm.Date

/// `Edm.Date`: a calendar date without a time or time zone, written `YYYY-MM-DD` (`2026-11-27`).
///
/// The year has four digits and may have a leading `-` (years before 1 BC, which `time` supports down to -9999).
///
/// The default is the Unix epoch's date, `1970-01-01`.
///
/// ```
/// use msgraph_edm::Date;
/// use msgraph_edm::time::macros::date;
///
/// let birthday: Date = serde_json::from_str("\"2026-11-27\"").unwrap();
/// assert_eq!(*birthday, date!(2026-11-27));
/// assert_eq!(serde_json::to_string(&birthday).unwrap(), "\"2026-11-27\"");
/// assert!("2026-02-30".parse::<Date>().is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date(pub time::Date);

newtype_common!(Date, time::Date, serde_text);

impl Default for Date {
    /// The Unix epoch's date, `1970-01-01`.
    fn default() -> Self {
        Date(OffsetDateTime::UNIX_EPOCH.date())
    }
}

impl EdmText for Date {
    const EXPECTED: &'static str = "an ISO 8601 date such as 2026-11-27";
}

impl FromStr for Date {
    type Err = ParseEdmError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_with::<Self, _>(s, |text| {
            let mut scanner = Scanner::new(text);
            let date = scan_date(&mut scanner)?;
            scanner.finish("date")?;
            Ok(Date(date))
        })
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_date(f, self.0)
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Edm.TimeOfDay

/// `Edm.TimeOfDay`: a time of day without a date or time zone, written `HH:MM:SS` (`13:45:00`).
///
/// **Reading** accepts `HH:MM:SS`, `HH:MM:SS` with a fraction of any length (`13:45:00.0000000`, as Graph sends
/// it; digits past nanoseconds are dropped) and `HH:MM`. Hours go from 00 to 23.
///
/// **Writing** gives a value read from text back as it was written (`13:45:00.0000000` stays that, `08:30` stays
/// that), unless it was changed in a way that needs more digits. A value made in code (`TimeOfDay::from(time)`)
/// gives `HH:MM:SS`, followed by the fraction without trailing zeros when it is not zero (`13:45:00.5`). How it was
/// written is never part of the value: equality, ordering and hashing compare times.
///
/// The default is midnight, `00:00:00`.
///
/// ```
/// use msgraph_edm::TimeOfDay;
/// use msgraph_edm::time::macros::time;
///
/// let start: TimeOfDay = serde_json::from_str("\"13:45:00.0000000\"").unwrap();
/// assert_eq!(*start, time!(13:45));
/// assert_eq!(serde_json::to_string(&start).unwrap(), "\"13:45:00.0000000\"");
/// assert_eq!(TimeOfDay::from(time!(13:45)).to_string(), "13:45:00");
/// assert_eq!("08:30".parse::<TimeOfDay>().unwrap(), TimeOfDay::from(time!(08:30)));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TimeOfDay(pub time::Time, Written);

newtype_common!(TimeOfDay, time::Time, serde_text, |v| TimeOfDay(v, Written::default()));

impl Default for TimeOfDay {
    /// Midnight, `00:00:00`.
    fn default() -> Self {
        TimeOfDay(time::Time::MIDNIGHT, Written::default())
    }
}

impl EdmText for TimeOfDay {
    const EXPECTED: &'static str = "a time of day such as 13:45:00";
}

impl FromStr for TimeOfDay {
    type Err = ParseEdmError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_with::<Self, _>(s, |text| {
            let mut scanner = Scanner::new(text);
            let mut written = Written::default();
            let time = scan_time(&mut scanner, &mut written)?;
            scanner.finish("time")?;
            Ok(TimeOfDay(time, written))
        })
    }
}

impl fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_time(f, self.0, self.1)
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Edm.Duration

/// `Edm.Duration`: an ISO 8601 duration as Graph writes it (`PT1H30M`, `P1D`, `-PT0.5S`, `P1DT2H3M4.5S`, `PT0S`),
/// kept component by component.
///
/// The components are kept as written because their lengths are not all fixed: a month or a year has no single
/// length, so `P1M` cannot be turned into seconds. [`Duration::to_std`] and [`Duration::to_time`] give the length
/// when it is fixed, counting a week as 7 days and a day as 24 hours (as Graph does).
///
/// **Reading** accepts an optional sign (`-` or `+`), `P`, then any of `nY`, `nM`, `nW`, `nD` in that order, then
/// optionally `T` followed by any of `nH`, `nM`, `nS` in that order. At least one component must be present and
/// each appears at most once. Only the seconds may have a fraction, written with `.` or `,`, of any length (digits
/// past nanoseconds are dropped). Designators are upper case. A negative zero (`-PT0S`) reads as zero.
///
/// **Writing** is canonical: the components that are not zero, in order, with `T` before the first time component,
/// the seconds' fraction without trailing zeros, and `PT0S` for zero. `PT90M` stays `PT90M`; it is not rewritten as
/// `PT1H30M`.
///
/// Equality and hashing compare the components as written, so `PT60M` differs from `PT1H` (compare
/// [`Duration::to_std`] for lengths); there is no ordering for the same reason. A `nanoseconds` of a second or more
/// is carried into `seconds`, and a negative zero equals zero.
///
/// The default is zero, `PT0S`.
///
/// ```
/// use msgraph_edm::Duration;
///
/// let reminder: Duration = serde_json::from_str("\"PT1H30M\"").unwrap();
/// assert_eq!(reminder, Duration { hours: 1, minutes: 30, ..Duration::ZERO });
/// assert_eq!(reminder.to_std(), Some(std::time::Duration::from_secs(5400)));
/// assert_eq!(Duration::from(std::time::Duration::from_millis(1500)).to_string(), "PT1.5S");
/// assert_eq!("P1Y2M".parse::<Duration>().unwrap().to_std(), None);
/// assert_eq!("-PT0.5S".parse::<Duration>().unwrap().to_string(), "-PT0.5S");
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct Duration {
    /// Whether the duration goes backwards (`-P…`).
    pub negative: bool,
    /// Years (`nY`).
    pub years: u64,
    /// Months (`nM` before `T`).
    pub months: u64,
    /// Weeks (`nW`).
    pub weeks: u64,
    /// Days (`nD`).
    pub days: u64,
    /// Hours (`nH`).
    pub hours: u64,
    /// Minutes (`nM` after `T`).
    pub minutes: u64,
    /// Whole seconds (`nS`).
    pub seconds: u64,
    /// The seconds' fraction, in nanoseconds; below 1 000 000 000 (more is carried into `seconds`).
    pub nanoseconds: u32,
}

impl Duration {
    /// The zero duration, `PT0S`.
    pub const ZERO: Duration = Duration {
        negative: false,
        years: 0,
        months: 0,
        weeks: 0,
        days: 0,
        hours: 0,
        minutes: 0,
        seconds: 0,
        nanoseconds: 0,
    };

    /// Whether every component is zero.
    pub fn is_zero(&self) -> bool {
        let Duration { negative: _, years, months, weeks, days, hours, minutes, seconds, nanoseconds } = *self;
        years == 0
            && months == 0
            && weeks == 0
            && days == 0
            && hours == 0
            && minutes == 0
            && seconds == 0
            && nanoseconds == 0
    }

    /// The whole seconds with the nanoseconds' carry, and the nanoseconds below a second.
    fn normalized_seconds(&self) -> (u128, u32) {
        let carry = self.nanoseconds / NANOS_PER_SECOND;
        (u128::from(self.seconds) + u128::from(carry), self.nanoseconds % NANOS_PER_SECOND)
    }

    /// The components that equality and hashing compare.
    #[allow(clippy::type_complexity)]
    fn key(&self) -> (bool, u64, u64, u64, u64, u64, u64, u128, u32) {
        let (seconds, nanoseconds) = self.normalized_seconds();
        let negative = self.negative && !self.is_zero();
        (negative, self.years, self.months, self.weeks, self.days, self.hours, self.minutes, seconds, nanoseconds)
    }

    /// The length without its sign, when it is fixed (no years or months) and fits: `(seconds, nanoseconds)`.
    fn fixed_length(&self) -> Option<(u64, u32)> {
        if self.years != 0 || self.months != 0 {
            return None;
        }
        let (extra, nanoseconds) = (self.nanoseconds / NANOS_PER_SECOND, self.nanoseconds % NANOS_PER_SECOND);
        let seconds = self
            .weeks
            .checked_mul(7 * SECONDS_PER_DAY)?
            .checked_add(self.days.checked_mul(SECONDS_PER_DAY)?)?
            .checked_add(self.hours.checked_mul(3600)?)?
            .checked_add(self.minutes.checked_mul(60)?)?
            .checked_add(self.seconds)?
            .checked_add(u64::from(extra))?;
        Some((seconds, nanoseconds))
    }

    /// The length as a [`std::time::Duration`], counting a week as 7 days and a day as 24 hours.
    ///
    /// `None` when the duration is negative (and not zero), when it has years or months (whose length depends on
    /// the calendar), or when it is too long to represent.
    pub fn to_std(&self) -> Option<std::time::Duration> {
        if self.negative && !self.is_zero() {
            return None;
        }
        let (seconds, nanoseconds) = self.fixed_length()?;
        Some(std::time::Duration::new(seconds, nanoseconds))
    }

    /// The signed length as a [`time::Duration`], counting a week as 7 days and a day as 24 hours.
    ///
    /// `None` when the duration has years or months (whose length depends on the calendar), or when it is too long
    /// to represent.
    pub fn to_time(&self) -> Option<time::Duration> {
        let (seconds, nanoseconds) = self.fixed_length()?;
        let seconds = i64::try_from(seconds).ok()?;
        // `nanoseconds` is below one second, so it fits and carries nothing.
        let length = time::Duration::new(seconds, nanoseconds as i32);
        Some(if self.negative { -length } else { length })
    }
}

impl PartialEq for Duration {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl Eq for Duration {}

impl Hash for Duration {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.key().hash(state);
    }
}

impl From<std::time::Duration> for Duration {
    /// Splits the length into days, hours, minutes and seconds (`P1DT2H3M4.5S`), the way Graph writes lengths.
    fn from(value: std::time::Duration) -> Self {
        let total = value.as_secs();
        Duration {
            days: total / SECONDS_PER_DAY,
            hours: total % SECONDS_PER_DAY / 3600,
            minutes: total % 3600 / 60,
            seconds: total % 60,
            nanoseconds: value.subsec_nanos(),
            ..Duration::ZERO
        }
    }
}

impl From<time::Duration> for Duration {
    /// Splits the length into days, hours, minutes and seconds, keeping its sign.
    fn from(value: time::Duration) -> Self {
        Duration { negative: value.is_negative(), ..Duration::from(value.unsigned_abs()) }
    }
}

impl EdmText for Duration {
    const EXPECTED: &'static str = "an ISO 8601 duration such as PT1H30M";
}

/// Reads the components of one part of a duration (before or after `T`), whose designators must come in the order
/// of `designators`, calling `set` for each. Returns how many there were.
fn duration_components(
    part: &str,
    designators: &[u8],
    mut set: impl FnMut(u8, u64, Option<u32>),
) -> Result<usize, String> {
    let order = || designators.iter().map(|&d| char::from(d).to_string()).collect::<Vec<_>>().join(", ");
    let bytes = part.as_bytes();
    let mut pos = 0;
    let mut next = 0;
    let mut count = 0;
    while pos < bytes.len() {
        let start = pos;
        while bytes.get(pos).is_some_and(u8::is_ascii_digit) {
            pos += 1;
        }
        if pos == start {
            let found = part[pos..].chars().next().unwrap_or_default();
            return Err(if designators.contains(&bytes[pos]) {
                format!("`{found}` must follow a number")
            } else if found == 'T' {
                "`T` may appear only once, before the hours, minutes and seconds".to_owned()
            } else {
                format!("unexpected `{}` where a number was expected", found.escape_debug())
            });
        }
        let number = &part[start..pos];
        let value = number.parse::<u64>().map_err(|_| format!("{number} is too large"))?;
        let mut fraction = None;
        if matches!(bytes.get(pos), Some(b'.' | b',')) {
            pos += 1;
            let start = pos;
            while bytes.get(pos).is_some_and(u8::is_ascii_digit) {
                pos += 1;
            }
            if pos == start {
                return Err("a decimal point must be followed by digits".to_owned());
            }
            fraction = Some(nanos_from_digits(&part[start..pos]));
        }
        let Some(&designator) = bytes.get(pos) else {
            return Err(format!("`{}` must be followed by one of {}", &part[start..pos], order()));
        };
        let Some(index) = designators.iter().position(|&d| d == designator) else {
            let found = part[pos..].chars().next().unwrap_or_default();
            return Err(format!("unexpected `{}` where one of {} was expected", found.escape_debug(), order()));
        };
        pos += 1;
        if index < next {
            return Err(format!("`{}` is repeated or out of order; the order is {}", char::from(designator), order()));
        }
        next = index + 1;
        if fraction.is_some() && designator != b'S' {
            return Err("only the seconds may have a fraction".to_owned());
        }
        set(designator, value, fraction);
        count += 1;
    }
    Ok(count)
}

impl FromStr for Duration {
    type Err = ParseEdmError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_with::<Self, _>(s, |text| {
            let (negative, rest) = match text.as_bytes().first() {
                Some(b'-') => (true, &text[1..]),
                Some(b'+') => (false, &text[1..]),
                _ => (false, text),
            };
            let Some(rest) = rest.strip_prefix('P') else {
                return Err("it must start with `P` (or `-P`)".to_owned());
            };
            let (date_part, time_part) = match rest.split_once('T') {
                Some((date_part, time_part)) => (date_part, Some(time_part)),
                None => (rest, None),
            };
            let mut duration = Duration { negative, ..Duration::ZERO };
            let mut count = duration_components(date_part, b"YMWD", |designator, value, _| match designator {
                b'Y' => duration.years = value,
                b'M' => duration.months = value,
                b'W' => duration.weeks = value,
                _ => duration.days = value,
            })?;
            if let Some(time_part) = time_part {
                if time_part.is_empty() {
                    return Err("`T` must be followed by hours, minutes or seconds".to_owned());
                }
                count += duration_components(time_part, b"HMS", |designator, value, fraction| match designator {
                    b'H' => duration.hours = value,
                    b'M' => duration.minutes = value,
                    _ => {
                        duration.seconds = value;
                        duration.nanoseconds = fraction.unwrap_or(0);
                    }
                })?;
            }
            if count == 0 {
                return Err("it has no components, such as `1D` or `T1H`".to_owned());
            }
            if duration.is_zero() {
                duration.negative = false;
            }
            Ok(duration)
        })
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_zero() {
            return f.write_str("PT0S");
        }
        if self.negative {
            f.write_char('-')?;
        }
        f.write_char('P')?;
        for (value, designator) in [(self.years, 'Y'), (self.months, 'M'), (self.weeks, 'W'), (self.days, 'D')] {
            if value != 0 {
                write!(f, "{value}{designator}")?;
            }
        }
        let (seconds, nanoseconds) = self.normalized_seconds();
        if self.hours != 0 || self.minutes != 0 || seconds != 0 || nanoseconds != 0 {
            f.write_char('T')?;
            for (value, designator) in [(self.hours, 'H'), (self.minutes, 'M')] {
                if value != 0 {
                    write!(f, "{value}{designator}")?;
                }
            }
            if seconds != 0 || nanoseconds != 0 {
                write!(f, "{seconds}")?;
                write_fraction(f, nanoseconds)?;
                f.write_char('S')?;
            }
        }
        Ok(())
    }
}

impl Serialize for Duration {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize_text(deserializer)
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Edm.Guid

/// `Edm.Guid`: a GUID, written hyphenated in lower case (`01234567-89ab-cdef-0123-456789abcdef`).
///
/// **Reading** accepts upper, lower or mixed case, and besides the hyphenated form also the others that
/// [`uuid::Uuid::try_parse`] reads: 32 digits without hyphens, in braces (`{…}`) and as a `urn:uuid:` URN.
///
/// The default is the nil GUID, `00000000-0000-0000-0000-000000000000`.
///
/// ```
/// use msgraph_edm::Guid;
///
/// let id: Guid = serde_json::from_str("\"0B2A6C1E-3F4D-4E5F-8A9B-0C1D2E3F4A5B\"").unwrap();
/// assert_eq!(serde_json::to_string(&id).unwrap(), "\"0b2a6c1e-3f4d-4e5f-8a9b-0c1d2e3f4a5b\"");
/// assert!(Guid::default().is_nil());
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Guid(pub uuid::Uuid);

newtype_common!(Guid, uuid::Uuid, serde_text);

impl EdmText for Guid {
    const EXPECTED: &'static str = "a GUID such as 01234567-89ab-cdef-0123-456789abcdef";
}

impl FromStr for Guid {
    type Err = ParseEdmError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_with::<Self, _>(s, |text| uuid::Uuid::try_parse(text).map(Guid).map_err(|err| err.to_string()))
    }
}

impl fmt::Display for Guid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0.hyphenated(), f)
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Edm.Double

/// `Edm.Double`: a 64-bit floating-point number, which in JSON is a number, or one of the strings `"NaN"`, `"INF"`
/// and `"-INF"` for the values JSON numbers cannot hold.
///
/// **Reading** accepts a JSON number, those three strings, `"Infinity"` and `"-Infinity"`, and a number in a string
/// (`"1.5"`, in Rust's `f64` syntax, so `"1e3"` too; no surrounding whitespace).
///
/// **Writing** gives a JSON number for a finite value (a whole number as an integer, `2`, as Graph writes it) and
/// `"NaN"`, `"INF"` or `"-INF"` otherwise. `Display` and
/// `FromStr` use the same texts (finite values as Rust prints an `f64`, `1.5`).
///
/// Equality and ordering are those of `f64`: `NaN` equals nothing, itself included, so there is no `Eq` or `Hash`.
///
/// The default is `0.0`.
///
/// ```
/// use msgraph_edm::Double;
///
/// let values: Vec<Double> = serde_json::from_str(r#"[1.5, 2, "NaN", "INF", "-Infinity", "0.25"]"#).unwrap();
/// assert_eq!(values[1], Double(2.0));
/// assert!(values[2].is_nan());
/// assert_eq!(serde_json::to_string(&values).unwrap(), r#"[1.5,2,"NaN","INF","-INF",0.25]"#);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, PartialOrd)]
pub struct Double(pub f64);

newtype_common!(Double, f64);

impl EdmText for Double {
    const EXPECTED: &'static str = "a number, or the string NaN, INF or -INF";
}

impl FromStr for Double {
    type Err = ParseEdmError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_with::<Self, _>(s, |text| match text {
            "NaN" => Ok(Double(f64::NAN)),
            "INF" | "Infinity" => Ok(Double(f64::INFINITY)),
            "-INF" | "-Infinity" => Ok(Double(f64::NEG_INFINITY)),
            _ => text.parse::<f64>().map(Double).map_err(|err| err.to_string()),
        })
    }
}

impl fmt::Display for Double {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_nan() {
            f.write_str("NaN")
        } else if self.0 == f64::INFINITY {
            f.write_str("INF")
        } else if self.0 == f64::NEG_INFINITY {
            f.write_str("-INF")
        } else {
            fmt::Display::fmt(&self.0, f)
        }
    }
}

/// A whole number within ±2⁵³ as an integer (`100`, as Graph writes it), any other finite number as a number,
/// and the non-finite ones as Graph's strings (`"NaN"`, `"INF"`, `"-INF"`).
impl Serialize for Double {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        const EXACT: f64 = 9_007_199_254_740_992.0;
        if self.0.is_finite()
            && self.0.fract() == 0.0
            && self.0.abs() <= EXACT
            && !(self.0 == 0.0 && self.0.is_sign_negative())
        {
            // Exact: a whole number of magnitude at most 2^53 converts to i64 without loss.
            #[allow(clippy::cast_possible_truncation)]
            serializer.serialize_i64(self.0 as i64)
        } else if self.0.is_finite() {
            serializer.serialize_f64(self.0)
        } else {
            serializer.collect_str(self)
        }
    }
}

impl<'de> Deserialize<'de> for Double {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DoubleVisitor;

        impl Visitor<'_> for DoubleVisitor {
            type Value = Double;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(Double::EXPECTED)
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Double, E> {
                Ok(Double(v))
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Double, E> {
                Ok(Double(v as f64))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Double, E> {
                Ok(Double(v as f64))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Double, E> {
                v.parse().map_err(E::custom)
            }
        }

        deserializer.deserialize_any(DoubleVisitor)
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Edm.Binary and Edm.Stream

/// `Edm.Binary` (and `Edm.Stream` inlined in JSON): bytes, written as base64 text.
///
/// **Reading** accepts the standard alphabet (`+`, `/`) and the URL-safe one (`-`, `_`), with or without `=`
/// padding. Nothing else is skipped: whitespace, line breaks, other characters, padding in the middle or padding
/// that does not make the length a multiple of 4 are errors that say which character is wrong. Unused bits in the
/// last character must be zero, so each byte string has exactly one padded and one unpadded text per alphabet.
///
/// **Writing** gives the standard alphabet with padding, which is what Graph sends.
///
/// The default is no bytes (the empty string).
///
/// ```
/// use msgraph_edm::Base64;
///
/// let photo: Base64 = serde_json::from_str("\"SGVsbG8\"").unwrap();
/// assert_eq!(photo.as_slice(), b"Hello");
/// assert_eq!(serde_json::to_string(&photo).unwrap(), "\"SGVsbG8=\"");
/// assert_eq!(Base64::from(&[0xfb, 0xff][..]).to_string(), "+/8=");
/// assert_eq!("-_8".parse::<Base64>().unwrap(), Base64(vec![0xfb, 0xff]));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Base64(pub Vec<u8>);

newtype_common!(Base64, Vec<u8>, serde_text);

impl From<&[u8]> for Base64 {
    fn from(value: &[u8]) -> Self {
        Base64(value.to_vec())
    }
}

impl AsRef<[u8]> for Base64 {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl EdmText for Base64 {
    const EXPECTED: &'static str = "base64 text such as SGVsbG8=";
}

/// The standard base64 alphabet (RFC 4648, section 4).
const BASE64_ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// The 6-bit value of a character of the standard or the URL-safe alphabet.
fn base64_value(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' | b'-' => Some(62),
        b'/' | b'_' => Some(63),
        _ => None,
    }
}

/// Writes `bytes` as standard base64 with padding.
fn base64_encode(f: &mut impl fmt::Write, bytes: &[u8]) -> fmt::Result {
    for chunk in bytes.chunks(3) {
        let b0 = chunk[0];
        let b1 = chunk.get(1).copied().unwrap_or(0);
        let b2 = chunk.get(2).copied().unwrap_or(0);
        let n = u32::from(b0) << 16 | u32::from(b1) << 8 | u32::from(b2);
        let char_at = |shift: u32| char::from(BASE64_ALPHABET[(n >> shift & 63) as usize]);
        f.write_char(char_at(18))?;
        f.write_char(char_at(12))?;
        f.write_char(if chunk.len() > 1 { char_at(6) } else { '=' })?;
        f.write_char(if chunk.len() > 2 { char_at(0) } else { '=' })?;
    }
    Ok(())
}

/// Reads standard or URL-safe base64, padded or not; the error says what is wrong.
fn base64_decode(text: &str) -> Result<Vec<u8>, String> {
    let bytes = text.as_bytes();
    let data_len = bytes.iter().rposition(|&b| b != b'=').map_or(0, |last| last + 1);
    let padding = bytes.len() - data_len;
    // First any character outside both alphabets (padding aside), then misplaced padding.
    for (position, &c) in bytes.iter().enumerate() {
        if c != b'=' && base64_value(c).is_none() {
            // Everything before `position` is ASCII, so it is a character boundary.
            let found = text[position..].chars().next().unwrap_or_default();
            return Err(if c.is_ascii_whitespace() {
                format!("whitespace (`{}`) at position {position} is not allowed", found.escape_debug())
            } else {
                format!("`{}` at position {position} is not a base64 character", found.escape_debug())
            });
        }
    }
    let mut values = Vec::with_capacity(data_len);
    for (position, &c) in bytes[..data_len].iter().enumerate() {
        match base64_value(c) {
            Some(value) => values.push(value),
            None => return Err(format!("padding `=` at position {position} comes before the end")),
        }
    }
    if padding > 2 {
        return Err(format!("it ends with {padding} `=`; padding is at most 2"));
    }
    if data_len % 4 == 1 {
        return Err(format!("its {data_len} characters leave one over, which cannot encode a byte"));
    }
    if padding > 0 && bytes.len() % 4 != 0 {
        return Err(format!("with `=` padding its length must be a multiple of 4, but it is {}", bytes.len()));
    }
    let mut out = Vec::with_capacity(data_len / 4 * 3 + 2);
    for group in values.chunks(4) {
        let n = group.iter().enumerate().fold(0u32, |n, (i, &v)| n | u32::from(v) << (18 - 6 * i as u32));
        let [_, b0, b1, b2] = n.to_be_bytes();
        match group.len() {
            4 => out.extend_from_slice(&[b0, b1, b2]),
            3 if b2 == 0 => out.extend_from_slice(&[b0, b1]),
            2 if b1 == 0 && b2 == 0 => out.push(b0),
            _ => {
                return Err(
                    "its last character has bits set that encode no byte (it is not canonical base64)".to_owned()
                )
            }
        }
    }
    Ok(out)
}

impl FromStr for Base64 {
    type Err = ParseEdmError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_with::<Self, _>(s, |text| base64_decode(text).map(Base64))
    }
}

impl fmt::Display for Base64 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        base64_encode(f, &self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(bytes: &[u8]) -> String {
        Base64(bytes.to_vec()).to_string()
    }

    fn decode(text: &str) -> Result<Vec<u8>, ParseEdmError> {
        text.parse::<Base64>().map(|b| b.0)
    }

    #[test]
    fn base64_rfc4648_vectors() {
        let vectors: [(&[u8], &str); 7] = [
            (b"", ""),
            (b"f", "Zg=="),
            (b"fo", "Zm8="),
            (b"foo", "Zm9v"),
            (b"foob", "Zm9vYg=="),
            (b"fooba", "Zm9vYmE="),
            (b"foobar", "Zm9vYmFy"),
        ];
        for (bytes, text) in vectors {
            assert_eq!(encode(bytes), text);
            assert_eq!(decode(text).unwrap(), bytes, "{text}");
            assert_eq!(decode(text.trim_end_matches('=')).unwrap(), bytes, "{text} unpadded");
        }
    }

    #[test]
    fn base64_uses_every_character_of_both_alphabets() {
        let all: Vec<u8> = (0..=255).collect();
        let standard = encode(&all);
        assert!(standard.contains('+') && standard.contains('/'));
        let url_safe = standard.replace('+', "-").replace('/', "_");
        assert_eq!(decode(&standard).unwrap(), all);
        assert_eq!(decode(&url_safe).unwrap(), all);
        assert_eq!(decode(url_safe.trim_end_matches('=')).unwrap(), all);
        // Every 6-bit value decodes from both alphabets.
        let standard_chars = String::from_utf8(BASE64_ALPHABET.to_vec()).unwrap();
        let url_chars = standard_chars.replace('+', "-").replace('/', "_");
        assert_eq!(decode(&standard_chars).unwrap(), decode(&url_chars).unwrap());
        assert_eq!(encode(&decode(&standard_chars).unwrap()), standard_chars);
    }

    #[test]
    fn base64_round_trips_all_lengths_up_to_64() {
        for len in 0..=64usize {
            // Varied bytes, including 0x00 and 0xff, so that every position sees high and low bits.
            let bytes: Vec<u8> =
                (0..len).map(|i| (i * 151 + len * 7) as u8 ^ if i % 5 == 0 { 0xff } else { 0 }).collect();
            let text = encode(&bytes);
            assert_eq!(text.len(), len.div_ceil(3) * 4, "length {len}");
            assert_eq!(text.len() % 4, 0);
            assert_eq!(decode(&text).unwrap(), bytes, "padded, length {len}");
            let unpadded = text.trim_end_matches('=');
            assert_eq!(decode(unpadded).unwrap(), bytes, "unpadded, length {len}");
            let url_safe = text.replace('+', "-").replace('/', "_");
            assert_eq!(decode(&url_safe).unwrap(), bytes, "URL-safe, length {len}");
            assert_eq!(decode(url_safe.trim_end_matches('=')).unwrap(), bytes, "URL-safe unpadded, length {len}");
            // Serde round trip too.
            let json = serde_json::to_string(&Base64(bytes.clone())).unwrap();
            assert_eq!(json, format!("\"{text}\""));
            assert_eq!(serde_json::from_str::<Base64>(&json).unwrap().0, bytes);
        }
    }

    #[test]
    fn base64_rejects_invalid_text_with_a_reason() {
        let cases = [
            ("Zm9v YmFy", "whitespace (` `) at position 4 is not allowed"),
            ("Zm9v\nYmFy", "whitespace (`\\n`) at position 4 is not allowed"),
            (" Zm9v", "whitespace (` `) at position 0 is not allowed"),
            ("Zm9v\t", "whitespace (`\\t`) at position 4 is not allowed"),
            ("Zm9v*mFy", "`*` at position 4 is not a base64 character"),
            ("Zm9vé", "`é` at position 4 is not a base64 character"),
            ("Zg==Zg==", "padding `=` at position 2 comes before the end"),
            ("Z=g=", "padding `=` at position 1 comes before the end"),
            ("Zg===", "it ends with 3 `=`; padding is at most 2"),
            ("====", "it ends with 4 `=`; padding is at most 2"),
            ("=", "with `=` padding its length must be a multiple of 4, but it is 1"),
            ("Z", "its 1 characters leave one over, which cannot encode a byte"),
            ("Zm9vY", "its 5 characters leave one over, which cannot encode a byte"),
            ("Zm9vY===", "it ends with 3 `=`; padding is at most 2"),
            ("Zg=", "with `=` padding its length must be a multiple of 4, but it is 3"),
            ("Zm8==", "with `=` padding its length must be a multiple of 4, but it is 5"),
            ("Zh==", "its last character has bits set that encode no byte (it is not canonical base64)"),
            ("Zm9=", "its last character has bits set that encode no byte (it is not canonical base64)"),
            ("Zm9", "its last character has bits set that encode no byte (it is not canonical base64)"),
        ];
        for (text, detail) in cases {
            let err = decode(text).expect_err(text);
            assert_eq!(err.detail(), Some(detail), "{text}");
            assert_eq!(err.expected(), "base64 text such as SGVsbG8=");
            assert_eq!(err.found(), text);
        }
    }

    #[test]
    fn long_rejected_text_is_cut_in_the_message() {
        let text = format!("{}!", "A".repeat(200));
        let err = decode(&text).unwrap_err();
        assert_eq!(err.found().chars().count(), FOUND_LIMIT + 1);
        assert!(err.found().ends_with('…'));
        assert_eq!(err.detail(), Some("`!` at position 200 is not a base64 character"));
    }

    #[test]
    fn fractions_are_read_and_written_without_trailing_zeros() {
        assert_eq!(nanos_from_digits("5"), 500_000_000);
        assert_eq!(nanos_from_digits("1234567"), 123_456_700);
        assert_eq!(nanos_from_digits("123456789999"), 123_456_789);
        let mut out = String::new();
        write_fraction(&mut out, 123_456_700).unwrap();
        write_fraction(&mut out, 0).unwrap();
        write_fraction(&mut out, 1).unwrap();
        assert_eq!(out, ".1234567.000000001");
    }
}
