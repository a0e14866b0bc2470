//! Graph's primitive types: the forms each one reads and rejects, what it writes, and serde round trips inside
//! structs the way the generated code uses them.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use msgraph_runtime::time::macros::{date, datetime, offset, time};
use msgraph_runtime::time::{self, OffsetDateTime, UtcOffset};
use msgraph_runtime::{Base64, Date, DateTimeOffset, Double, Duration, Guid, ParseEdmError, TimeOfDay};
use serde::{Deserialize, Serialize};

fn hash_of<T: Hash>(value: &T) -> u64 {
    let mut hasher = DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

/// Parses `text`, expecting an error whose detail is `detail`, and checks the message's shape.
fn rejects<T: std::str::FromStr<Err = ParseEdmError> + std::fmt::Debug>(text: &str, detail: &str) -> ParseEdmError {
    let err = text.parse::<T>().expect_err(text);
    assert_eq!(err.detail(), Some(detail), "{text}");
    assert_eq!(err.found(), text);
    assert_eq!(err.to_string(), format!("expected {}, found `{}`: {detail}", err.expected(), text.escape_debug()));
    err
}

// --- DateTimeOffset ---------------------------------------------------------------------------------------------

#[test]
fn date_time_offset_reads_the_forms_graph_sends() {
    let cases: [(&str, OffsetDateTime); 12] = [
        ("2026-11-27T10:00:00Z", datetime!(2026-11-27 10:00:00 UTC)),
        ("2026-11-27T10:00:00.1234567Z", datetime!(2026-11-27 10:00:00.1234567 UTC)),
        ("2026-11-27T10:00:00.5Z", datetime!(2026-11-27 10:00:00.5 UTC)),
        ("2026-11-27T10:00:00.123456789Z", datetime!(2026-11-27 10:00:00.123456789 UTC)),
        ("2026-11-27T10:00:00.1234567891234Z", datetime!(2026-11-27 10:00:00.123456789 UTC)),
        ("2026-11-27T10:00:00+01:00", datetime!(2026-11-27 10:00:00 +01:00)),
        ("2026-11-27T10:00:00-05:30", datetime!(2026-11-27 10:00:00 -05:30)),
        ("2026-11-27T10:00:00z", datetime!(2026-11-27 10:00:00 UTC)),
        ("2026-11-27t10:00:00z", datetime!(2026-11-27 10:00:00 UTC)),
        ("2026-11-27T10:00Z", datetime!(2026-11-27 10:00:00 UTC)),
        ("2026-11-27T10:00:00", datetime!(2026-11-27 10:00:00 UTC)),
        ("0001-01-01T00:00:00Z", datetime!(0001-01-01 00:00:00 UTC)),
    ];
    for (text, expected) in cases {
        let parsed: DateTimeOffset = text.parse().unwrap_or_else(|err| panic!("{text}: {err}"));
        assert_eq!(parsed.0, expected, "{text}");
        assert_eq!(parsed.offset(), expected.offset(), "{text} keeps its offset");
    }
    let end: DateTimeOffset = "9999-12-31T23:59:59.9999999Z".parse().unwrap();
    assert_eq!(end.year(), 9999);
    assert_eq!(end.nanosecond(), 999_999_900);
}

#[test]
fn date_time_offset_writes_z_for_utc_and_the_fraction_only_when_set() {
    let cases = [
        (datetime!(2026-11-27 10:00:00 UTC), "2026-11-27T10:00:00Z"),
        (datetime!(2026-11-27 10:00:00.5 UTC), "2026-11-27T10:00:00.5Z"),
        (datetime!(2026-11-27 10:00:00.1234567 UTC), "2026-11-27T10:00:00.1234567Z"),
        (datetime!(2026-11-27 10:00:00.000000001 UTC), "2026-11-27T10:00:00.000000001Z"),
        (datetime!(2026-11-27 10:00:00 +01:00), "2026-11-27T10:00:00+01:00"),
        (datetime!(2026-11-27 10:00:00 -05:30), "2026-11-27T10:00:00-05:30"),
        (datetime!(0001-01-01 00:00:00 UTC), "0001-01-01T00:00:00Z"),
        (datetime!(2026-11-27 10:00:00 +00:00:30), "2026-11-27T09:59:30Z"),
        (datetime!(-0001-01-01 00:00:00 UTC), "-0001-01-01T00:00:00Z"),
    ];
    for (value, text) in cases {
        assert_eq!(DateTimeOffset::from(value).to_string(), text);
        assert_eq!(serde_json::to_string(&DateTimeOffset::from(value)).unwrap(), format!("\"{text}\""));
        assert_eq!(text.parse::<DateTimeOffset>().unwrap(), DateTimeOffset::from(value), "{text} reads back");
    }
}

#[test]
fn date_time_offset_rejects_other_text() {
    let cases = [
        ("", "the year must have 4 digits"),
        ("2026-11-27", "the date and the time must be separated by `T`"),
        ("2026-11-27 10:00:00Z", "the date and the time must be separated by `T`"),
        ("26-11-27T10:00:00Z", "the year must have 4 digits"),
        ("2026/11/27T10:00:00Z", "the year, month and day must be separated by `-`"),
        ("2026-13-01T10:00:00Z", "there is no month 13"),
        ("2026-02-30T10:00:00Z", "February 2026 has no day 30"),
        ("2026-11-27T24:00:00Z", "hour 24 is out of range (00 to 23)"),
        ("2026-11-27T10:60:00Z", "minute 60 is out of range (00 to 59)"),
        ("2026-11-27T10:00:60Z", "second 60 is out of range (00 to 59)"),
        ("2026-11-27T10Z", "the hours, minutes and seconds must be separated by `:`"),
        ("2026-11-27T10:00:00.Z", "a `.` must be followed by digits"),
        ("2026-11-27T10:00:00+1:00", "the offset's hour must have 2 digits"),
        ("2026-11-27T10:00:00+0100", "the offset's hours and minutes must be separated by `:`"),
        ("2026-11-27T10:00:00+24:00", "the offset 24:00 is out of range"),
        ("2026-11-27T10:00:00 Z", "unexpected ` Z` after the time"),
        ("2026-11-27T10:00:00Zjunk", "unexpected `junk` after the offset"),
        ("2026-11-27T10:00:00+01:00Z", "unexpected `Z` after the offset"),
    ];
    for (text, detail) in cases {
        let err = rejects::<DateTimeOffset>(text, detail);
        assert_eq!(err.expected(), "an ISO 8601 date and time such as 2026-11-27T10:00:00Z");
    }
}

#[test]
fn date_time_offset_compares_instants() {
    let paris: DateTimeOffset = "2026-11-27T11:00:00+01:00".parse().unwrap();
    let utc: DateTimeOffset = "2026-11-27T10:00:00Z".parse().unwrap();
    assert_eq!(paris, utc);
    assert_eq!(hash_of(&paris), hash_of(&utc));
    assert!(utc < "2026-11-27T10:00:00.0000001Z".parse().unwrap());
    // Equal, but each is still written with its own offset.
    assert_eq!(paris.to_string(), "2026-11-27T11:00:00+01:00");
}

#[test]
fn date_time_offset_defaults_and_converts() {
    assert_eq!(DateTimeOffset::default().to_string(), "1970-01-01T00:00:00Z");
    let value = datetime!(2026-11-27 10:00 UTC);
    let wrapped: DateTimeOffset = value.into();
    assert_eq!(wrapped.hour(), 10, "Deref to OffsetDateTime");
    let back: OffsetDateTime = wrapped.into();
    assert_eq!(back, value);
    let mut shifted = wrapped;
    *shifted = shifted.to_offset(offset!(+2));
    assert_eq!(shifted.to_string(), "2026-11-27T12:00:00+02:00");
    let from_system = DateTimeOffset::from(std::time::UNIX_EPOCH + std::time::Duration::from_secs(86_400));
    assert_eq!(from_system.to_string(), "1970-01-02T00:00:00Z");
    assert_eq!(DateTimeOffset::now_utc().offset(), UtcOffset::UTC);
}

// --- Date -------------------------------------------------------------------------------------------------------

#[test]
fn date_reads_and_writes_iso_dates() {
    let cases = [
        ("2026-11-27", date!(2026 - 11 - 27)),
        ("2024-02-29", date!(2024 - 02 - 29)),
        ("0001-01-01", date!(0001 - 01 - 01)),
        ("9999-12-31", date!(9999 - 12 - 31)),
        ("-0044-03-15", date!(-0044 - 03 - 15)),
    ];
    for (text, expected) in cases {
        let parsed: Date = text.parse().unwrap();
        assert_eq!(parsed, Date(expected));
        assert_eq!(parsed.to_string(), text);
        assert_eq!(serde_json::to_string(&parsed).unwrap(), format!("\"{text}\""));
    }
    assert_eq!(Date::default().to_string(), "1970-01-01");
    assert_eq!(time::Date::from(Date(date!(2026 - 11 - 27))), date!(2026 - 11 - 27));
    assert_eq!(Date::from(date!(2026 - 11 - 27)).month(), time::Month::November, "Deref to time::Date");
    assert!(Date(date!(2026 - 11 - 27)) < Date(date!(2026 - 11 - 28)));
}

#[test]
fn date_rejects_other_text() {
    let cases = [
        ("2026-11-27T10:00:00Z", "unexpected `T10:00:00Z` after the date"),
        ("2026-11-7", "the day must have 2 digits"),
        ("2026-1-27", "the month must have 2 digits"),
        ("20261127", "the year, month and day must be separated by `-`"),
        ("2026-00-10", "there is no month 00"),
        ("2025-02-29", "February 2025 has no day 29"),
        ("2026-11-31", "November 2026 has no day 31"),
        ("2026-11-00", "November 2026 has no day 00"),
        (" 2026-11-27", "the year must have 4 digits"),
        ("2026-11-27 ", "unexpected ` ` after the date"),
        ("", "the year must have 4 digits"),
    ];
    for (text, detail) in cases {
        let err = rejects::<Date>(text, detail);
        assert_eq!(err.expected(), "an ISO 8601 date such as 2026-11-27");
    }
}

// --- TimeOfDay --------------------------------------------------------------------------------------------------

#[test]
fn time_of_day_reads_graph_forms_and_writes_them_back() {
    // Each text is written back as it was read; a value made in code has the canonical text.
    let cases = [
        ("13:45:00", time!(13:45), "13:45:00"),
        ("13:45:00.0000000", time!(13:45), "13:45:00.0000000"),
        ("13:45", time!(13:45), "13:45"),
        ("00:00:00", time!(00:00), "00:00:00"),
        ("23:59:59.9999999", time!(23:59:59.9999999), "23:59:59.9999999"),
        ("08:05:03.5", time!(08:05:03.5), "08:05:03.5"),
    ];
    for (text, expected, written) in cases {
        let parsed: TimeOfDay = text.parse().unwrap();
        assert_eq!(parsed, TimeOfDay::from(expected), "{text}");
        assert_eq!(parsed.to_string(), written);
        assert_eq!(serde_json::to_string(&parsed).unwrap(), format!("\"{written}\""));
    }
    assert_eq!(TimeOfDay::from(time!(13:45)).to_string(), "13:45:00");
    // Changed so that it needs more digits than it was read with: the digits it needs.
    let mut changed: TimeOfDay = "13:45".parse().unwrap();
    *changed = time!(13:45:07.25);
    assert_eq!(changed.to_string(), "13:45:07.25");
    let mut changed: TimeOfDay = "13:45:00.0".parse().unwrap();
    *changed = time!(13:45:00.123);
    assert_eq!(changed.to_string(), "13:45:00.123");
    assert_eq!(TimeOfDay::default().to_string(), "00:00:00");
    assert_eq!(TimeOfDay::from(time!(13:45)).hour(), 13, "Deref to time::Time");
    assert_eq!(time::Time::from(TimeOfDay::from(time!(13:45))), time!(13:45));
}

#[test]
fn time_of_day_rejects_other_text() {
    let cases = [
        ("24:00:00", "hour 24 is out of range (00 to 23)"),
        ("13:60", "minute 60 is out of range (00 to 59)"),
        ("1:45", "the hour must have 2 digits"),
        ("13", "the hours, minutes and seconds must be separated by `:`"),
        ("13:45:0", "the second must have 2 digits"),
        ("13:45:00.", "a `.` must be followed by digits"),
        ("13:45:00Z", "unexpected `Z` after the time"),
        ("13:45:00+01:00", "unexpected `+01:00` after the time"),
        ("PT13H", "the hour must have 2 digits"),
    ];
    for (text, detail) in cases {
        let err = rejects::<TimeOfDay>(text, detail);
        assert_eq!(err.expected(), "a time of day such as 13:45:00");
    }
}

// --- Duration ---------------------------------------------------------------------------------------------------

#[test]
fn duration_reads_iso_8601_durations() {
    let cases = [
        ("PT1H30M", Duration { hours: 1, minutes: 30, ..Duration::ZERO }, "PT1H30M"),
        ("P1D", Duration { days: 1, ..Duration::ZERO }, "P1D"),
        ("-PT0.5S", Duration { negative: true, nanoseconds: 500_000_000, ..Duration::ZERO }, "-PT0.5S"),
        (
            "P1DT2H3M4.5S",
            Duration { days: 1, hours: 2, minutes: 3, seconds: 4, nanoseconds: 500_000_000, ..Duration::ZERO },
            "P1DT2H3M4.5S",
        ),
        ("PT0S", Duration::ZERO, "PT0S"),
        ("P0D", Duration::ZERO, "PT0S"),
        ("-PT0S", Duration::ZERO, "PT0S"),
        ("P1Y2M", Duration { years: 1, months: 2, ..Duration::ZERO }, "P1Y2M"),
        ("P2W", Duration { weeks: 2, ..Duration::ZERO }, "P2W"),
        (
            "P1Y2M3W4DT5H6M7S",
            Duration { years: 1, months: 2, weeks: 3, days: 4, hours: 5, minutes: 6, seconds: 7, ..Duration::ZERO },
            "P1Y2M3W4DT5H6M7S",
        ),
        ("PT90M", Duration { minutes: 90, ..Duration::ZERO }, "PT90M"),
        ("PT36H", Duration { hours: 36, ..Duration::ZERO }, "PT36H"),
        ("+PT5M", Duration { minutes: 5, ..Duration::ZERO }, "PT5M"),
        ("PT1,25S", Duration { seconds: 1, nanoseconds: 250_000_000, ..Duration::ZERO }, "PT1.25S"),
        ("PT0.0000001S", Duration { nanoseconds: 100, ..Duration::ZERO }, "PT0.0000001S"),
        ("PT4.5000000S", Duration { seconds: 4, nanoseconds: 500_000_000, ..Duration::ZERO }, "PT4.5S"),
        ("P0DT0H15M0S", Duration { minutes: 15, ..Duration::ZERO }, "PT15M"),
        ("-P1D", Duration { negative: true, days: 1, ..Duration::ZERO }, "-P1D"),
        ("P18446744073709551615D", Duration { days: u64::MAX, ..Duration::ZERO }, "P18446744073709551615D"),
    ];
    for (text, expected, written) in cases {
        let parsed: Duration = text.parse().unwrap_or_else(|err| panic!("{text}: {err}"));
        assert_eq!(parsed, expected, "{text}");
        assert_eq!(parsed.to_string(), written, "{text}");
        assert_eq!(serde_json::to_string(&parsed).unwrap(), format!("\"{written}\""));
        assert_eq!(written.parse::<Duration>().unwrap(), expected, "{written} reads back");
    }
}

#[test]
fn duration_rejects_other_text() {
    let cases = [
        ("", "it must start with `P` (or `-P`)"),
        ("abc", "it must start with `P` (or `-P`)"),
        ("1H", "it must start with `P` (or `-P`)"),
        ("pt1h", "it must start with `P` (or `-P`)"),
        ("P", "it has no components, such as `1D` or `T1H`"),
        ("-P", "it has no components, such as `1D` or `T1H`"),
        ("PT", "`T` must be followed by hours, minutes or seconds"),
        ("P1DT", "`T` must be followed by hours, minutes or seconds"),
        ("PT1h", "unexpected `h` where one of H, M, S was expected"),
        ("P1H", "unexpected `H` where one of Y, M, W, D was expected"),
        ("PT1D", "unexpected `D` where one of H, M, S was expected"),
        ("PT1", "`1` must be followed by one of H, M, S"),
        ("PTH", "`H` must follow a number"),
        ("PT1M1H", "`H` is repeated or out of order; the order is H, M, S"),
        ("P1D1Y", "`Y` is repeated or out of order; the order is Y, M, W, D"),
        ("PT1H1H", "`H` is repeated or out of order; the order is H, M, S"),
        ("PT1.5H", "only the seconds may have a fraction"),
        ("P1.5D", "only the seconds may have a fraction"),
        ("PT1.S", "a decimal point must be followed by digits"),
        ("PT-1S", "unexpected `-` where a number was expected"),
        ("P 1D", "unexpected ` ` where a number was expected"),
        ("PT1H 30M", "unexpected ` ` where a number was expected"),
        ("PT1HT30M", "`T` may appear only once, before the hours, minutes and seconds"),
        ("--PT1S", "it must start with `P` (or `-P`)"),
        ("P18446744073709551616D", "18446744073709551616 is too large"),
    ];
    for (text, detail) in cases {
        let err = rejects::<Duration>(text, detail);
        assert_eq!(err.expected(), "an ISO 8601 duration such as PT1H30M");
    }
    assert_eq!(
        "abc".parse::<Duration>().unwrap_err().to_string(),
        "expected an ISO 8601 duration such as PT1H30M, found `abc`: it must start with `P` (or `-P`)"
    );
}

#[test]
fn duration_converts_to_and_from_lengths() {
    use std::time::Duration as Std;

    let parse = |text: &str| text.parse::<Duration>().unwrap();
    assert_eq!(parse("PT1H30M").to_std(), Some(Std::from_secs(5400)));
    assert_eq!(parse("P1DT2H3M4.5S").to_std(), Some(Std::new(86_400 + 7200 + 180 + 4, 500_000_000)));
    assert_eq!(parse("P2W").to_std(), Some(Std::from_secs(14 * 86_400)));
    assert_eq!(parse("PT0S").to_std(), Some(Std::ZERO));
    assert_eq!(parse("-PT0.5S").to_std(), None, "negative");
    assert_eq!(parse("P1Y").to_std(), None, "years have no fixed length");
    assert_eq!(parse("P1M").to_std(), None, "months have no fixed length");
    assert_eq!(parse("P18446744073709551615D").to_std(), None, "too long");

    assert_eq!(parse("-PT0.5S").to_time(), Some(time::Duration::milliseconds(-500)));
    assert_eq!(parse("PT1H30M").to_time(), Some(time::Duration::minutes(90)));
    assert_eq!(parse("P1Y").to_time(), None);

    assert_eq!(Duration::from(Std::from_secs(5400)).to_string(), "PT1H30M");
    assert_eq!(Duration::from(Std::from_secs(0)).to_string(), "PT0S");
    assert_eq!(Duration::from(Std::new(93_784, 500_000_000)).to_string(), "P1DT2H3M4.5S");
    assert_eq!(Duration::from(Std::from_nanos(1)).to_string(), "PT0.000000001S");
    assert_eq!(Duration::from(time::Duration::milliseconds(-1500)).to_string(), "-PT1.5S");
    for secs in [0, 1, 59, 60, 3599, 3600, 86_399, 86_400, 1_000_000] {
        let length = Std::new(secs, 250);
        assert_eq!(Duration::from(length).to_std(), Some(length));
        assert_eq!(Duration::from(length).to_string().parse::<Duration>().unwrap().to_std(), Some(length));
    }
}

#[test]
fn duration_compares_components_and_normalises_zero_and_carries() {
    let parse = |text: &str| text.parse::<Duration>().unwrap();
    assert_ne!(parse("PT60M"), parse("PT1H"), "components are compared as written");
    assert_eq!(parse("PT60M").to_std(), parse("PT1H").to_std());
    let negative_zero = Duration { negative: true, ..Duration::ZERO };
    assert_eq!(negative_zero, Duration::ZERO);
    assert_eq!(hash_of(&negative_zero), hash_of(&Duration::ZERO));
    assert_eq!(negative_zero.to_string(), "PT0S");
    assert_eq!(negative_zero.to_std(), Some(std::time::Duration::ZERO));
    let carried = Duration { seconds: 1, nanoseconds: 1_500_000_000, ..Duration::ZERO };
    assert_eq!(carried, Duration { seconds: 2, nanoseconds: 500_000_000, ..Duration::ZERO });
    assert_eq!(carried.to_string(), "PT2.5S");
    assert_eq!(carried.to_std(), Some(std::time::Duration::from_millis(2500)));
    let huge = Duration { seconds: u64::MAX, nanoseconds: 1_000_000_000, ..Duration::ZERO };
    assert_eq!(huge.to_string(), "PT18446744073709551616S");
    assert_eq!(huge.to_std(), None);
    assert_eq!(Duration::default(), Duration::ZERO);
    assert!(Duration::default().is_zero());
}

// --- Guid -------------------------------------------------------------------------------------------------------

#[test]
fn guid_reads_any_case_and_writes_lower_case() {
    let expected = "0b2a6c1e-3f4d-4e5f-8a9b-0c1d2e3f4a5b";
    for text in [
        "0b2a6c1e-3f4d-4e5f-8a9b-0c1d2e3f4a5b",
        "0B2A6C1E-3F4D-4E5F-8A9B-0C1D2E3F4A5B",
        "0b2A6c1E-3f4D-4e5F-8a9B-0c1D2e3F4a5B",
        "{0B2A6C1E-3F4D-4E5F-8A9B-0C1D2E3F4A5B}",
        "0b2a6c1e3f4d4e5f8a9b0c1d2e3f4a5b",
    ] {
        let guid: Guid = text.parse().unwrap_or_else(|err| panic!("{text}: {err}"));
        assert_eq!(guid.to_string(), expected);
        assert_eq!(serde_json::to_string(&guid).unwrap(), format!("\"{expected}\""));
    }
    assert_eq!(Guid::default().to_string(), "00000000-0000-0000-0000-000000000000");
    let uuid = uuid::Uuid::from_u128(0x0b2a6c1e_3f4d_4e5f_8a9b_0c1d2e3f4a5b);
    assert_eq!(Guid::from(uuid).to_string(), expected);
    assert_eq!(uuid::Uuid::from(Guid(uuid)), uuid);
    assert_eq!(Guid(uuid).get_version_num(), 4, "Deref to Uuid");
}

#[test]
fn guid_rejects_other_text() {
    for text in [
        "",
        "not-a-guid",
        "0b2a6c1e-3f4d-4e5f-8a9b-0c1d2e3f4a5",
        "0b2a6c1e-3f4d-4e5f-8a9b-0c1d2e3f4a5bb",
        "0b2a6c1e-3f4d-4e5f-8a9b-0c1d2e3f4a5g",
        " 0b2a6c1e-3f4d-4e5f-8a9b-0c1d2e3f4a5b",
    ] {
        let err = text.parse::<Guid>().expect_err(text);
        assert_eq!(err.expected(), "a GUID such as 01234567-89ab-cdef-0123-456789abcdef");
        assert!(err.detail().is_some(), "{text}");
        assert!(err.to_string().starts_with(&format!("expected {}, found `{text}`: ", err.expected())));
    }
}

// --- Double -----------------------------------------------------------------------------------------------------

#[test]
fn double_reads_numbers_and_the_special_strings() {
    let read = |json: &str| serde_json::from_str::<Double>(json).unwrap_or_else(|err| panic!("{json}: {err}")).0;
    assert_eq!(read("1.5"), 1.5);
    assert_eq!(read("-2"), -2.0);
    assert_eq!(read("18446744073709551615"), u64::MAX as f64);
    assert_eq!(read("1e300"), 1e300);
    assert_eq!(read("\"1.5\""), 1.5);
    assert_eq!(read("\"-0.25\""), -0.25);
    assert_eq!(read("\"1e3\""), 1000.0);
    assert!(read("\"NaN\"").is_nan());
    assert_eq!(read("\"INF\""), f64::INFINITY);
    assert_eq!(read("\"-INF\""), f64::NEG_INFINITY);
    assert_eq!(read("\"Infinity\""), f64::INFINITY);
    assert_eq!(read("\"-Infinity\""), f64::NEG_INFINITY);
}

#[test]
fn double_writes_finite_values_as_numbers_and_others_as_strings() {
    let write = |value: f64| serde_json::to_string(&Double(value)).unwrap();
    assert_eq!(write(1.5), "1.5");
    // A whole number is written as an integer, as Graph writes it.
    assert_eq!(write(2.0), "2");
    assert_eq!(write(-0.0), "-0.0");
    assert_eq!(write(1e300), "1e+300");
    assert_eq!(write(-0.25), "-0.25");
    assert_eq!(write(f64::NAN), "\"NaN\"");
    assert_eq!(write(f64::INFINITY), "\"INF\"");
    assert_eq!(write(f64::NEG_INFINITY), "\"-INF\"");

    assert_eq!(Double(1.5).to_string(), "1.5");
    assert_eq!(Double(f64::NAN).to_string(), "NaN");
    assert_eq!(Double(f64::INFINITY).to_string(), "INF");
    assert_eq!(Double(f64::NEG_INFINITY).to_string(), "-INF");
    for value in [0.0, -0.0, 1.5, -1.0e-300, f64::MAX, f64::MIN_POSITIVE, f64::INFINITY, f64::NEG_INFINITY] {
        assert_eq!(Double(value).to_string().parse::<Double>().unwrap(), Double(value), "{value}");
        let json = serde_json::to_string(&Double(value)).unwrap();
        assert_eq!(serde_json::from_str::<Double>(&json).unwrap(), Double(value), "{json}");
    }
    assert!(Double(f64::NAN).to_string().parse::<Double>().unwrap().is_nan());
}

#[test]
fn double_follows_f64_equality_and_converts() {
    assert_ne!(Double(f64::NAN), Double(f64::NAN), "NaN equals nothing");
    assert!(Double(1.0) < Double(2.0));
    assert_eq!(Double::default(), Double(0.0));
    assert_eq!(f64::from(Double(1.5)), 1.5);
    assert_eq!(Double::from(1.5), Double(1.5));
    assert_eq!(Double(2.25).sqrt(), 1.5, "Deref to f64");
}

#[test]
fn double_rejects_other_values_naming_the_format() {
    for text in ["", "abc", " 1.5", "1.5 ", "1,5", "INFINITY!", "0x10"] {
        let err = text.parse::<Double>().expect_err(text);
        assert_eq!(err.expected(), "a number, or the string NaN, INF or -INF");
    }
    let err = serde_json::from_str::<Double>("\"abc\"").unwrap_err().to_string();
    assert!(err.starts_with("expected a number, or the string NaN, INF or -INF, found `abc`"), "{err}");
    let err = serde_json::from_str::<Double>("true").unwrap_err().to_string();
    assert!(
        err.starts_with("invalid type: boolean `true`, expected a number, or the string NaN, INF or -INF"),
        "{err}"
    );
}

// --- Base64 -----------------------------------------------------------------------------------------------------

#[test]
fn base64_reads_both_alphabets_and_writes_standard_padded() {
    for text in ["+/8=", "+/8", "-_8=", "-_8"] {
        assert_eq!(text.parse::<Base64>().unwrap(), Base64(vec![0xfb, 0xff]), "{text}");
    }
    assert_eq!(Base64(vec![0xfb, 0xff]).to_string(), "+/8=");
    assert_eq!(serde_json::to_string(&Base64(b"Hello".to_vec())).unwrap(), "\"SGVsbG8=\"");
    assert_eq!(Base64::default().to_string(), "");
    assert_eq!("".parse::<Base64>().unwrap(), Base64::default());
    assert_eq!(Vec::<u8>::from(Base64(vec![1, 2])), vec![1, 2]);
    assert_eq!(Base64::from(vec![1, 2]).len(), 2, "Deref to Vec<u8>");
    assert_eq!(Base64::from(&b"ab"[..]).as_ref(), b"ab");
}

#[test]
fn base64_rejects_whitespace_with_a_clear_message() {
    let err = serde_json::from_str::<Base64>("\"SGVs\\nbG8=\"").unwrap_err().to_string();
    assert!(
        err.starts_with(
            "expected base64 text such as SGVsbG8=, found `SGVs\\nbG8=`: whitespace (`\\n`) at position 4 is not allowed"
        ),
        "{err}"
    );
    rejects::<Base64>("SGVs bG8=", "whitespace (` `) at position 4 is not allowed");
    rejects::<Base64>("SGVsbG8=\r\n", "whitespace (`\\r`) at position 8 is not allowed");
}

// --- Serde inside structs, as the generated code uses these types -----------------------------------------------

#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Event {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    start: Option<DateTimeOffset>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    day: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    time_of_day: Option<TimeOfDay>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reminder: Option<Duration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<Guid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    score: Option<Double>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    photo: Option<Base64>,
    #[serde(default)]
    history: Vec<DateTimeOffset>,
    #[serde(default)]
    days: Vec<Date>,
    #[serde(default)]
    times: Vec<TimeOfDay>,
    #[serde(default)]
    reminders: Vec<Duration>,
    #[serde(default)]
    ids: Vec<Guid>,
    #[serde(default)]
    scores: Vec<Double>,
    #[serde(default)]
    chunks: Vec<Base64>,
}

