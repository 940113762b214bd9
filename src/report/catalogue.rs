//! The 35 documented `Details` sentences of the classic password reset activity report
//! (seed 001, "Allowed values for details column"), each with its Result type and the fix
//! the documentation gives, and the tolerant matching of a file's text against them.
//!
//! The sentences and fixes are quotations of the documentation and are kept verbatim.

use std::sync::OnceLock;

use super::outcome::ResetResult;

/// Index into [`CATALOGUE`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DetailId(pub u8);

pub struct DocumentedDetail {
    /// The sentence as the documentation writes it, without its fix.
    pub sentence: &'static str,
    pub result: ResetResult,
    /// The remedy the documentation appends to the sentence, if any.
    pub fix: Option<&'static str>,
}

impl DetailId {
    pub fn entry(self) -> &'static DocumentedDetail {
        &CATALOGUE[self.0 as usize]
    }
}

const fn d(sentence: &'static str, result: ResetResult) -> DocumentedDetail {
    DocumentedDetail {
        sentence,
        result,
        fix: None,
    }
}

const fn f(sentence: &'static str, result: ResetResult, fix: &'static str) -> DocumentedDetail {
    DocumentedDetail {
        sentence,
        result,
        fix: Some(fix),
    }
}

use ResetResult::{Abandoned, Blocked, Cancelled, ContactedAdmin, Failed, Succeeded};

pub static CATALOGUE: [DocumentedDetail; 35] = [
    d(
        "User abandoned after completing the email verification option",
        Abandoned,
    ),
    d(
        "User abandoned after completing the mobile SMS verification option",
        Abandoned,
    ),
    d(
        "User abandoned after completing the mobile voice call verification option",
        Abandoned,
    ),
    d(
        "User abandoned after completing the office voice call verification option",
        Abandoned,
    ),
    d(
        "User abandoned after completing the security questions option",
        Abandoned,
    ),
    d("User abandoned after entering their user ID", Abandoned),
    d(
        "User abandoned after starting the email verification option",
        Abandoned,
    ),
    d(
        "User abandoned after starting the mobile SMS verification option",
        Abandoned,
    ),
    d(
        "User abandoned after starting the mobile voice call verification option",
        Abandoned,
    ),
    d(
        "User abandoned after starting the office voice call verification option",
        Abandoned,
    ),
    d(
        "User abandoned after starting the security questions option",
        Abandoned,
    ),
    d("User abandoned before selecting a new password", Abandoned),
    d("User abandoned while selecting a new password", Abandoned),
    d(
        "User entered too many invalid SMS verification codes and is blocked for 24 hours",
        Blocked,
    ),
    d(
        "User tried mobile phone voice verification too many times and is blocked for 24 hours",
        Blocked,
    ),
    d(
        "User tried office phone voice verification too many times and is blocked for 24 hours",
        Blocked,
    ),
    d(
        "User tried to answer security questions too many times and is blocked for 24 hours",
        Blocked,
    ),
    d(
        "User tried to verify a phone number too many times and is blocked for 24 hours",
        Blocked,
    ),
    d(
        "User cancelled before passing the required authentication methods",
        Cancelled,
    ),
    d("User cancelled before submitting a new password", Cancelled),
    d(
        "User contacted an admin after trying the email verification option",
        ContactedAdmin,
    ),
    d(
        "User contacted an admin after trying the mobile SMS verification option",
        ContactedAdmin,
    ),
    d(
        "User contacted an admin after trying the mobile voice call verification option",
        ContactedAdmin,
    ),
    d(
        "User contacted an admin after trying the office voice call verification option",
        ContactedAdmin,
    ),
    d(
        "User contacted an admin after trying the security question verification option",
        ContactedAdmin,
    ),
    f(
        "Password reset is not enabled for this user.",
        Failed,
        "Enable password reset under the configure tab to resolve this",
    ),
    f(
        "User does not have a license.",
        Failed,
        "You can add a license to the user to resolve this",
    ),
    d(
        "User tried to reset from a device without cookies enabled",
        Failed,
    ),
    f(
        "User's account has insufficient authentication methods defined.",
        Failed,
        "Add authentication info to resolve this",
    ),
    f(
        "User's password is managed on-premises.",
        Failed,
        "You can enable Password Writeback to resolve this",
    ),
    f(
        "We could not reach your on-premises password reset service.",
        Failed,
        "Check your sync machine's event log",
    ),
    f(
        "We encountered a problem while resetting the user's on-premises password.",
        Failed,
        "Check your sync machine's event log",
    ),
    f(
        "This user is not a member of the password reset users group.",
        Failed,
        "Add this user to that group to resolve this.",
    ),
    f(
        "Password reset has been disabled entirely for this tenant.",
        Failed,
        "See http://aka.ms/ssprtroubleshoot to resolve this.",
    ),
    d("User successfully reset password", Succeeded),
];

