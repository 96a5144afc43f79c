//! The names of the proto enums as a counsellor writes and reads them.
//!
//! Input files and `--json` output use the proto value name without its
//! prefix, in lower case: `INCOME_CATEGORY_SALARY` is `salary`,
//! `FREQUENCY_EVERY_FOUR_WEEKS` is `every_four_weeks`. The names are derived
//! from the generated code rather than listed by hand, so a value added to
//! the proto is accepted and printed without touching the CLI. Tables print
//! the Swedish term the field uses (`sms-lån`, `hos Kronofogden`), or with
//! `--lang en` the value's name in English words (`sms loan`). The other
//! words the tables print are in [`words`].

use crate::pb;

pub mod measures;
pub mod words;

use words::{Lang, lang, wf};

/// A generated proto enum, with what the CLI needs to name its values.
pub trait ProtoEnum: Sized + Copy + TryFrom<i32> + Into<i32> {
    /// The prefix every value name carries, e.g. `"INCOME_CATEGORY_"`.
    const PREFIX: &'static str;
    /// What a value is, for messages: "income category".
    const WHAT: &'static str;
    /// The full proto value name, e.g. `"INCOME_CATEGORY_SALARY"`.
    fn proto_name(self) -> &'static str;
    /// The value for a full proto value name.
    fn from_proto_name(name: &str) -> Option<Self>;
    /// The Swedish term for the value, where the domain has one.
    fn swedish(self) -> Option<&'static str> {
        None
    }
}

macro_rules! proto_enum {
    // Without a Swedish term: none for any value.
    ($ty:ty, $prefix:literal, $what:literal) => {
        proto_enum!($ty, $prefix, $what, |_| None);
    };
    ($ty:ty, $prefix:literal, $what:literal, $swedish:expr) => {
        impl ProtoEnum for $ty {
            const PREFIX: &'static str = $prefix;
            const WHAT: &'static str = $what;
            fn proto_name(self) -> &'static str {
                self.as_str_name()
            }
            fn from_proto_name(name: &str) -> Option<Self> {
                Self::from_str_name(name)
            }
            fn swedish(self) -> Option<&'static str> {
                let f: fn($ty) -> Option<&'static str> = $swedish;
                f(self)
            }
        }
    };
}

