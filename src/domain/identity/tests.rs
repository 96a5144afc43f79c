use super::*;
use proptest::prelude::*;

fn d(year: i32, month: u32, day: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(year, month, day) {
        Some(date) => date,
        None => panic!("bad test date {year}-{month}-{day}"),
    }
}

/// A fixed "today" so the tests do not depend on the clock.
fn today() -> NaiveDate {
    d(2026, 3, 15)
}

fn ok<T, E: fmt::Debug>(result: Result<T, E>) -> T {
    match result {
        Ok(value) => value,
        Err(e) => panic!("expected Ok, got {e:?}"),
    }
}

fn pin(input: &str) -> Result<PersonalIdentityNumber, IdentityError> {
    PersonalIdentityNumber::parse(input, today())
}

fn digits(text: &str) -> Vec<u8> {
    text.bytes().map(|b| b - b'0').collect()
}

/// A synthetic personnummer (or samordningsnummer) as twelve digits: the birth date, a
/// three-digit serial and the check digit computed over the ten-digit form.
fn synthetic(birth: NaiveDate, serial: u32, coordination: bool) -> String {
    let day = birth.day() + if coordination { 60 } else { 0 };
    let ten = format!(
        "{:02}{:02}{:02}{:03}",
        birth.year() % 100,
        birth.month(),
        day,
        serial
    );
    let check = luhn_check_digit(&digits(&ten));
    format!("{:04}{}{}", birth.year(), &ten[2..], check)
}

/// The ten-digit form with the given separator ("" for none).
fn short_form(twelve: &str, separator: &str) -> String {
    format!("{}{}{}", &twelve[2..8], separator, &twelve[8..])
}

#[test]
fn luhn_examples() {
    // Skatteverket's example: 640823-323 → check digit 4.
    assert_eq!(luhn_check_digit(&digits("640823323")), 4);
    assert!(luhn_valid(&digits("6408233234")));
    assert!(!luhn_valid(&digits("6408233235")));
    assert_eq!(luhn_check_digit(&digits("160990")), 8);
    assert_eq!(luhn_check_digit(&[]), 0);
    assert!(!luhn_valid(&[]));
    assert!(!luhn_valid(&[1, 10]));
    // Out-of-range elements do not panic.
    assert!(luhn_check_digit(&[255, 200, 9]) <= 9);
}

#[test]
fn source_personnummer_examples() {
    let p = ok(pin("640823-3234"));
    assert_eq!(p.as_str(), "196408233234");
    assert_eq!(p.to_string(), "19640823-3234");
    assert_eq!(p.birth_date(), d(1964, 8, 23));
    assert!(!p.is_coordination_number());
    assert_eq!(pin("640823-3235"), Err(IdentityError::BadCheckDigit));
    for form in [
        "6408233234",
        "196408233234",
        "19640823-3234",
        "  640823-3234\n",
    ] {
        assert_eq!(pin(form).as_ref().map(|p| p.as_str()), Ok("196408233234"));
    }
    // 1964 is within the last 100 years, so `+` means 1864.
    assert_eq!(ok(pin("640823+3234")).as_str(), "186408233234");
}

#[test]
fn source_samordningsnummer_example() {
    let s = ok(pin("701063-2391"));
    assert_eq!(s.as_str(), "197010632391");
    assert!(s.is_coordination_number());
    assert_eq!(s.birth_date(), d(1970, 10, 3));
    assert_eq!(pin("701063-2392"), Err(IdentityError::BadCheckDigit));
}

#[test]
fn personnummer_rejects() {
    assert_eq!(pin(""), Err(IdentityError::Empty));
    assert_eq!(pin("   "), Err(IdentityError::Empty));
    assert_eq!(pin("640823 3234"), Err(IdentityError::BadCharacters));
    assert_eq!(pin("640823_3234"), Err(IdentityError::BadCharacters));
    assert_eq!(pin("6408-233234"), Err(IdentityError::BadCharacters));
    assert_eq!(pin("640823--3234"), Err(IdentityError::BadCharacters));
    assert_eq!(pin("640823-+3234"), Err(IdentityError::BadCharacters));
    assert_eq!(pin("19640823+3234"), Err(IdentityError::BadCharacters));
    assert_eq!(pin("６40823-3234"), Err(IdentityError::BadCharacters));
    assert_eq!(pin("640823-323"), Err(IdentityError::BadLength));
    assert_eq!(pin("0640823-3234"), Err(IdentityError::BadLength));
    assert_eq!(pin("1964082332341"), Err(IdentityError::BadLength));
    // Month 13, day 00, day 32, samordning day 60 (unknown day) and 92.
    for (date, serial) in [("641323", 323), ("640800", 323), ("640832", 323)] {
        let ten = format!("{date}{serial}");
        let check = luhn_check_digit(&digits(&ten));
        assert_eq!(pin(&format!("{ten}{check}")), Err(IdentityError::BadDate));
    }
    for day in [60, 92] {
        let ten = format!("6408{day}323");
        let check = luhn_check_digit(&digits(&ten));
        assert_eq!(pin(&format!("{ten}{check}")), Err(IdentityError::BadDate));
    }
    // A year before 1000 in the twelve-digit form.
    let ten = "6408233234";
    assert_eq!(pin(&format!("09{ten}")), Err(IdentityError::BadDate));
}

