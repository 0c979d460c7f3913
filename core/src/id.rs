//! Validated identifiers.
//!
//! Every record is named by a string ID (formats.md: non-empty, at most 64
//! characters, unique within its file). Each kind of record has its own
//! newtype so that a household ID can never be passed where a cadre ID is
//! expected.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The longest ID accepted, in characters (formats.md).
pub const MAX_ID_CHARS: usize = 64;

/// Why a string is not a valid ID.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// The string is empty (or only white space).
    #[error("ID is empty")]
    Empty,
    /// The string is longer than [`MAX_ID_CHARS`] characters.
    #[error("ID is {0} characters long; at most {MAX_ID_CHARS} are allowed")]
    TooLong(usize),
    /// The string has leading or trailing white space or a control character.
    #[error("ID contains white space at an end or a control character")]
    BadCharacter,
}

impl crate::problem::CodedError for IdError {
    fn code(&self) -> crate::problem::Code {
        crate::problem::Code::FieldBadId
    }

    fn message(&self) -> crate::problem::Message {
        let zh = match self {
            IdError::Empty => "编号为空白".to_string(),
            IdError::TooLong(n) => format!("编号长 {n} 个字符，最多 {MAX_ID_CHARS} 个"),
            IdError::BadCharacter => "编号首尾有空白或含控制字符".to_string(),
        };
        crate::problem::Message {
            zh,
            en: self.to_string(),
        }
    }
}

pub(crate) fn check_id(s: &str) -> Result<(), IdError> {
    if s.trim().is_empty() {
        return Err(IdError::Empty);
    }
    let n = s.chars().count();
    if n > MAX_ID_CHARS {
        return Err(IdError::TooLong(n));
    }
    if s.trim() != s || s.chars().any(char::is_control) {
        return Err(IdError::BadCharacter);
    }
    Ok(())
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// Checks `s` and wraps it.
            ///
            /// # Errors
            /// [`IdError`] when `s` is empty, longer than 64 characters, or
            /// has white space at an end or a control character.
            pub fn new(s: impl Into<String>) -> Result<Self, IdError> {
                let s = s.into();
                check_id(&s)?;
                Ok(Self(s))
            }

            /// The ID as a string slice.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = IdError;
            fn try_from(s: String) -> Result<Self, IdError> {
                Self::new(s)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = IdError;
            fn try_from(s: &str) -> Result<Self, IdError> {
                Self::new(s)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::str::FromStr for $name {
            type Err = IdError;
            fn from_str(s: &str) -> Result<Self, IdError> {
                Self::new(s)
            }
        }
    };
}

id_type!(
    /// The ID of a unit of the administrative tree or of the grid overlay.
    UnitId
);
id_type!(
    /// The ID of a household (户).
    HouseholdId
);
id_type!(
    /// The ID of a cadre (干部).
    CadreId
);
id_type!(
    /// The ID of a village work team or work station (驻村工作队 / 群众工作站).
    TeamId
);
id_type!(
    /// The ID of a request raised by a household (诉求 / 事项), the name of
    /// its event log (seeds 001, 004).
    RequestId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_ids() {
        assert_eq!(HouseholdId::new("H0000001").unwrap().as_str(), "H0000001");
        assert_eq!(UnitId::new("纳林希里村").unwrap().to_string(), "纳林希里村");
    }

    #[test]
    fn refuses_bad_ids() {
        assert_eq!(CadreId::new(""), Err(IdError::Empty));
        assert_eq!(CadreId::new("   "), Err(IdError::Empty));
        assert_eq!(CadreId::new(" C1"), Err(IdError::BadCharacter));
        assert_eq!(CadreId::new("C\n1"), Err(IdError::BadCharacter));
        let long = "户".repeat(65);
        assert_eq!(CadreId::new(long), Err(IdError::TooLong(65)));
        assert!(CadreId::new("户".repeat(64)).is_ok());
    }

    #[test]
    fn serde_validates() {
        let ok: UnitId = serde_json::from_str("\"V1\"").unwrap();
        assert_eq!(ok.as_str(), "V1");
        assert!(serde_json::from_str::<UnitId>("\"\"").is_err());
    }
}
