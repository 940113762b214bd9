//! Authentication-method families (FORMATS.md §6): every method name of every export
//! maps to one [`MethodFamily`]; a row's methods are a [`MethodSet`].

use serde::Serialize;

/// The closed set of method families. The order is the display order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MethodFamily {
    Email,
    MobilePhone,
    OfficePhone,
    AlternateMobilePhone,
    SecurityQuestions,
    AuthenticatorApp,
    Other,
}

impl MethodFamily {
    pub const ALL: [MethodFamily; 7] = [
        MethodFamily::Email,
        MethodFamily::MobilePhone,
        MethodFamily::OfficePhone,
        MethodFamily::AlternateMobilePhone,
        MethodFamily::SecurityQuestions,
        MethodFamily::AuthenticatorApp,
        MethodFamily::Other,
    ];

    /// The id used in the summary JSON.
    pub fn id(self) -> &'static str {
        match self {
            MethodFamily::Email => "email",
            MethodFamily::MobilePhone => "mobile_phone",
            MethodFamily::OfficePhone => "office_phone",
            MethodFamily::AlternateMobilePhone => "alternate_mobile_phone",
            MethodFamily::SecurityQuestions => "security_questions",
            MethodFamily::AuthenticatorApp => "authenticator_app",
            MethodFamily::Other => "other",
        }
    }

    pub fn from_id(id: &str) -> Option<MethodFamily> {
        MethodFamily::ALL.into_iter().find(|f| f.id() == id)
    }

    pub fn index(self) -> usize {
        self as usize
    }

    /// Maps one method name, in any export's spelling, to its family.
    pub fn of_name(name: &str) -> MethodFamily {
        let key = super::key::Key::of(name);
        match key.as_str() {
            "alternateemail" | "email" | "emailaddress" | "authenticationemail" | "mail" => {
                MethodFamily::Email
            }
            "mobilephone"
            | "mobile"
            | "sms"
            | "mobilesms"
            | "text"
            | "textmessage"
            | "phonecall"
            | "mobilevoicecall"
            | "mobilecall"
            | "mobilephonecall"
            | "authenticationphone"
            | "phone"
            | "phonenumber" => MethodFamily::MobilePhone,
            "officephone" | "officecall" | "officevoicecall" | "officephonecall" => {
                MethodFamily::OfficePhone
            }
            "alternatemobilephone"
            | "alternatemobilecall"
            | "alternatemobile"
            | "alternatemobilevoicecall"
            | "alternatemobilephonecall" => MethodFamily::AlternateMobilePhone,
            "securityquestions" | "securityquestion" => MethodFamily::SecurityQuestions,
            "appnotification"
            | "appcode"
            | "mobileappnotification"
            | "mobileappcode"
            | "microsoftauthenticatorpush"
            | "softwareonetimepasscode"
            | "microsoftauthenticator"
            | "authenticatorapp"
            | "mobileapp" => MethodFamily::AuthenticatorApp,
            _ => MethodFamily::Other,
        }
    }
}

/// A set of method families, one bit each.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct MethodSet(pub u8);

impl MethodSet {
    pub const EMPTY: MethodSet = MethodSet(0);

    pub fn with(self, family: MethodFamily) -> MethodSet {
        MethodSet(self.0 | 1 << family.index())
    }

    pub fn contains(self, family: MethodFamily) -> bool {
        self.0 & (1 << family.index()) != 0
    }

    pub fn union(self, other: MethodSet) -> MethodSet {
        MethodSet(self.0 | other.0)
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn iter(self) -> impl Iterator<Item = MethodFamily> {
        MethodFamily::ALL
            .into_iter()
            .filter(move |f| self.contains(*f))
    }

    /// Parses a method cell: names joined by `+` (classic reports) or listed with `,` or `;`
    /// (registration details).
    pub fn parse_joined(cell: &str) -> MethodSet {
        cell.split(['+', ',', ';'])
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .fold(MethodSet::EMPTY, |set, name| {
                set.with(MethodFamily::of_name(name))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use MethodFamily::*;

    fn check(cell: &str, expected: &[MethodFamily]) {
        let got: Vec<_> = MethodSet::parse_joined(cell).iter().collect();
        assert_eq!(got, expected, "cell {cell:?}");
    }

    #[test]
    fn classic_names_and_two_gate_combinations() {
        check("Alternate Email", &[Email]);
        check("Office Phone", &[OfficePhone]);
        check("Mobile Phone", &[MobilePhone]);
        check("Security Questions", &[SecurityQuestions]);
        check("Alternate Email + Mobile Phone", &[Email, MobilePhone]);
        check(
            "mobile phone+security questions",
            &[MobilePhone, SecurityQuestions],
        );
        check("", &[]);
        check("  ", &[]);
    }

    #[test]
    fn modern_names_map_to_families() {
        for (name, family) in [
            ("SMS", MobilePhone),
            ("Phone Call", MobilePhone),
            ("mobile voice call", MobilePhone),
            ("mobilePhone", MobilePhone),
            ("Office Call", OfficePhone),
            ("office voice call", OfficePhone),
            ("Alternate Mobile Call", AlternateMobilePhone),
            ("alternateMobilePhone", AlternateMobilePhone),
            ("securityQuestion", SecurityQuestions),
            ("App notification", AuthenticatorApp),
            ("mobile app code", AuthenticatorApp),
            ("microsoftAuthenticatorPush", AuthenticatorApp),
            ("softwareOneTimePasscode", AuthenticatorApp),
            ("Email", Email),
            ("FIDO2", Other),
            ("Temporary Access Pass", Other),
        ] {
            assert_eq!(MethodFamily::of_name(name), family, "{name}");
        }
    }

    #[test]
    fn ids_round_trip() {
        for f in MethodFamily::ALL {
            assert_eq!(MethodFamily::from_id(f.id()), Some(f));
        }
    }
}