#[test]
fn february_30_is_bad_date() {
    // Build it by hand: 1990-02-30 does not exist.
    let ten = "900230123";
    let check = luhn_check_digit(&digits(ten));
    assert_eq!(pin(&format!("{ten}{check}")), Err(IdentityError::BadDate));
    assert_eq!(pin(&format!("19{ten}{check}")), Err(IdentityError::BadDate));
    // 29 February exists only in leap years: 2000 yes, 1900 ("+" form in 2026) no.
    let leap = synthetic(d(2000, 2, 29), 123, false);
    assert_eq!(ok(pin(&short_form(&leap, "-"))).as_str(), leap);
    assert_eq!(pin(&short_form(&leap, "+")), Err(IdentityError::BadDate));
}

#[test]
fn future_dates_fail() {
    let tomorrow = synthetic(d(2026, 3, 16), 123, false);
    assert_eq!(pin(&tomorrow), Err(IdentityError::InTheFuture));
    // The ten-digit form of a date later this year is this year's, hence in the future:
    // someone born in 1926 on that day turns 100 this year and is written with `+`.
    assert_eq!(
        pin(&short_form(&tomorrow, "-")),
        Err(IdentityError::InTheFuture)
    );
    assert_eq!(
        ok(pin(&short_form(&tomorrow, "+"))).as_str(),
        format!("19{}", &tomorrow[2..])
    );
    let born_today = synthetic(today(), 123, false);
    assert_eq!(ok(pin(&short_form(&born_today, ""))).as_str(), born_today);
    let coordination = synthetic(d(2026, 3, 16), 123, true);
    assert_eq!(pin(&coordination), Err(IdentityError::InTheFuture));
}

#[test]
fn century_boundaries() {
    // Today is 2026-03-15. `-` covers birth years 1927..=2026, `+` 1827..=1926.
    let y1927 = synthetic(d(1927, 1, 1), 1, false);
    assert_eq!(ok(pin(&short_form(&y1927, "-"))).as_str(), y1927);
    let y1926 = synthetic(d(1926, 12, 31), 1, false);
    assert_eq!(ok(pin(&short_form(&y1926, "+"))).as_str(), y1926);
    assert_eq!(ok(pin(&y1926)).as_str(), y1926);
    let y1827 = synthetic(d(1827, 6, 1), 1, false);
    assert_eq!(ok(pin(&short_form(&y1827, "+"))).as_str(), y1827);
}

#[test]
fn debug_never_shows_digits() {
    let p = ok(pin("640823-3234"));
    let shown = format!("{p:?} {:?} {:#?}", Some(&p), p);
    assert!(!shown.bytes().any(|b| b.is_ascii_digit()), "{shown}");
    assert!(shown.contains("PersonalIdentityNumber(********-****)"));
    let s = ok(pin("701063-2391"));
    assert!(!format!("{s:?}").bytes().any(|b| b.is_ascii_digit()));
    let pg = ok(Plusgiro::parse(&pg_example()));
    assert!(!format!("{pg:?}").bytes().any(|b| b.is_ascii_digit()));
    let ocr = ok(OcrReference::parse("1234574", true));
    assert!(!format!("{ocr:?}").bytes().any(|b| b.is_ascii_digit()));
}

#[test]
fn errors_never_show_the_number() {
    let all = [
        IdentityError::Empty,
        IdentityError::BadCharacters,
        IdentityError::BadLength,
        IdentityError::BadDate,
        IdentityError::BadCheckDigit,
        IdentityError::BadOrganisationNumber,
        IdentityError::InTheFuture,
    ];
    for e in all {
        let text = e.to_string();
        assert!(!text.is_empty());
        assert!(!text.bytes().any(|b| b.is_ascii_digit()), "{text}");
    }
    assert_eq!(
        IdentityError::BadCheckDigit.to_string(),
        "the check digit is wrong"
    );
}