proto_enum!(pb::Frequency, "FREQUENCY_", "frequency", |v| {
    use pb::Frequency::*;
    match v {
        Monthly => Some("per månad"),
        Weekly => Some("per vecka"),
        EveryFourWeeks => Some("var fjärde vecka"),
        Quarterly => Some("per kvartal"),
        Yearly => Some("per år"),
        OneOff => Some("engångsbelopp"),
        Unspecified => None,
    }
});
proto_enum!(pb::TableStatus, "TABLE_STATUS_", "table status", |v| {
    use pb::TableStatus::*;
    match v {
        Official => Some("officiell"),
        Provisional => Some("PRELIMINÄR"),
        Unspecified => None,
    }
});
proto_enum!(
    pb::NormTableKind,
    "NORM_TABLE_KIND_",
    "norm table kind",
    |v| {
        use pb::NormTableKind::*;
        match v {
            Riksnorm => Some("riksnorm"),
            Normalbelopp => Some("normalbelopp"),
            Referensranta => Some("referensränta"),
            ReferenceCosts => Some("referensvärden"),
            Unspecified => None,
        }
    }
);
proto_enum!(pb::NormCoverage, "NORM_COVERAGE_", "norm coverage", |v| {
    use pb::NormCoverage::*;
    match v {
        Official => Some("officiell"),
        Provisional => Some("PRELIMINÄR"),
        Missing => Some("SAKNAS"),
        Unspecified => None,
    }
});
proto_enum!(
    pb::ComparisonFlag,
    "COMPARISON_FLAG_",
    "comparison flag",
    |v| {
        use pb::ComparisonFlag::*;
        match v {
            AboveReference => Some("ÖVER"),
            WithinReference => Some("inom"),
            Unspecified => None,
        }
    }
);
proto_enum!(
    pb::HousingAllowanceKind,
    "HOUSING_ALLOWANCE_KIND_",
    "housing allowance kind",
    |v| {
        use pb::HousingAllowanceKind::*;
        match v {
            Bostadsbidrag => Some("bostadsbidrag"),
            Bostadstillagg => Some("bostadstillägg"),
            Boendetillagg => Some("boendetillägg"),
            Unspecified => None,
        }
    }
);
proto_enum!(pb::AdditionKind, "ADDITION_KIND_", "addition kind", |v| {
    use pb::AdditionKind::*;
    match v {
        WorkTravel => Some("arbetsresor"),
        MedicineAndCare => Some("medicin och vård"),
        Umgange => Some("umgänge"),
        Other => Some("annat tillägg"),
        Unspecified => None,
    }
});
proto_enum!(pb::ContractType, "CONTRACT_TYPE_", "contract type", |v| {
    use pb::ContractType::*;
    match v {
        FirstHand => Some("förstahandskontrakt"),
        SecondHand => Some("andrahandskontrakt"),
        Social => Some("socialt kontrakt"),
        HousingFirst => Some("bostad först"),
        Training => Some("försöks-/träningslägenhet"),
        Emergency => Some("jourlägenhet"),
        Supported => Some("stödboende"),
        Unspecified => None,
    }
});
proto_enum!(
    pb::NoticeResolution,
    "NOTICE_RESOLUTION_",
    "notice resolution",
    |v| {
        use pb::NoticeResolution::*;
        match v {
            Paid => Some("betald"),
            PlanAgreed => Some("avbetalningsplan"),
            Other => Some("annat"),
            PaidWithinDeadline => Some("betald i tid"),
            Unspecified => None,
        }
    }
);
proto_enum!(pb::NoticeState, "NOTICE_STATE_", "notice state", |v| {
    use pb::NoticeState::*;
    match v {
        Open => Some("öppen"),
        DeadlinePassed => Some("TIDEN HAR GÅTT UT"),
        Resolved => Some("löst"),
        Unspecified => None,
    }
});
proto_enum!(
    pb::InstalmentState,
    "INSTALMENT_STATE_",
    "instalment state",
    |v| {
        use pb::InstalmentState::*;
        match v {
            Paid => Some("betald"),
            PartiallyPaid => Some("delvis betald"),
            Missed => Some("missad"),
            Upcoming => Some("kommande"),
            Unspecified => None,
        }
    }
);
proto_enum!(pb::PlanState, "PLAN_STATE_", "plan state", |v| {
    use pb::PlanState::*;
    match v {
        OnTrack => Some("följs"),
        Behind => Some("efter"),
        Completed => Some("klar"),
        Broken => Some("bruten"),
        Unspecified => None,
    }
});
proto_enum!(
    pb::RentPaymentKind,
    "RENT_PAYMENT_KIND_",
    "payment kind",
    |v| {
        use pb::RentPaymentKind::*;
        match v {
            Rent => Some("hyra"),
            Arrears => Some("hyresskuld"),
            Unspecified => None,
        }
    }
);
proto_enum!(
    pb::ReceiptSource,
    "RECEIPT_SOURCE_",
    "receipt source",
    |v| {
        use pb::ReceiptSource::*;
        match v {
            ClientReceipt => Some("kvitto"),
            LandlordConfirmation => Some("hyresvärdens intyg"),
            Autogiro => Some("autogiro"),
            BankStatement => Some("kontoutdrag"),
            Unspecified => None,
        }
    }
);
proto_enum!(
    pb::RentCheckStatus,
    "RENT_CHECK_STATUS_",
    "rent check status",
    |v| {
        use pb::RentCheckStatus::*;
        match v {
            Paid => Some("betald"),
            PartiallyPaid => Some("delvis betald"),
            NotPaid => Some("obetald"),
            NoLease => Some("inget hyresavtal"),
            UnknownSubject => Some("okänd"),
            Unspecified => None,
        }
    }
);
proto_enum!(
    pb::PlanPaymentSource,
    "PLAN_PAYMENT_SOURCE_",
    "plan payment source",
    |v| {
        use pb::PlanPaymentSource::*;
        match v {
            Plan => Some("inbetalning enligt plan"),
            Payout => Some("utbetalning"),
            Receipt => Some("kvitto"),
            Unspecified => None,
        }
    }
);
proto_enum!(pb::DebtKind, "DEBT_KIND_", "debt kind", |v| {
    use pb::DebtKind::*;
    match v {
        Rent => Some("hyresskuld"),
        Electricity => Some("elskuld"),
        Tax => Some("skatteskuld"),
        Csn => Some("CSN"),
        Healthcare => Some("vårdskuld"),
        ConsumerCredit => Some("konsumtionskredit"),
        SmsLoan => Some("sms-lån"),
        KronofogdenCase => Some("kronofogden-mål"),
        Maintenance => Some("underhållsskuld"),
        Other => Some("övrigt"),
        Unspecified => None,
    }
});
proto_enum!(pb::DebtStatus, "DEBT_STATUS_", "debt status", |v| {
    use pb::DebtStatus::*;
    match v {
        Active => Some("aktiv"),
        DebtCollection => Some("hos inkasso"),
        Kronofogden => Some("hos Kronofogden"),
        Skuldsanering => Some("skuldsanering"),
        Settled => Some("reglerad"),
        Unspecified => None,
    }
});
proto_enum!(
    pb::DebtEventKind,
    "DEBT_EVENT_KIND_",
    "debt event kind",
    |v| {
        use pb::DebtEventKind::*;
        match v {
            OpeningBalance => Some("ingående saldo"),
            Payment => Some("betalning"),
            Interest => Some("ränta"),
            Fee => Some("avgift"),
            Correction => Some("rättelse"),
            Settlement => Some("reglering"),
            Unspecified => None,
        }
    }
);
proto_enum!(pb::MemberRole, "MEMBER_ROLE_", "member role", |v| {
    use pb::MemberRole::*;
    match v {
        Applicant => Some("sökande"),
        Partner => Some("make/maka/sambo"),
        Child => Some("barn"),
        OtherAdult => Some("annan vuxen"),
        Unspecified => None,
    }
});
proto_enum!(
    pb::IncomeCategory,
    "INCOME_CATEGORY_",
    "income category",
    |v| {
        use pb::IncomeCategory::*;
        match v {
            Salary => Some("lön"),
            Pension => Some("pension"),
            SicknessBenefit => Some("sjukpenning/sjukersättning"),
            ParentalBenefit => Some("föräldrapenning"),
            UnemploymentBenefit => Some("a-kassa"),
            ActivitySupport => Some("aktivitetsstöd"),
            ChildAllowance => Some("barnbidrag"),
            HousingAllowance => Some("bostadsbidrag"),
            MaintenanceSupport => Some("underhållsstöd"),
            StudentAid => Some("studiemedel"),
            Other => Some("övrigt"),
            Unspecified => None,
        }
    }
);
proto_enum!(
    pb::ExpenseCategory,
    "EXPENSE_CATEGORY_",
    "expense category",
    |v| {
        use pb::ExpenseCategory::*;
        match v {
            Rent => Some("hyra"),
            HouseholdElectricity => Some("hushållsel"),
            HomeInsurance => Some("hemförsäkring"),
            WorkTravel => Some("arbetsresor"),
            UnionAndUnemploymentFund => Some("fackavgift och a-kassa"),
            Childcare => Some("barnomsorg"),
            Food => Some("livsmedel"),
            Clothing => Some("kläder och skor"),
            PersonalHygiene => Some("personlig hygien"),
            Leisure => Some("fritid och lek"),
            MobilePhone => Some("mobiltelefon"),
            ChildInsurance => Some("barnförsäkring"),
            BabyEquipment => Some("barnutrustning"),
            Consumables => Some("förbrukningsvaror"),
            HomeEquipment => Some("hemutrustning"),
            Media => Some("medier"),
            WaterAndSewage => Some("vatten och avlopp"),
            Healthcare => Some("vård och medicin"),
            Transport => Some("resor"),
            DebtPayments => Some("avbetalning på skulder"),
            MaintenancePaid => Some("betalt underhållsbidrag"),
            Other => Some("övrigt"),
            Unspecified => None,
        }
    }
);
proto_enum!(
    pb::ReasonableCostKind,
    "REASONABLE_COST_KIND_",
    "reasonable cost kind",
    |v| {
        use pb::ReasonableCostKind::*;
        match v {
            Rent => Some("boende"),
            HouseholdElectricity => Some("hushållsel"),
            WorkTravel => Some("arbetsresor"),
            HomeInsurance => Some("hemförsäkring"),
            UnionAndUnemploymentFund => Some("fackavgift och a-kassa"),
            Childcare => Some("barnomsorg"),
            Unspecified => None,
        }
    }
);