impl DocumentedDetail {
    /// The full text as the report writes it: sentence and fix.
    pub fn full_text(&self) -> String {
        match self.fix {
            Some(fix) => format!("{} {}", self.sentence, fix),
            None => self.sentence.to_string(),
        }
    }
}

/// Finds the documented sentence a file's `Details` text stands for, tolerating case,
/// spacing, punctuation, Cancelled/Canceled, singular/plural and the fix being present,
/// absent or reworded.
pub fn match_detail(text: &str) -> Option<DetailId> {
    static KEYS: OnceLock<Vec<String>> = OnceLock::new();
    let keys = KEYS.get_or_init(|| CATALOGUE.iter().map(|e| match_key(e.sentence)).collect());
    let key = match_key(text);
    if key.is_empty() {
        return None;
    }
    keys.iter().enumerate().find_map(|(i, sentence)| {
        // The text is the sentence alone, or the sentence followed by a fix.
        let rest = key.strip_prefix(sentence.as_str())?;
        (rest.is_empty() || rest.starts_with(' ')).then_some(DetailId(i as u8))
    })
}

/// A comparison key: lower case, words only, markdown links reduced to their text,
/// `canceled` spelled `cancelled`, a plural `s` dropped from each word.
fn match_key(text: &str) -> String {
    let text = strip_markdown_links(text)
        .to_ascii_lowercase()
        .replace('\u{2019}', "'");
    let mut key = String::with_capacity(text.len());
    for word in text.split(|c: char| !super::key::is_word_char(c) && c != '\'') {
        let word = word.trim_matches('\'').replace('\'', "");
        if word.is_empty() {
            continue;
        }
        let word = match word.as_str() {
            "canceled" => "cancelled",
            "administrator" => "admin",
            w => w,
        };
        let word = word
            .strip_suffix('s')
            .filter(|w| w.len() > 2)
            .unwrap_or(word);
        if !key.is_empty() {
            key.push(' ');
        }
        key.push_str(word);
    }
    key
}

fn strip_markdown_links(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains("](") {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find("](").map(|i| open + i) else {
            break;
        };
        let Some(end) = rest[close..].find(')').map(|i| close + i) else {
            break;
        };
        out.push_str(&rest[..open]);
        out.push_str(&rest[open + 1..close]);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expected: Option<&str>) {
        let got = match_detail(text).map(|id| id.entry().sentence);
        assert_eq!(got, expected, "text {text:?}");
    }

    #[test]
    fn every_documented_sentence_matches_itself_with_and_without_its_fix() {
        for (i, entry) in CATALOGUE.iter().enumerate() {
            assert_eq!(match_detail(entry.sentence), Some(DetailId(i as u8)));
            assert_eq!(match_detail(&entry.full_text()), Some(DetailId(i as u8)));
        }
    }

    #[test]
    fn tolerates_case_punctuation_and_spelling_variants() {
        let cancelled = Some("User cancelled before submitting a new password");
        check("User canceled before submitting a new password", cancelled);
        check(
            "user cancelled before submitting a new password.",
            cancelled,
        );
        check(
            "  USER CANCELLED BEFORE SUBMITTING A NEW PASSWORD  ",
            cancelled,
        );
        check(
            "User contacted an admin after trying the security questions verification option",
            Some("User contacted an admin after trying the security question verification option"),
        );
        check(
            "User\u{2019}s password is managed on-premises. You can enable Password Writeback to resolve this.",
            Some("User's password is managed on-premises."),
        );
        check(
            "Password reset has been disabled entirely for this tenant. See [here](http://aka.ms/ssprtroubleshoot) to resolve this.",
            Some("Password reset has been disabled entirely for this tenant."),
        );
        check(
            "User successfully reset password.",
            Some("User successfully reset password"),
        );
    }

    #[test]
    fn unknown_sentences_do_not_match() {
        check("Something else happened", None);
        check("", None);
        check("User abandoned", None);
    }

    #[test]
    fn results_per_documented_type() {
        let count = |r| CATALOGUE.iter().filter(|e| e.result == r).count();
        assert_eq!(count(ResetResult::Abandoned), 13);
        assert_eq!(count(ResetResult::Blocked), 5);
        assert_eq!(count(ResetResult::Cancelled), 2);
        assert_eq!(count(ResetResult::ContactedAdmin), 5);
        assert_eq!(count(ResetResult::Failed), 9);
        assert_eq!(count(ResetResult::Succeeded), 1);
    }
}