#[test]
fn organisation_numbers() {
    for (input, ten) in [
        ("212000-0142", "2120000142"),
        ("2120000142", "2120000142"),
        ("162120000142", "2120000142"),
        ("16212000-0142", "2120000142"),
        (" 212000-1355 ", "2120001355"),
    ] {
        let o = ok(OrganisationNumber::parse(input));
        assert_eq!(o.as_str(), ten, "{input}");
    }
    assert_eq!(
        ok(OrganisationNumber::parse("2120001355")).to_string(),
        "212000-1355"
    );
    assert_eq!(
        OrganisationNumber::parse("212000-0143"),
        Err(IdentityError::BadCheckDigit)
    );
    // A personnummer is not an organisationsnummer (month position 08 < 20).
    assert_eq!(
        OrganisationNumber::parse("640823-3234"),
        Err(IdentityError::BadOrganisationNumber)
    );
    assert_eq!(
        OrganisationNumber::parse("192120000142"),
        Err(IdentityError::BadOrganisationNumber)
    );
    assert_eq!(
        OrganisationNumber::parse("2120-000142"),
        Err(IdentityError::BadCharacters)
    );
    assert_eq!(
        OrganisationNumber::parse("1621200001-42"),
        Err(IdentityError::BadCharacters)
    );
    assert_eq!(
        OrganisationNumber::parse("16-2120000142"),
        Err(IdentityError::BadCharacters)
    );
    assert_eq!(
        OrganisationNumber::parse("212000+0142"),
        Err(IdentityError::BadCharacters)
    );
    assert_eq!(
        OrganisationNumber::parse("212000014"),
        Err(IdentityError::BadLength)
    );
    assert_eq!(OrganisationNumber::parse(""), Err(IdentityError::Empty));
}

#[test]
fn bankgiro_numbers() {
    let bg = ok(Bankgiro::parse("160-9908"));
    assert_eq!(bg.as_str(), "1609908");
    assert_eq!(bg.to_string(), "160-9908");
    assert_eq!(ok(Bankgiro::parse("1609908")), bg);
    // An eight-digit one built here: payload 5050105 → check digit 5.
    assert_eq!(luhn_check_digit(&digits("5050105")), 5);
    let eight = ok(Bankgiro::parse("5050-1055"));
    assert_eq!(eight.to_string(), "5050-1055");
    assert_eq!(
        Bankgiro::parse("160-9907"),
        Err(IdentityError::BadCheckDigit)
    );
    assert_eq!(
        Bankgiro::parse("1609-908"),
        Err(IdentityError::BadCharacters)
    );
    assert_eq!(
        Bankgiro::parse("160 9908"),
        Err(IdentityError::BadCharacters)
    );
    assert_eq!(Bankgiro::parse("16099"), Err(IdentityError::BadLength));
    assert_eq!(Bankgiro::parse("123456789"), Err(IdentityError::BadLength));
    assert_eq!(Bankgiro::parse(" "), Err(IdentityError::Empty));
}

/// A synthetic plusgiro number written in groups: 44184 + its check digit.
fn pg_example() -> String {
    let check = luhn_check_digit(&digits("44184"));
    format!("4 41 84-{check}")
}

#[test]
fn plusgiro_numbers() {
    let check = luhn_check_digit(&digits("44184"));
    let pg = ok(Plusgiro::parse(&pg_example()));
    assert_eq!(pg.as_str(), format!("44184{check}"));
    assert_eq!(pg.to_string(), format!("44184-{check}"));
    assert_eq!(ok(Plusgiro::parse(pg.as_str())), pg);
    // The layout example "4 41 84-1" has a wrong check digit (it should be 0).
    assert_eq!(check, 0);
    assert_eq!(
        Plusgiro::parse("4 41 84-1"),
        Err(IdentityError::BadCheckDigit)
    );
    assert_eq!(Plusgiro::parse("18"), Ok(Plusgiro("18".to_string())));
    assert_eq!(Plusgiro::parse("1"), Err(IdentityError::BadLength));
    assert_eq!(Plusgiro::parse("123456789"), Err(IdentityError::BadLength));
    assert_eq!(
        Plusgiro::parse("4418-43"),
        Err(IdentityError::BadCharacters)
    );
    assert_eq!(
        Plusgiro::parse("44184/3"),
        Err(IdentityError::BadCharacters)
    );
}