proto_enum!(pb::AlertKind, "ALERT_KIND_", "alert kind", |v| {
    use pb::AlertKind::*;
    match v {
        NoticeDeadline => Some("underrättelse: sista dag inom 7 dagar"),
        InstalmentMissed => Some("missad delbetalning"),
        PlanBroken => Some("bruten avbetalningsplan"),
        RentUnpaid => Some("obetald hyra"),
        SecondUnpaidMonth => Some("andra obetalda månaden i rad"),
        PayoutRejected => Some("utbetalning avvisad eller returnerad"),
        NormTableMissing => Some("normtabell saknas"),
        Unspecified => None,
    }
});
proto_enum!(pb::AlertState, "ALERT_STATE_", "alert state", |v| {
    use pb::AlertState::*;
    match v {
        Open => Some("öppen"),
        Acknowledged => Some("kvitterad"),
        Closed => Some("stängd"),
        Unspecified => None,
    }
});

/// The short name of a value: `salary` for `INCOME_CATEGORY_SALARY`.
pub fn short_name<E: ProtoEnum>(value: E) -> String {
    let full = value.proto_name();
    full.strip_prefix(E::PREFIX)
        .unwrap_or(full)
        .to_ascii_lowercase()
}

/// Every value a user may name, in proto order; the UNSPECIFIED zero value is
/// never a valid choice, so it is left out.
pub fn allowed_names<E: ProtoEnum>() -> Vec<String> {
    // The generated enums are small and numbered from zero; scanning a range
    // keeps this free of a hand-written list that could fall out of date.
    (1..=255)
        .filter_map(|n| E::try_from(n).ok())
        .map(short_name)
        .collect()
}