#[test]
fn every_type_round_trips_inside_a_struct() {
    let json = r#"{
        "start": "2026-11-27T10:00:00.1234567Z",
        "day": "2026-11-27",
        "timeOfDay": "13:45:00.0000000",
        "reminder": "PT15M",
        "id": "0B2A6C1E-3F4D-4E5F-8A9B-0C1D2E3F4A5B",
        "score": "INF",
        "photo": "SGVsbG8",
        "history": ["2026-11-27T10:00:00Z", "2026-11-27T11:00:00+01:00"],
        "days": ["2026-01-01", "2026-12-31"],
        "times": ["08:00", "17:30:15.5"],
        "reminders": ["P1D", "-PT0.5S", "PT0S"],
        "ids": ["00000000-0000-0000-0000-000000000000"],
        "scores": [1.5, 2, "NaN", "-INF", "0.5"],
        "chunks": ["", "AA==", "-_8"]
    }"#;
    let event: Event = serde_json::from_str(json).unwrap();
    assert_eq!(event.start, Some(DateTimeOffset::from(datetime!(2026-11-27 10:00:00.1234567 UTC))));
    assert_eq!(event.day, Some(Date(date!(2026 - 11 - 27))));
    assert_eq!(event.time_of_day, Some(TimeOfDay::from(time!(13:45))));
    assert_eq!(event.reminder, Some(Duration { minutes: 15, ..Duration::ZERO }));
    assert_eq!(event.photo.as_deref().map(Vec::as_slice), Some(&b"Hello"[..]));
    assert_eq!(event.history[0], event.history[1]);
    assert_eq!(event.chunks, vec![Base64(vec![]), Base64(vec![0]), Base64(vec![0xfb, 0xff])]);

    let written = serde_json::to_value(&event).unwrap();
    assert_eq!(
        written,
        serde_json::json!({
            "start": "2026-11-27T10:00:00.1234567Z",
            "day": "2026-11-27",
            "timeOfDay": "13:45:00.0000000",
            "reminder": "PT15M",
            "id": "0b2a6c1e-3f4d-4e5f-8a9b-0c1d2e3f4a5b",
            "score": "INF",
            "photo": "SGVsbG8=",
            "history": ["2026-11-27T10:00:00Z", "2026-11-27T11:00:00+01:00"],
            "days": ["2026-01-01", "2026-12-31"],
            "times": ["08:00", "17:30:15.5"],
            "reminders": ["P1D", "-PT0.5S", "PT0S"],
            "ids": ["00000000-0000-0000-0000-000000000000"],
            "scores": [1.5, 2, "NaN", "-INF", 0.5],
            "chunks": ["", "AA==", "+/8="]
        })
    );
    // Reading what was written gives the same values (NaN aside, which equals nothing).
    let again: Event = serde_json::from_value(written.clone()).unwrap();
    assert_eq!(serde_json::to_value(&again).unwrap(), written);
    assert!(again.scores[2].is_nan());
    let without_nan = |e: &Event| Event { scores: vec![], ..e.clone() };
    assert_eq!(without_nan(&again), without_nan(&event));
}