#[test]
fn ocr_references() {
    assert_eq!(
        ocr_with_check_digits("12345", true).as_deref(),
        Some("1234574")
    );
    assert_eq!(
        ocr_with_check_digits("1234567890", true).as_deref(),
        Some("123456789023")
    );
    let ocr = ok(OcrReference::parse("1234574", true));
    assert_eq!(ocr.as_str(), "1234574");
    assert_eq!(ocr.to_string(), "1234574");
    assert!(OcrReference::parse("123456789023", true).is_ok());
    assert_eq!(
        OcrReference::parse("1234575", true),
        Err(IdentityError::BadCheckDigit)
    );
    // 123455 is Luhn-valid, but its second-to-last digit (5) is not its length (6).
    let soft = ocr_with_check_digits("12345", false);
    assert_eq!(soft.as_deref(), Some("123455"));
    assert!(OcrReference::parse("123455", false).is_ok());
    assert_eq!(
        OcrReference::parse("123455", true),
        Err(IdentityError::BadCheckDigit)
    );
    assert_eq!(
        OcrReference::parse("0", false),
        Err(IdentityError::BadLength)
    );
    assert_eq!(
        OcrReference::parse(&"1".repeat(26), false),
        Err(IdentityError::BadLength)
    );
    assert_eq!(
        OcrReference::parse("1234-574", true),
        Err(IdentityError::BadCharacters)
    );
    assert_eq!(OcrReference::parse("", true), Err(IdentityError::Empty));
    assert_eq!(ocr_with_check_digits("", true), None);
    assert_eq!(ocr_with_check_digits("12a", true), None);
    assert_eq!(ocr_with_check_digits(" 12", true), None);
    // The longest bases: 23 digits + two control digits, or 24 + the check digit, make 25.
    let longest = |n: usize, length_digit| {
        ocr_with_check_digits(&"1".repeat(n), length_digit).map(|s| s.len())
    };
    assert_eq!(longest(23, true), Some(25));
    assert_eq!(longest(24, true), None);
    assert_eq!(longest(24, false), Some(25));
    assert_eq!(longest(25, false), None);
    assert_eq!(ocr_with_check_digits("7", false).as_deref(), Some("75"));
}