/// Parses a short name (case-insensitive; `-` may stand for `_`), or says
/// which names are allowed.
pub fn parse_name<E: ProtoEnum>(text: &str) -> Result<E, String> {
    let wanted = text.trim().to_ascii_uppercase().replace('-', "_");
    let parsed = if wanted.is_empty() || wanted == "UNSPECIFIED" {
        None
    } else {
        E::from_proto_name(&format!("{}{}", E::PREFIX, wanted))
    };
    parsed.ok_or_else(|| {
        wf(
            "okänt värde \"{}\"; möjliga värden: {}",
            &[&text, &allowed_names::<E>().join(", ")],
        )
    })
}

/// The short name of a wire value, for `--json`; a value this build does not
/// know (a newer server) is shown as its number rather than hidden.
pub fn wire_name<E: ProtoEnum>(value: i32) -> String {
    match E::try_from(value) {
        Ok(v) => short_name(v),
        Err(_) => format!("unknown({value})"),
    }
}

/// The wire value for a table: the Swedish term (`sms-lån`), or with
/// `--lang en` the value's name in words (`sms loan`). A value this build
/// does not know is shown as its number.
pub fn display_name<E: ProtoEnum>(value: i32) -> String {
    match E::try_from(value) {
        Ok(v) => match (lang(), v.swedish()) {
            (Lang::Sv, Some(sv)) => sv.to_owned(),
            _ => short_name(v).replace('_', " "),
        },
        Err(_) => wf("okänt värde ({})", &[&value]),
    }
}

/// A name the server knows for a record, else its id: tables name what
/// they refer to where a name exists.
pub fn name_or_id(name: Option<&str>, id: &str) -> String {
    match name {
        Some(name) if !name.trim().is_empty() => name.to_owned(),
        _ if id.is_empty() => "–".to_owned(),
        _ => id.to_owned(),
    }
}

#[cfg(test)]
mod tests;