#[test]
fn absent_and_null_fields_read_as_none_and_defaults_are_documented_values() {
    let event: Event = serde_json::from_str(r#"{"start": null, "reminder": null}"#).unwrap();
    assert_eq!(event, Event::default());
    assert_eq!(
        serde_json::to_string(&event).unwrap(),
        r#"{"history":[],"days":[],"times":[],"reminders":[],"ids":[],"scores":[],"chunks":[]}"#
    );
}

#[test]
fn wrong_values_give_serde_errors_that_name_the_format() {
    let cases = [
        (
            r#"{"start": "2026-11-27"}"#,
            "expected an ISO 8601 date and time such as 2026-11-27T10:00:00Z, found `2026-11-27`",
        ),
        (
            r#"{"start": 5}"#,
            "invalid type: integer `5`, expected an ISO 8601 date and time such as 2026-11-27T10:00:00Z",
        ),
        (r#"{"day": "27/11/2026"}"#, "expected an ISO 8601 date such as 2026-11-27, found `27/11/2026`"),
        (r#"{"day": true}"#, "invalid type: boolean `true`, expected an ISO 8601 date such as 2026-11-27"),
        (r#"{"timeOfDay": "1pm"}"#, "expected a time of day such as 13:45:00, found `1pm`"),
        (r#"{"reminder": "abc"}"#, "expected an ISO 8601 duration such as PT1H30M, found `abc`"),
        (r#"{"reminder": 900}"#, "invalid type: integer `900`, expected an ISO 8601 duration such as PT1H30M"),
        (r#"{"id": "nope"}"#, "expected a GUID such as 01234567-89ab-cdef-0123-456789abcdef, found `nope`"),
        (r#"{"score": "lots"}"#, "expected a number, or the string NaN, INF or -INF, found `lots`"),
        (r#"{"score": [1]}"#, "invalid type: sequence, expected a number, or the string NaN, INF or -INF"),
        (r#"{"photo": "SGVs*G8="}"#, "expected base64 text such as SGVsbG8=, found `SGVs*G8=`"),
        (r#"{"photo": [1, 2]}"#, "invalid type: sequence, expected base64 text such as SGVsbG8="),
        (r#"{"reminders": ["PT1H", "1 hour"]}"#, "expected an ISO 8601 duration such as PT1H30M, found `1 hour`"),
    ];
    for (json, message) in cases {
        let err = serde_json::from_str::<Event>(json).expect_err(json).to_string();
        assert!(err.starts_with(message), "{json}: {err}");
    }
}

#[test]
fn date_time_offset_is_written_back_as_it_was_read() {
    for text in [
        "2017-07-31T18:56:16.0000000Z",
        "2026-11-27T10:00:00+00:00",
        "2026-11-27T10:00:00-00:00",
        "2026-11-27T10:00:00z",
        "2026-11-27T10:00Z",
        "2026-11-27T10:00:00",
        "2026-11-27T11:00:00.5000+01:00",
    ] {
        let value: DateTimeOffset = text.parse().unwrap();
        assert_eq!(value.to_string(), text);
        assert_eq!(serde_json::to_string(&value).unwrap(), format!("\"{text}\""));
    }
    // The same instant whatever the text: equality, ordering and hashing compare values.
    let a: DateTimeOffset = "2017-07-31T18:56:16.0000000Z".parse().unwrap();
    let b: DateTimeOffset = "2017-07-31T18:56:16+00:00".parse().unwrap();
    assert_eq!(a, b);
    assert_eq!(a.cmp(&b), std::cmp::Ordering::Equal);
    let set: std::collections::HashSet<DateTimeOffset> = [a, b].into_iter().collect();
    assert_eq!(set.len(), 1);
}