proptest! {
    #[test]
    fn synthetic_personnummer_forms_agree(
        offset in 0u64..=46_094, // 1900-01-01 ..= 2026-03-15
        serial in 0u32..1000,
        coordination in any::<bool>(),
    ) {
        let birth = d(1900, 1, 1) + chrono::Days::new(offset);
        prop_assert!(birth <= today());
        let twelve = synthetic(birth, serial, coordination);
        let separator = if today().year() - birth.year() < 100 { "-" } else { "+" };
        let mut forms = vec![twelve.clone(), format!("{}-{}", &twelve[..8], &twelve[8..]),
                             short_form(&twelve, separator)];
        if separator == "-" {
            forms.push(short_form(&twelve, ""));
        }
        for form in &forms {
            let parsed = pin(form);
            prop_assert_eq!(parsed.as_ref().map(|p| p.as_str()), Ok(twelve.as_str()),
                "form {}", form);
            if let Ok(p) = parsed {
                prop_assert_eq!(p.birth_date(), birth);
                prop_assert_eq!(p.is_coordination_number(), coordination);
                prop_assert_eq!(pin(&p.to_string()), Ok(p.clone()));
            }
        }
        // Any other check digit fails, in every form.
        let last = twelve.as_bytes()[11] - b'0';
        for wrong in (0..10u8).filter(|&c| c != last) {
            let bad = format!("{}{}", &twelve[..11], wrong);
            prop_assert_eq!(pin(&bad), Err(IdentityError::BadCheckDigit));
            prop_assert_eq!(pin(&short_form(&bad, separator)),
                Err(IdentityError::BadCheckDigit));
        }
    }

    #[test]
    fn plus_gives_the_earlier_century(
        offset in 0u64..=36_500,
        serial in 0u32..1000,
    ) {
        // Births in the last 100 calendar years, written with `+`, mean 100 years earlier.
        let birth = d(1927, 1, 1) + chrono::Days::new(offset);
        prop_assume!(birth <= today());
        let twelve = synthetic(birth, serial, false);
        match pin(&short_form(&twelve, "+")) {
            Ok(p) => {
                prop_assert_eq!(p.birth_date().year(), birth.year() - 100);
                prop_assert_eq!(&p.as_str()[2..], &twelve[2..]);
            }
            // Only 29 February of a leap year can be missing a century earlier.
            Err(e) => {
                prop_assert_eq!(e, IdentityError::BadDate);
                prop_assert_eq!((birth.month(), birth.day()), (2, 29));
            }
        }
    }

    #[test]
    fn future_births_fail(offset in 1u64..=36_500, serial in 0u32..1000,
                          coordination in any::<bool>()) {
        let birth = today() + chrono::Days::new(offset);
        let twelve = synthetic(birth, serial, coordination);
        prop_assert_eq!(pin(&twelve), Err(IdentityError::InTheFuture));
    }

    #[test]
    fn today_moves_the_century_window(
        today_offset in 0u64..=73_000, // 1950 ..= about 2150
        age_days in 0u64..=36_000,
        serial in 0u32..1000,
    ) {
        let today = d(1950, 1, 1) + chrono::Days::new(today_offset);
        let birth = today - chrono::Days::new(age_days);
        let twelve = synthetic(birth, serial, false);
        let separator = if today.year() - birth.year() < 100 { "-" } else { "+" };
        let parsed = PersonalIdentityNumber::parse(&short_form(&twelve, separator), today);
        prop_assert_eq!(parsed.as_ref().map(|p| p.as_str()), Ok(twelve.as_str()));
    }

    #[test]
    fn parsers_never_panic(s in "\\PC{0,30}", length_digit in any::<bool>()) {
        let _ = PersonalIdentityNumber::parse(&s, today());
        let _ = OrganisationNumber::parse(&s);
        let _ = Bankgiro::parse(&s);
        let _ = Plusgiro::parse(&s);
        let _ = OcrReference::parse(&s, length_digit);
        let _ = ocr_with_check_digits(&s, length_digit);
    }

    #[test]
    fn digit_strings_never_panic(s in "[0-9+ -]{0,16}") {
        let _ = PersonalIdentityNumber::parse(&s, today());
        let _ = OrganisationNumber::parse(&s);
        let _ = Bankgiro::parse(&s);
        let _ = Plusgiro::parse(&s);
    }

    #[test]
    fn ocr_built_references_parse(base in "[0-9]{1,22}", length_digit in any::<bool>()) {
        let built = ocr_with_check_digits(&base, length_digit);
        prop_assert!(built.is_some());
        if let Some(reference) = built {
            prop_assert!(reference.starts_with(&base));
            prop_assert_eq!(reference.len(), base.len() + 1 + usize::from(length_digit));
            prop_assert!(OcrReference::parse(&reference, length_digit).is_ok());
            // Every OCR built with a length digit also passes the soft (Luhn-only) check.
            prop_assert!(OcrReference::parse(&reference, false).is_ok());
            // Changing any one digit breaks the Luhn check (Luhn catches every
            // single-digit error).
            let bytes = reference.as_bytes();
            for i in 0..bytes.len() {
                let mut changed = bytes.to_vec();
                changed[i] = b'0' + (changed[i] - b'0' + 1) % 10;
                let changed = String::from_utf8(changed).unwrap_or_default();
                prop_assert_eq!(OcrReference::parse(&changed, false),
                    Err(IdentityError::BadCheckDigit));
            }
        }
    }

    #[test]
    fn bankgiro_round_trip(payload in "[0-9]{6,7}") {
        let check = luhn_check_digit(&digits(&payload));
        let number = format!("{payload}{check}");
        let bg = Bankgiro::parse(&number);
        prop_assert_eq!(bg.as_ref().map(|b| b.as_str()), Ok(number.as_str()));
        if let Ok(bg) = bg {
            prop_assert_eq!(Bankgiro::parse(&bg.to_string()), Ok(bg.clone()));
        }
    }

    #[test]
    fn organisation_number_round_trip(first in 0u8..10, second in 0u8..10,
                                      group in 20u32..100, rest in 0u32..100_000) {
        let payload = format!("{first}{second}{group:02}{rest:05}");
        let check = luhn_check_digit(&digits(&payload));
        let ten = format!("{payload}{check}");
        let o = OrganisationNumber::parse(&ten);
        prop_assert_eq!(o.as_ref().map(|o| o.as_str()), Ok(ten.as_str()));
        if let Ok(o) = o {
            prop_assert_eq!(OrganisationNumber::parse(&o.to_string()), Ok(o.clone()));
            prop_assert_eq!(OrganisationNumber::parse(&format!("16{ten}")), Ok(o.clone()));
        }
    }
}
